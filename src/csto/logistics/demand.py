"""Demand: the loads of an airlift, one per unit to move, drawn from a tasking of personnel by state.

``loads_for`` picks each state's units (readiest and largest first) from ``logistics.yaml``. It schedules
nothing and knows no aircraft: supply, legs and sorties belong to the network and the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass

from csto.errors import InputError
from csto.logistics.data import LogisticsFile, Unit


@dataclass(frozen=True)
class Load:
    """A unit to move: what it is, when it is ready (hours after the order), from where to where."""

    unit: str
    state: str
    personnel: int
    vehicles: int
    cargo_t: float
    ready_h: float
    origin: str
    dest: str


def loads_for(
    lg: LogisticsFile,
    contributions: dict[str, int],
    dest: str,
    *,
    force: str | None = None,
    vehicles_per_person: float = 0.12,
) -> list[Load]:
    """Demand: turn personnel by state into loads from that state's units (largest first), to ``dest``."""
    loads: list[Load] = []
    for state, wanted in sorted(contributions.items()):
        units: list[Unit] = [u for u in lg.units if u.state == state and (force is None or force in u.forces)]
        if not units:
            units = [u for u in lg.units if u.state == state]
        if not units:
            raise InputError(
                f"no unit of {state} is listed in logistics.yaml",
                field="contributions",
                expected="a state with units",
            )
        units.sort(key=lambda u: (u.readiness_h, -u.personnel))
        left = wanted
        for u in units:
            if left <= 0:
                break
            take = min(left, u.personnel)
            share = take / u.personnel
            loads.append(
                Load(
                    unit=u.id,
                    state=state,
                    personnel=take,
                    vehicles=round(u.vehicles * share),
                    cargo_t=round(u.cargo_t * share, 1),
                    ready_h=u.readiness_h,
                    origin=u.home_airfield,
                    dest=dest,
                )
            )
            left -= take
        if left > 0:
            u = units[0]
            loads.append(
                Load(
                    f"{u.id}-extra",
                    state,
                    left,
                    round(left * vehicles_per_person),
                    0.0,
                    u.readiness_h,
                    u.home_airfield,
                    dest,
                )
            )
    return loads
