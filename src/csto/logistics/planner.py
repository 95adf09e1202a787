"""The airlift planner: sorties that bring a tasked force to its destination as early as possible.

Short moves go by road; the rest is checked against the fleet, measured by the capacity lower bound
(``bound``; gap = makespan / bound - 1) and scheduled greedily (``scheduler``); small instances also get
HiGHS MILP trip counts (``milp``) to sequence, and the better plan is kept. ``expected_for`` runs the
same loads under the frictions of a real lift (``expected``). It schedules nothing itself; it re-exports
the names of ``demand``, ``network``, ``result``, ``bound`` and ``scheduler``.
"""

from __future__ import annotations

import math
from typing import Any

from csto.errors import InputError
from csto.logistics.bound import lower_bound
from csto.logistics.data import LogisticsFile
from csto.logistics.demand import Load, loads_for
from csto.logistics.expected import Expected, expected_timeline
from csto.logistics.network import TROOP_T, Network, aircraft_list, sortie_capacity
from csto.logistics.result import Plan, Sortie
from csto.logistics.scheduler import Plane, schedule
from csto.model import Dataset

ROAD_FACTOR = 1.3  # road distance over geodesic distance (planning assumption)

__all__ = [
    "ROAD_FACTOR",
    "TROOP_T",
    "Load",
    "Network",
    "Plan",
    "Plane",
    "Sortie",
    "aircraft_list",
    "check_loads",
    "estimated_sorties",
    "expected_for",
    "loads_for",
    "lower_bound",
    "plan_airlift",
    "schedule",
    "sortie_capacity",
    "split_road",
]


def plan_airlift(ds: Dataset, lg: LogisticsFile, loads: list[Load], *, exact_limit: int = 40) -> Plan:
    """Plan the lift of ``loads``: road where short, otherwise sorties; compare with the lower bound."""
    net = Network(ds, lg)
    air, road = split_road(net, loads)
    check_loads(net, air)
    bound, parts = lower_bound(net, air, road)
    plan = schedule(net, air, road, bound, parts, assignment=None)
    heavy = schedule(net, air, road, bound, parts, assignment=None, min_payload_t=20.0)
    if heavy.makespan_hours < plan.makespan_hours - 1e-9:
        plan = heavy
        plan.method = "heuristic (heavy transports only)"
    if air and estimated_sorties(net, air) <= exact_limit:
        from csto.logistics.milp import milp_assignment

        assignment = milp_assignment(net, air)
        if assignment is not None:
            exact = schedule(net, air, road, bound, parts, assignment=assignment)
            exact.method = "milp+sequencing"
            if exact.makespan_hours < plan.makespan_hours - 1e-9:
                plan = exact
    return plan


def expected_for(ds: Dataset, lg: LogisticsFile, loads: list[Load]) -> Expected | None:
    """The expected timeline of the lift of ``loads`` under the data's frictions (None without them)."""
    if lg.expected is None:
        return None
    net = Network(ds, lg)
    air, road = split_road(net, loads)
    check_loads(net, air)
    return expected_timeline(net, air, road, lg.expected)


def check_loads(net: Network, loads: list[Load]) -> None:
    """Refuse, naming the unit, any load no aircraft of the fleet can carry."""
    vt = net.lg.norms.vehicle_t
    for ld in loads:
        usable = [
            net.types[f.type]
            for f in net.lg.fleets
            if f.count > 0 and net.runway.get(ld.dest, 0) >= net.types[f.type].min_runway_m
        ]
        if not usable:
            raise InputError(
                f"no aircraft in the fleet can land at {ld.dest} for unit {ld.unit}",
                field="unit",
                expected="a destination with a long enough runway",
            )
        flyable = [t for t in usable if net.leg_or_none(t, ld.origin, ld.dest) is not None]
        if not flyable:
            d = net.km(ld.origin, ld.dest)
            raise InputError(
                f"unit {ld.unit}: the leg {ld.origin} → {ld.dest} ({d:,.0f} km) is beyond the range of every "
                "aircraft in the fleet and no airfield in range can serve as a refuelling stop",
                field="leg",
                expected="a destination within range, or an airfield for a stop",
            )
        usable = flyable
        if ld.vehicles and not any(t.vehicles_max > 0 and t.payload_t >= vt for t in usable):
            raise InputError(
                f"unit {ld.unit}: no aircraft can carry its vehicles ({vt:g} t each)",
                field="unit",
                expected="vehicles within an aircraft's payload",
            )


def split_road(net: Network, loads: list[Load]) -> tuple[list[Load], list[dict[str, Any]]]:
    n = net.lg.norms
    air: list[Load] = []
    road: list[dict[str, Any]] = []
    for ld in loads:
        d = net.km(ld.origin, ld.dest)
        if d <= n.road_max_km:
            hours = d * ROAD_FACTOR / n.road_kmh
            road.append(
                {
                    "unit": ld.unit,
                    "state": ld.state,
                    "origin": ld.origin,
                    "dest": ld.dest,
                    "km": round(d * ROAD_FACTOR),
                    "depart_h": round(ld.ready_h, 2),
                    "arrive_h": round(ld.ready_h + hours, 2),
                    "personnel": ld.personnel,
                    "vehicles": ld.vehicles,
                }
            )
        else:
            air.append(ld)
    return air, road


def estimated_sorties(net: Network, loads: list[Load]) -> int:
    best_seats = max((net.types[f.type].seats for f in net.lg.fleets if f.count), default=1)
    best_veh = max((net.types[f.type].vehicles_max for f in net.lg.fleets if f.count), default=1)
    return sum(
        math.ceil(ld.personnel / best_seats) + math.ceil(ld.vehicles / max(best_veh, 1)) for ld in loads
    )
