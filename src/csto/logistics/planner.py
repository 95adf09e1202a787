"""The airlift planner: sorties that bring a tasked force to its destination as early as possible.

Supply (aircraft by type and base), demand (units with readiness and home airfields) and a fill:
short moves go by road; the rest is scheduled sortie by sortie, each aircraft taking the load that lands
earliest, within payload, seats and vehicle space, range (with a refuelling stop where needed), the
destination's ground capacity and turnaround. A capacity lower bound (the longest single leg, the fleet's
throughput, the destination's landing slots) measures the plan: gap = makespan / bound - 1. Small instances
are also solved with SciPy's HiGHS MILP on an aggregated model (trip counts per aircraft group and unit),
whose assignment the scheduler then sequences; the better schedule is kept.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

from csto.errors import InputError
from csto.logistics.data import AircraftType, AirfieldCapacity, LogisticsFile, Unit
from csto.logistics.geo import geodesic_km
from csto.model import Dataset

TROOP_T = 0.1  # tonnes per soldier with personal kit (planning assumption)
ROAD_FACTOR = 1.3  # road distance over geodesic distance (planning assumption)


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


@dataclass
class Sortie:
    aircraft: str
    type: str
    unit: str
    state: str
    origin: str
    dest: str
    depart_h: float
    arrive_h: float
    personnel: int
    vehicles: int
    cargo_t: float
    refuel: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass
class Plan:
    makespan_hours: float
    lower_bound_hours: float
    first_units_hours: float | None
    sorties: list[Sortie]
    road_moves: list[dict[str, Any]]
    method: str
    bound_parts: dict[str, float] = field(default_factory=dict)
    personnel: int = 0
    vehicles: int = 0

    @property
    def gap(self) -> float:
        return 0.0 if self.lower_bound_hours <= 0 else self.makespan_hours / self.lower_bound_hours - 1.0

    def on_ground(self) -> list[dict[str, float]]:
        """Personnel and vehicles on the ground over time (a step at each landing or road arrival)."""
        events = [(s.arrive_h, s.personnel, s.vehicles) for s in self.sorties if s.personnel or s.vehicles]
        events += [(r["arrive_h"], r["personnel"], r["vehicles"]) for r in self.road_moves]
        events.sort()
        out = [{"t_hours": 0.0, "personnel": 0, "vehicles": 0}]
        p = v = 0
        for t, dp, dv in events:
            p += dp
            v += dv
            out.append({"t_hours": round(t, 2), "personnel": p, "vehicles": v})
        return out

    def to_dict(self) -> dict[str, Any]:
        aircraft = sorted({s.aircraft for s in self.sorties})
        return {
            "makespan_hours": round(self.makespan_hours, 2),
            "lower_bound_hours": round(self.lower_bound_hours, 2),
            "gap": round(self.gap, 4),
            "first_units_hours": None if self.first_units_hours is None else round(self.first_units_hours, 2),
            "method": self.method,
            "bound_parts": {k: round(v, 2) for k, v in self.bound_parts.items()},
            "personnel": self.personnel,
            "vehicles": self.vehicles,
            "aircraft_used": len(aircraft),
            "sorties": [s.to_dict() for s in self.sorties],
            "road_moves": self.road_moves,
            "on_ground": self.on_ground(),
        }


@dataclass
class Plane:
    id: str
    t: AircraftType
    at: str
    free: float
    group: str


class Network:
    """Airfields with coordinates and capacities, and the fleet available for the lift."""

    def __init__(self, ds: Dataset, lg: LogisticsFile) -> None:
        self.ds, self.lg = ds, lg
        self.coords = {a.id: (a.lat, a.lon) for a in ds.airfields if a.lat is not None and a.lon is not None}
        self.runway = {a.id: a.runway_m or 0 for a in ds.airfields}
        self.caps = {c.airfield: c for c in lg.airfields}
        self.types = {t.id: t for t in lg.aircraft}
        self._legs: dict[tuple[str, str, str], tuple[float, str | None] | None] = {}

    def capacity(self, airfield: str) -> AirfieldCapacity:
        return self.caps.get(airfield, self.lg.default_capacity)

    def km(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        for x in (a, b):
            if x not in self.coords:
                raise InputError(
                    f"airfield '{x}' has no coordinates in airfields.yaml",
                    field="airfield",
                    expected="an airfield with known coordinates",
                )
        (la, lo), (lb, lob) = self.coords[a], self.coords[b]
        return geodesic_km(la, lo, lb, lob)

    def leg_or_none(self, t: AircraftType, a: str, b: str) -> tuple[float, str | None] | None:
        """``leg``, or None when the type cannot fly it (memoised)."""
        key = (t.id, a, b)
        if key not in self._legs:
            try:
                self._legs[key] = self.leg(t, a, b)
            except InputError:
                self._legs[key] = None
        return self._legs[key]

    def leg(self, t: AircraftType, a: str, b: str) -> tuple[float, str | None]:
        """Hours for aircraft type ``t`` from ``a`` to ``b``, with the refuelling stop chosen if needed."""
        d = self.km(a, b)
        if d <= t.range_km:
            return d / t.cruise_kmh, None
        best: tuple[float, str | None] = (math.inf, None)
        for via in self.coords:
            if via in (a, b) or self.runway.get(via, 0) < t.min_runway_m:
                continue
            d1, d2 = self.km(a, via), self.km(via, b)
            if d1 <= t.range_km and d2 <= t.range_km:
                h = (d1 + d2) / t.cruise_kmh + self.lg.norms.refuel_stop_h
                if h < best[0]:
                    best = (h, via)
        if best[1] is None:
            raise InputError(
                f"the leg {a} → {b} ({d:,.0f} km) is beyond the {t.name}'s range of {t.range_km:,.0f} km and no "
                "airfield in range can serve as a refuelling stop",
                field="leg",
                expected="a destination within range, or an airfield for a stop",
            )
        return best


def sortie_capacity(
    t: AircraftType, vehicle_t: float, want_vehicles: int, want_troops: int, cargo_t: float
) -> tuple[int, int, float]:
    """(vehicles, troops, cargo) one sortie of ``t`` takes from what is left, vehicles first."""
    v = min(want_vehicles, t.vehicles_max, int(t.payload_t // vehicle_t))
    left = t.payload_t - v * vehicle_t
    p = min(want_troops, t.seats, int(left // TROOP_T))
    left -= p * TROOP_T
    c = min(cargo_t, max(0.0, left))
    return v, p, c


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


def aircraft_list(net: Network) -> list[tuple[str, AircraftType, str]]:
    out = []
    for f in net.lg.fleets:
        t = net.types[f.type]
        for i in range(f.count):
            out.append((f"{f.state}-{f.type}-{f.base}-{i + 1:02d}", t, f.base))
    return out


def estimated_sorties(net: Network, loads: list[Load]) -> int:
    best_seats = max((net.types[f.type].seats for f in net.lg.fleets if f.count), default=1)
    best_veh = max((net.types[f.type].vehicles_max for f in net.lg.fleets if f.count), default=1)
    return sum(
        math.ceil(ld.personnel / best_seats) + math.ceil(ld.vehicles / max(best_veh, 1)) for ld in loads
    )


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
