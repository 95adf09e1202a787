"""The capacity lower bound of an airlift: no schedule can bring every load in before it.

max(road moves, longest single move, fleet throughput with the destinations' landing slots), each part kept
so a plan can show what binds. It builds no schedule and must stay a valid bound (never above the optimum).
"""

from __future__ import annotations

import math
from typing import Any

from csto.logistics.demand import Load
from csto.logistics.network import TROOP_T, Network, aircraft_list


def lower_bound(net: Network, air: list[Load], road: list[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    """max(longest single move, fleet throughput, landing slots at each destination)."""
    fleet = [(t, base) for _, t, base in aircraft_list(net)]
    parts: dict[str, float] = {"road": max((r["arrive_h"] for r in road), default=0.0)}
    if not air:
        return parts["road"], parts

    # 1. the longest single move: every load needs at least its own readiness plus one leg
    def best_leg(ld: Load) -> float:
        legs = [
            got[0]
            for t in net.types.values()
            if any(f.type == t.id and f.count for f in net.lg.fleets)
            and (got := net.leg_or_none(t, ld.origin, ld.dest)) is not None
        ]
        return min(legs)

    legs = {ld.unit: best_leg(ld) for ld in air}
    parts["longest_leg"] = max(ld.ready_h + legs[ld.unit] for ld in air)
    # 2. fleet and landing slots together: by time T each aircraft completes a bounded number of trips, and
    # the destinations accept a bounded number of landings; the best trips that fit must carry every seat,
    # every vehicle and every tonne (three necessary conditions, each relaxed on its own).
    vt = net.lg.norms.vehicle_t
    max_unload = max(t.turnaround_h for t, _ in fleet) / 2
    slots = sum(net.capacity(d).max_on_ground for d in {ld.dest for ld in air})

    def subset_bound(subset: list[Load]) -> float:
        """The bound for carrying only ``subset``: valid for the whole, since the rest only adds work."""
        pax = sum(ld.personnel for ld in subset)
        veh = sum(ld.vehicles for ld in subset)
        tonnes = sum(ld.vehicles * vt + ld.personnel * TROOP_T + ld.cargo_t for ld in subset)
        first = min(ld.ready_h + legs[ld.unit] for ld in subset)
        min_leg = min(legs[ld.unit] for ld in subset)

        def enough(T: float) -> bool:
            if first > T:
                return False
            # slot-hours the destinations offer by T; a landing of type t holds a slot for half its turnaround
            budget = slots * (T - first + max_unload)
            trips = []
            for t, _ in fleet:
                n = math.floor((T - first) / (2 * min_leg + t.turnaround_h)) + 1
                vmax = min(t.vehicles_max, int(t.payload_t // vt))
                trips.append((float(t.seats), float(vmax), t.payload_t, n, t.turnaround_h / 2))
            for k, need in enumerate((pax, veh, tonnes)):
                left, total = budget, 0.0
                # fractional knapsack: the most carried per slot-hour first (an upper bound on any schedule)
                for cap in sorted(trips, key=lambda x: -x[k] / x[4]):
                    take = min(float(cap[3]), left / cap[4])
                    total += take * cap[k]
                    left -= take * cap[4]
                    if left <= 0:
                        break
                if total < need:
                    return False
            return True

        lo, hi = first, first + 24 * 365
        for _ in range(50):
            mid = (lo + hi) / 2
            if enough(mid):
                hi = mid
            else:
                lo = mid
        return hi

    # 2. fleet and landing slots together, over the loads at least as far as each distance in turn: by time T
    # every aircraft completes a bounded number of round trips and the destinations accept a bounded number
    # of landings; the best trips that fit must carry every seat, vehicle and tonne (each relaxed on its own).
    best = 0.0
    for cut in sorted({legs[ld.unit] for ld in air}):
        best = max(best, subset_bound([ld for ld in air if legs[ld.unit] >= cut]))
    parts["fleet_and_slots"] = best
    return max(parts.values()), parts
