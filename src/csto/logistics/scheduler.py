"""The greedy sortie scheduler: sortie after sortie, each aircraft taking the load that lands earliest.

It respects payload, seats, vehicle space, range (via ``Network``), the destination's landing slots and
turnaround, and follows a MILP trip assignment when one is given. It chooses no method and computes no bound.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

from csto.errors import InputError
from csto.logistics.data import AircraftType
from csto.logistics.demand import Load
from csto.logistics.network import Network, aircraft_list, sortie_capacity
from csto.logistics.result import Plan, Sortie


@dataclass
class Plane:
    id: str
    t: AircraftType
    at: str
    free: float
    group: str


def schedule(
    net: Network,
    air: list[Load],
    road: list[dict[str, Any]],
    bound: float,
    parts: dict[str, float],
    assignment: dict[tuple[str, str], int] | None,
    min_payload_t: float = 0.0,
) -> Plan:
    """Greedy list scheduling: the next sortie is the one that lands earliest."""
    vt = net.lg.norms.vehicle_t
    left: dict[str, list[float]] = {ld.unit: [ld.vehicles, ld.personnel, ld.cargo_t] for ld in air}
    loads = {ld.unit: ld for ld in air}
    quota: dict[tuple[str, str], int] | None = dict(assignment) if assignment is not None else None
    planes = [
        Plane(i, t, base, 0.0, f"{t.id}@{base}")
        for i, t, base in aircraft_list(net)
        if t.payload_t >= min_payload_t
    ]
    if not planes:
        planes = [Plane(i, t, base, 0.0, f"{t.id}@{base}") for i, t, base in aircraft_list(net)]
    slots: dict[str, list[float]] = {}
    for d in {ld.dest for ld in air}:
        slots[d] = [0.0] * net.capacity(d).max_on_ground
        heapq.heapify(slots[d])

    def leg(t: AircraftType, a: str, b: str) -> tuple[float, str | None]:
        got = net.leg_or_none(t, a, b)
        return got if got is not None else (math.inf, None)

    sorties: list[Sortie] = []
    while any(v[0] > 0 or v[1] > 0 for v in left.values()):
        best: tuple[float, int, str] | None = None
        best_key: tuple[float, int] = (math.inf, 0)
        seen: set[tuple[str, str, float]] = set()
        for k, p in enumerate(planes):
            key = (p.t.id, p.at, p.free)
            if key in seen:
                continue  # identical aircraft in the same place at the same time
            seen.add(key)
            t = p.t
            for u, rem in left.items():
                if rem[0] <= 0 and rem[1] <= 0:
                    continue
                if quota is not None and quota.get((p.group, u), 0) <= 0:
                    continue
                ld = loads[u]
                v, n, _ = sortie_capacity(t, vt, int(rem[0]), int(rem[1]), rem[2])
                if v == 0 and n == 0:
                    continue
                pos = leg(t, p.at, ld.origin)[0] if p.at != ld.origin else 0.0
                depart = max(p.free + pos + t.turnaround_h / 2, ld.ready_h)
                arrive = depart + leg(t, ld.origin, ld.dest)[0]
                if math.isinf(arrive):
                    continue
                land = max(arrive, slots[ld.dest][0])
                key2 = (land, -(v * 10 + n))
                if key2 < best_key:
                    best_key, best = key2, (land, k, u)
        if best is None:
            if quota is not None:
                quota = None  # the aggregated model left something out: finish greedily
                continue
            raise InputError("no aircraft can carry what is left", field="unit", expected="a feasible fleet")
        land, k, u = best
        p = planes[k]
        t = p.t
        ld = loads[u]
        rem = left[u]
        v, n, c = sortie_capacity(t, vt, int(rem[0]), int(rem[1]), rem[2])
        rem[0] -= v
        rem[1] -= n
        rem[2] -= c
        if rem[0] <= 0 and rem[1] <= 0:
            rem[2] = 0.0
        pos = leg(t, p.at, ld.origin)[0] if p.at != ld.origin else 0.0
        depart = max(p.free + pos + t.turnaround_h / 2, ld.ready_h)
        hours, via = leg(t, ld.origin, ld.dest)
        slot_free = heapq.heappop(slots[ld.dest])
        land = max(depart + hours, slot_free)
        unload = t.turnaround_h / 2
        heapq.heappush(slots[ld.dest], land + unload)
        sorties.append(
            Sortie(p.id, t.id, u, ld.state, ld.origin, ld.dest, depart, land, n, v, round(c, 2), via)
        )
        if quota is not None:
            quota[(p.group, u)] = quota.get((p.group, u), 0) - 1
        p.at, p.free = ld.dest, land + unload
    ends = [s.arrive_h for s in sorties] + [r["arrive_h"] for r in road]
    firsts = [s.arrive_h for s in sorties if s.personnel] + [r["arrive_h"] for r in road]
    return Plan(
        makespan_hours=max(ends, default=0.0),
        lower_bound_hours=bound,
        first_units_hours=min(firsts) if firsts else None,
        sorties=sorted(sorties, key=lambda s: (s.arrive_h, s.aircraft)),
        road_moves=road,
        method="heuristic",
        bound_parts=parts,
        personnel=sum(ld.personnel for ld in air) + sum(r["personnel"] for r in road),
        vehicles=sum(ld.vehicles for ld in air) + sum(r["vehicles"] for r in road),
    )
