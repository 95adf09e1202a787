"""When each contingent lands: the airlift's expected timeline where there is one, else the provisional timing.

The timeline is the logistics planner's expected one (the median draw under the frictions of a real lift,
cached per tasking), or its lower-bound plan if the data have no frictions; readiness noise shifts it.
Without a destination airfield, contingents fly from their capitals at the 2022 air bridge's average
rate. Distances are the logistics package's geodesics. It decides nothing: it only schedules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.errors import CstoError
from csto.game.scenario import Scenario
from csto.logistics.geo import geodesic_km
from csto.model import Dataset
from csto.policy import PolicyParams

Arrival = tuple[dt.datetime, str, int]

_PLANS: dict[tuple[Any, ...], list[tuple[float, str, int]] | None] = {}


def known_plan(
    ds: Dataset, contributions: tuple[tuple[str, int], ...], dest: str, force: str
) -> tuple[bool, list[tuple[float, str, int]] | None]:
    """Whether this process has planned the tasking already, and the plan if so (None: not plannable)."""
    key = (ds.directory, contributions, dest, force)
    return (key in _PLANS, _PLANS.get(key))


def remember_plan(
    ds: Dataset,
    contributions: tuple[tuple[str, int], ...],
    dest: str,
    force: str,
    plan: list[tuple[float, str, int]] | None,
) -> None:
    """Keep a plan found elsewhere (the disk cache) so that this process's trials read it."""
    _PLANS[(ds.directory, contributions, dest, force)] = plan


def cached_plan(
    ds: Dataset, contributions: tuple[tuple[str, int], ...], dest: str, force: str
) -> list[tuple[float, str, int]] | None:
    """(hours after the order, state, personnel) of every arrival in the airlift's expected timeline."""
    key = (ds.directory, contributions, dest, force)
    if key not in _PLANS:
        from csto.logistics import expected_for, load_logistics, loads_for, plan_airlift

        try:
            lg = load_logistics(ds)
            loads = loads_for(lg, dict(contributions), dest, force=force)
            expected = expected_for(ds, lg, loads)
            if expected is not None:
                _PLANS[key] = expected.timeline.arrivals()
            else:
                plan = plan_airlift(ds, lg, loads)
                arr = [(s.arrive_h, s.state, s.personnel) for s in plan.sorties if s.personnel]
                arr += [(r["arrive_h"], r["state"], r["personnel"]) for r in plan.road_moves]
                _PLANS[key] = sorted(arr)
        except CstoError:
            _PLANS[key] = None
    return _PLANS[key]


def schedule(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    contributions: dict[str, int],
    force_id: str,
    ordered: dt.datetime,
    readiness_shift: float = 0.0,
) -> tuple[list[Arrival], bool]:
    """Every arrival, sorted, and whether it comes from the airlift plan (else the provisional timing)."""
    plan = (
        cached_plan(ds, tuple(sorted(contributions.items())), sc.destination_airfield, force_id)
        if sc.destination_airfield
        else None
    )
    if plan is not None:
        out = [(ordered + dt.timedelta(hours=max(0.5, t + readiness_shift)), s, n) for t, s, n in plan]
        return sorted(out), True
    return sorted(_provisional(ds, params, sc, contributions, ordered, readiness_shift)), False


def _provisional(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    contributions: dict[str, int],
    ordered: dt.datetime,
    shift: float,
) -> list[Arrival]:
    tm = params.timing
    dest = destination(ds, sc)
    readiness = max(1.0, tm.readiness_hours + shift)
    lead_home = origin(ds, params.lead_state)
    ready: list[Arrival] = []
    for state, n in contributions.items():
        home = origin(ds, state)
        flight = _km(home, dest) / tm.cruise_kmh if home and dest else 4.0
        prof = params.member(state)
        # A real vote (1) costs the full delay; a formality (0.5) or none (0) costs nothing.
        approval = tm.approval_hours * max(0.0, 2 * (prof.parliament_approval.value if prof else 0.0) - 1)
        wait = readiness + approval
        if state != params.lead_state and home and lead_home:
            # The smaller contingents fly in the lead state's aircraft, which must first reach them.
            wait = max(wait, readiness + _km(lead_home, home) / tm.cruise_kmh)
        ready.append((ordered + dt.timedelta(hours=wait + flight), state, n))
    ready.sort(key=lambda r: (r[0], r[1] != params.lead_state, r[1]))
    per_day = tm.sorties_per_day * tm.seats_per_sortie
    free_at = ordered
    arrivals: list[Arrival] = []
    for at, state, n in ready:
        start = max(at, free_at)
        left, k = n, 0
        while left > 0:
            chunk = min(left, int(per_day) if k else max(1, int(per_day / 4)))
            arrivals.append((start + dt.timedelta(hours=24.0 * k if k else 0.0), state, chunk))
            left -= chunk
            k += 1
        free_at = start + dt.timedelta(hours=24.0 * n / per_day)
    return arrivals


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geodesic_km(a[0], a[1], b[0], b[1])


def destination(ds: Dataset, sc: Scenario) -> tuple[float, float] | None:
    if sc.destination_airfield:
        af = next((a for a in ds.airfields if a.id == sc.destination_airfield), None)
        if af and af.lat is not None and af.lon is not None:
            return (af.lat, af.lon)
    if sc.location.lat is not None and sc.location.lon is not None:
        return (sc.location.lat, sc.location.lon)
    return origin(ds, sc.location.state)


def origin(ds: Dataset, iso3: str) -> tuple[float, float] | None:
    st = ds.state(iso3)
    if st and st.capital.lat is not None and st.capital.lon is not None:
        return (st.capital.lat, st.capital.lon)
    return None
