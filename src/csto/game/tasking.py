"""What a decision to deploy asks of the forces: which force, how many, and who offers what.

The policy names the force for a kind of crisis; its size follows the crisis' intensity; each
supporter other than the parties offers its standing contingent and the lead state fills the rest.
The engine's rules then check the tasking against registered strength (they are not repeated here).
Used by the game's players and by the vectorized kernel alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from csto.game.features import belligerents
from csto.game.scenario import Scenario
from csto.model import Force
from csto.policy import PolicyParams
from csto.policy.model import split_force

#: The size assumed for a force whose registered strength is not known.
DEFAULT_STRENGTH = 2000.0


def force_for(params: PolicyParams, sc: Scenario) -> str | None:
    """The force the policy draws on for this kind of crisis and region (None: no force for it)."""
    choice = next((f for f in params.forces if f.kind == sc.kind), None)
    if choice is None:
        return None
    if choice.central_asia_force and sc.location.state in params.central_asia:
        return choice.central_asia_force
    return choice.force


def personnel_needed(params: PolicyParams, sc: Scenario, force: Force | None) -> int:
    """Personnel a deployment asks for: the scenario's figure, or a share of the force's strength."""
    choice = next((f for f in params.forces if f.kind == sc.kind), None)
    if sc.force_size:
        return int(sc.force_size)
    share = choice.share_of_strength if choice else 0.0
    strength = force.registered_total if force and force.registered_total else DEFAULT_STRENGTH
    return max(100, int(round(share * sc.intensity * strength / 10) * 10))


def standing_offer(params: PolicyParams, iso3: str) -> int:
    """The contingent a supporting member offers (its profile's minimum contingent)."""
    prof = params.member(iso3)
    return int(prof.min_contingent.value) if prof else 100


def offers_of(params: PolicyParams, sc: Scenario, supporters: Iterable[str]) -> dict[str, int]:
    """What each supporter offers: the parties (requester, host) offer nothing of their own."""
    parties = belligerents(sc)[0] | {sc.request.state}
    return {s: standing_offer(params, s) for s in supporters if s not in parties}


def tasking(
    forces: Sequence[Force], params: PolicyParams, sc: Scenario, supporters: Iterable[str]
) -> tuple[str, dict[str, int]] | None:
    """(force id, personnel by state) a deployment tasks from the supporters (``forces``: those existing
    that day); None when the policy names no force for this kind of crisis."""
    force_id = force_for(params, sc)
    if force_id is None:
        return None
    force = next((f for f in forces if f.id == force_id), None)
    needed = personnel_needed(params, sc, force)
    return force_id, split_force(offers_of(params, sc, supporters), params.lead_state, needed)
