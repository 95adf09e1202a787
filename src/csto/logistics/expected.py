"""The expected timeline of an airlift: sorties scheduled under the frictions of a real lift, over a small
seeded set of draws of the uncertain figures (``frictions``), with the median draw as the expected timeline.

Why a simulation and not an analytic spread: the frictions interact (a late national go-ahead frees loading
positions for others; crew rest matters only when aircraft are short), so each draw runs the whole greedy
schedule once. Each draw takes its own national go-aheads, aircraft generation at each base, loading times,
crew duty and rest, unloading time, vehicle places filled and sustainment rate, all triangular between the
data's low and high around its mode. A sortie is the one that lands earliest, as in the lower-bound plan,
but an aircraft flies only once ready, loads only at a free position of its home field once the unit may
move, lands only in the arrival field's working hours and at a free stand (the destination or an alternate,
which shares its legs), and its crew rests when the next cycle would break its duty period. Troops fly in
step with their unit's vehicles. Sustainment flights are released by the troops on the ground as they land
and take aircraft, not the units' loading positions; the lift keeps priority. The median of an odd number of
draws is one draw: its timeline is the expected one, and the 10th-90th percentiles of every draw give the
spread; a lift too large for ``SORTIE_BUDGET`` takes fewer draws. It computes no bound and reads no files.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from csto.errors import InputError
from csto.logistics.data import AircraftType
from csto.logistics.demand import Load
from csto.logistics.frictions import ExpectedModel, Spread
from csto.logistics.network import Network, sortie_capacity
from csto.logistics.timeline import Expected, Flight, Timeline

__all__ = ["SORTIE_BUDGET", "Expected", "Flight", "Timeline", "draws_for", "expected_timeline"]


def expected_timeline(
    net: Network, air: list[Load], road: list[dict[str, Any]], model: ExpectedModel
) -> Expected:
    """Run ``model.draws`` seeded draws; the median draw (by all-in time) is the expected timeline."""
    rng = np.random.default_rng(model.seed)
    legs: dict[tuple[str, str, str], float] = {}
    pairs: dict[tuple[str, str, str, str], tuple[float, float, bool]] = {}
    runs: list[Timeline] = []
    for _ in range(draws_for(net, air, model)):
        d = _Draw(model, rng, net)
        tl = _Lift(net, air, d, legs, pairs).run(_road(road, d))
        runs.append(tl)
    order = sorted(range(len(runs)), key=lambda i: (runs[i].all_in_hours, i))
    mid = runs[order[len(order) // 2]]
    return Expected(
        timeline=mid,
        all_in=[r.all_in_hours for r in runs],
        first_units=[f for r in runs if (f := r.first_units_hours) is not None],
        flights=[len(r.flights) for r in runs],
        seed=model.seed,
        sustainment=[sum(1 for f in r.flights if f.sustainment) for r in runs],
    )


#: Sorties simulated in all, at most: a large lift takes fewer draws (at least 5, always odd) to plan in seconds.
SORTIE_BUDGET = 6000


def draws_for(net: Network, air: list[Load], model: ExpectedModel) -> int:
    """The data's draws, fewer for a large lift (its sorties times the draws stay within the budget)."""
    from csto.logistics.planner import estimated_sorties

    per_draw = max(1, estimated_sorties(net, air)) if air else 1
    n = min(model.draws, max(5, SORTIE_BUDGET // per_draw))
    return n if n % 2 else n - 1


def _tri(rng: np.random.Generator, s: Spread) -> float:
    return s.low if s.high <= s.low else float(rng.triangular(s.low, s.mode, s.high))


class _Draw:
    """One draw of every uncertain figure, in the data's order (so a draw does not depend on the tasking)."""

    def __init__(self, m: ExpectedModel, rng: np.random.Generator, net: Network) -> None:
        self.m = m
        self.decision = {x.state: _tri(rng, x.hours) for x in m.decisions}
        self.generation = {
            g.base: (_tri(rng, g.ready_share), _tri(rng, g.generation_h)) for g in m.generation
        }
        self.default_generation = (
            _tri(rng, m.default_generation.ready_share),
            _tri(rng, m.default_generation.generation_h),
        )
        self.load_h = {x.airfield: _tri(rng, x.load_h) for x in m.loading}
        self.default_load_h = _tri(rng, m.default_loading.load_h)
        self.duty_h, self.rest_h = _tri(rng, m.crew.duty_h), _tri(rng, m.crew.rest_h)
        self.unload_h = {a.airfield: _tri(rng, a.unload_h) for a in m.arrivals}
        self.default_unload_h = _tri(rng, m.default_arrival.unload_h)
        self.vehicle_share = _tri(rng, m.load_as_flown.vehicle_share)
        self.sustain_rate = _tri(rng, m.sustainment.per_day_per_1000)
        self.positions = {x.airfield: x.positions for x in m.loading}
        self.alternates = {a.airfield: a.alternates for a in m.arrivals}
        self.hour0 = m.clock.order_local_hour
        self.net = net
        self.windows: dict[str, tuple[int, int]] = {}

    def ready(self, ld: Load) -> float:
        """A unit prepares while its state decides: it moves at the later of its readiness and the go-ahead."""
        return max(ld.ready_h, self.decision.get(ld.state, 0.0))

    def open_at(self, airfield: str, t: float) -> float:
        """The first time from ``t`` at which ``airfield`` works (its hours are local)."""
        window = self.windows.get(airfield)
        if window is None:
            hours = self.net.capacity(airfield).hours
            window = self.windows[airfield] = (0, 24) if hours == "24/7" else (int(hours[:2]), int(hours[3:]))
        a, b = window
        if (a, b) == (0, 24):
            return t
        local = (self.hour0 + t) % 24
        if a <= local < b:
            return t
        return t + (a - local) % 24


def _road(road: list[dict[str, Any]], d: _Draw) -> list[dict[str, Any]]:
    out = []
    for r in road:
        wait = max(0.0, d.decision.get(str(r["state"]), 0.0) - float(r["depart_h"]))
        out.append(
            {**r, "depart_h": round(r["depart_h"] + wait, 2), "arrive_h": round(r["arrive_h"] + wait, 2)}
        )
    return out


@dataclass
class _Job:
    """What is left to carry from one origin: a unit's load, or one sustainment flight's cargo."""

    ready: float
    origin: str
    dest: str
    unit: str
    state: str
    left: list[float]  # vehicles, personnel, cargo
    sustainment: bool = False


class _Supply:
    """Supply flights released at the sustainment rate by the troops on the ground, until all are in.

    Landings come in (nearly) time order from the greedy loop; road arrivals are folded in as they pass."""

    def __init__(self, d: _Draw, dest: str, road: list[dict[str, Any]]) -> None:
        self.d, self.dest = d, dest
        self.road = sorted((float(r["arrive_h"]), int(r["personnel"])) for r in road)
        self.on, self.acc, self.t = 0, 0.0, math.inf

    def _advance(self, to: float) -> list[_Job]:
        out: list[_Job] = []
        if self.t < to and self.on > 0 and self.d.sustain_rate > 0:
            rate = self.d.sustain_rate / 24.0 * self.on / 1000.0  # flights per hour
            t = self.t
            while t + (1.0 - self.acc) / rate <= to:
                t += (1.0 - self.acc) / rate
                self.acc = 0.0
                out.append(
                    _Job(t, self.d.m.sustainment.origin, self.dest, "sustainment", "", [0, 0, 0.0], True)
                )
            self.acc += (to - t) * rate
        self.t = min(self.t, to) if self.on == 0 else max(self.t, to)
        return out

    def land(self, at: float, personnel: int, more: bool) -> list[_Job]:
        """Troops landed at ``at``: the supply flights due since the last landing (none once all are in)."""
        out: list[_Job] = []
        while self.road and self.road[0][0] <= at:
            t, n = self.road.pop(0)
            out += self._advance(t)
            self.on += n
        out += self._advance(at)
        self.on += personnel
        if not more:  # the last lift sortie: road moves still to come keep releasing until they arrive
            for t, n in self.road:
                out += self._advance(t)
                self.on += n
            self.road = []
        return out if self.dest else []


class _Lift:
    """One greedy pass: the next sortie is the one that lands earliest under this draw's frictions."""

    def __init__(
        self,
        net: Network,
        air: list[Load],
        d: _Draw,
        legs: dict[tuple[str, str, str], float],
        pairs: dict[tuple[str, str, str, str], tuple[float, float, bool]],
    ) -> None:
        self.net, self.d, self.air = net, d, air
        self.vt = net.lg.norms.vehicle_t
        self.groups: dict[tuple[str, str], list[tuple[float, int]]] = {}
        self.planes: list[tuple[str, AircraftType]] = []
        self.duty_start: list[float | None] = []
        self.last_end: list[float] = []
        m = d.m.load_as_flown
        for f in net.lg.fleets:
            t = net.types[f.type]
            if f.count <= 0 or t.payload_t < m.min_payload_t:
                continue
            share, gen = d.generation.get(f.base, d.default_generation)
            now = round(f.count * share)
            for i in range(f.count):
                ready = 0.0 if i < now else gen * (i - now + 1) / (f.count - now)
                k = len(self.planes)
                self.planes.append((f"{f.state}-{f.type}-{f.base}-{i + 1:02d}", t))
                self.duty_start.append(None)
                self.last_end.append(ready)
                heapq.heappush(self.groups.setdefault((t.id, f.base), []), (ready, k))
        self.stands: dict[str, list[float]] = {}
        self.loaders: dict[str, list[float]] = {}
        self.places: dict[str, float] = {}  # vehicle places carried over between sorties of a type
        self.legs = legs  # hours of each (type, from, to), shared by the draws
        self.pairs = pairs  # (type, at, origin, dest): hours there, hours on, takes no vehicle; shared too

    def _stands(self, airfield: str) -> list[float]:
        if airfield not in self.stands:
            self.stands[airfield] = [0.0] * self.net.capacity(airfield).max_on_ground
        return self.stands[airfield]

    def _loaders(self, airfield: str) -> list[float]:
        if airfield not in self.loaders:
            self.loaders[airfield] = [0.0] * self.d.positions.get(
                airfield, self.d.m.default_loading.positions
            )
        return self.loaders[airfield]

    def _leg(self, t: AircraftType, a: str, b: str) -> float:
        key = (t.id, a, b)
        h = self.legs.get(key)
        if h is None:
            got = self.net.leg_or_none(t, a, b) if a != b else (0.0, None)
            h = self.legs[key] = math.inf if got is None else got[0]
        return h

    def run(self, road: list[dict[str, Any]]) -> Timeline:
        """Sorties in order of landing; supply flights are released as troops land (``_Supply``)."""
        d = self.d
        lift = [
            _Job(d.ready(ld), ld.origin, ld.dest, ld.unit, ld.state, [ld.vehicles, ld.personnel, ld.cargo_t])
            for ld in self.air
        ]
        # one queue of unit loads per origin in order of readiness, and the supply flights' queue
        queues: dict[tuple[str, bool], list[_Job]] = {}
        for j in sorted(lift, key=lambda j: j.ready):
            queues.setdefault((j.origin, False), []).append(j)
        supply = _Supply(d, self.air[0].dest if self.air else "", road)
        hub = (d.m.sustainment.origin, True)
        flights: list[Flight] = []
        while True:
            best: tuple[float, bool, tuple[str, bool], tuple[str, str], str, float, float] | None = None
            for qkey, queue in queues.items():
                if not queue or qkey[1]:
                    continue
                got = self._best(queue[0])
                if got is not None and (best is None or got[0] < best[0]):
                    best = (got[0], False, qkey, *got[1:])
            if queues.get(hub):
                # the lift comes first: a supply flight goes only if it lands earlier on another aircraft group
                got = self._best(queues[hub][0])
                if got is not None and (best is None or (got[0] < best[0] and got[1] != best[3])):
                    best = (got[0], True, hub, *got[1:])
            if best is None:
                left = [j.unit for (_, sus), q in queues.items() for j in q if not sus]
                if left:
                    raise InputError(
                        f"no aircraft can carry what is left of {', '.join(sorted(set(left)))}",
                        field="unit",
                        expected="a feasible fleet",
                    )
                break
            land, _, qkey, gkey, fld, start, depart = best
            queue = queues[qkey]
            job = queue[0]
            flight = self._commit(job, gkey, fld, land, start, depart)
            flights.append(flight)
            if job.sustainment or (job.left[0] <= 0 and job.left[1] <= 0):
                queue.pop(0)
            if not job.sustainment:
                lift_left = any(q for (_, sus), q in queues.items() if not sus)
                queues.setdefault(hub, []).extend(supply.land(flight.arrive_h, flight.personnel, lift_left))
        return Timeline(sorted(flights, key=lambda f: (f.arrive_h, f.aircraft)), road)

    def _pair(self, gkey: tuple[str, str], origin: str, dest: str) -> tuple[float, float, bool]:
        """Hours of a group's aircraft to the origin and on to the destination, and whether it takes no vehicle."""
        key = (*gkey, origin, dest)
        got = self.pairs.get(key)
        if got is None:
            t = self.net.types[gkey[0]]
            got = self.pairs[key] = (
                self._leg(t, gkey[1], origin),
                self._leg(t, origin, dest),
                t.vehicles_max == 0,
            )
        return got

    def _best(self, job: _Job) -> tuple[float, tuple[str, str], str, float, float] | None:
        """(landing, plane group, field, loading start, departure) of the earliest landing for ``job``.

        Landing is monotone in the arrival over the field, so the group that arrives first lands first."""
        d = self.d
        load_h = d.load_h.get(job.origin, d.default_load_h)
        loader = 0.0 if job.sustainment else self._loaders(job.origin)[0]
        best: tuple[float, tuple[str, str], float, float] | None = None
        vehicles_only = job.left[0] > 0 and job.left[1] <= 0
        ready, best_arrive = max(loader, job.ready), math.inf
        for gkey, heap in self.groups.items():
            if not heap:
                continue
            legs = self._pair(gkey, job.origin, job.dest)
            if vehicles_only and legs[2]:
                continue
            start = heap[0][0] + legs[0]
            if start < ready:
                start = ready
            arrive = start + load_h + legs[1]
            if arrive < best_arrive - 1e-9:
                best_arrive, best = arrive, (arrive, gkey, start, start + load_h)
        if best is None or math.isinf(best[0]):
            return None
        arrive, gkey, start, depart = best
        land, _, fld = min(
            (d.open_at(f, max(arrive, self._stands(f)[0])), i, f)
            for i, f in enumerate((job.dest, *d.alternates.get(job.dest, ())))
        )
        return land, gkey, fld, start, depart

    def _commit(
        self, job: _Job, gkey: tuple[str, str], fld: str, land: float, start: float, depart: float
    ) -> Flight:
        d = self.d
        _, k = heapq.heappop(self.groups[gkey])
        name, t = self.planes[k]
        if not job.sustainment:  # supply flights load at the hub's depot, not at the units' positions
            heapq.heapreplace(self._loaders(job.origin), depart)
        unload = d.unload_h.get(job.dest, d.default_unload_h)
        heapq.heapreplace(self._stands(fld), land + unload)
        if job.sustainment:
            v, n, c = 0, 0, t.payload_t
        else:
            acc = self.places.get(t.id, 0.0)
            places = t.vehicles_max * d.vehicle_share
            room = max(1, int(acc + places) - int(acc)) if t.vehicles_max else 0
            self.places[t.id] = acc + places
            shaped = t if room == t.vehicles_max else t.model_copy(update={"vehicles_max": room})
            want = int(job.left[1])
            if job.left[0] > 0:  # troops fly with their vehicles: a share in step with the vehicles aboard
                v0 = min(int(job.left[0]), room, int(t.payload_t // self.vt))
                want = min(want, math.ceil(job.left[1] * v0 / job.left[0]))
            v, n, c = sortie_capacity(shaped, self.vt, int(job.left[0]), want, job.left[2])
            job.left[0] -= v
            job.left[1] -= n
            job.left[2] -= c
        # crew: a duty period starts when the aircraft sets off; after rest_h idle it starts afresh
        began = start - self._leg(t, gkey[1], job.origin)
        ds = self.duty_start[k]
        if ds is None or began - self.last_end[k] >= d.rest_h:
            ds = began
        end = land + unload
        cycle = 2 * self._leg(t, job.origin, job.dest) + d.load_h.get(job.origin, d.default_load_h) + unload
        if end - ds + cycle > d.duty_h:
            self.duty_start[k], free_at = None, end + d.rest_h
        else:
            self.duty_start[k], free_at = ds, end
        self.last_end[k] = free_at
        heapq.heappush(self.groups.setdefault((t.id, job.dest), []), (free_at, k))
        unit = job.unit
        return Flight(
            name, t.id, unit, job.state, job.origin, fld, depart, land, n, v, round(c, 2), job.sustainment
        )
