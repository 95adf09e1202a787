"""What the crisis report's plots and its HTML page both read from a ``CrisisResult``: the members in the
order the Council heard them, who took no part, personnel on the ground over time, signed numbers and the
caption of the provisional timing.

Reading only: no plotting and no markup (``crisis_plots`` and ``crisis_html`` do those).
"""

from __future__ import annotations

from collections.abc import Sequence

from csto.errors import CstoError
from csto.ledger.projections import troops_curve
from csto.model import MEMBER_STATUSES, load_dataset
from csto.sim.montecarlo import CrisisResult

TIMING_CAPTION = (
    "Personnel on the ground follow the provisional timing model (capitals to destination, average sortie "
    "load), drawn as a ramp from the first landing to all in; the airlift planner will replace it."
)


def signed(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


def voting_order(result: CrisisResult) -> list[str]:
    """Members in the order the Council heard them (lead state first), then any others seen in a round."""
    order: list[str] = [v.iso3 for v in result.central.votes]
    for rnd in result.central.rounds:
        for iso3 in rnd.get("votes", {}):
            if iso3 not in order:
                order.append(iso3)
    return order


def absent_members(result: CrisisResult, voters: Sequence[str]) -> dict[str, str]:
    """Members that took no part in the vote (frozen, suspended), with their status on the scenario's start.

    The result does not carry the roster, so it is read from the bundled data; it is used only when every
    voter is a member there on that day (a run on other data then simply shows no absentees).
    """
    if not voters:
        return {}
    try:
        ds = load_dataset("csto")
    except CstoError:
        return {}
    day = result.scenario.start.date()
    status = {s.iso3: s.status_at(day) for s in ds.states}
    if any(status.get(v) not in MEMBER_STATUSES for v in voters):
        return {}
    return {k: str(v) for k, v in sorted(status.items()) if v in MEMBER_STATUSES and k not in voters}


def on_ground(result: CrisisResult) -> list[tuple[float, int]]:
    """Personnel on the ground over time in the central run, as (hours after request, personnel) points.

    Reconstructed from the run's fields (first landing, all in, forces; the withdrawal from its timeline) as the
    corners of a linear ramp, so it shows the provisional timing model, not each sortie; the totals come from
    ``troops_curve`` like every other curve of troops. Empty when no force was deployed.
    """
    c = result.central
    total = sum(c.forces.values())
    if not total or c.first_units_hours is None:
        return []
    first = c.first_units_hours
    all_in = c.all_in_hours if c.all_in_hours is not None else first
    moves: list[tuple[float, int, str | None]] = [(0.0, 0, None), (first, 0, None), (all_in, total, None)]
    begins = next((t for t, e in c.timeline if e.startswith("Withdrawal begins")), None)
    done = next((t for t, e in c.timeline if e.startswith("Withdrawal complete")), None)
    if begins is not None and done is not None and done >= begins >= all_in:
        moves += [(begins, 0, None), (done, -total, None)]
    return [(step.at, step.on_ground) for step in troops_curve(moves)]
