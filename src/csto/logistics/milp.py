"""An exact assignment for small airlifts with SciPy's HiGHS MILP, on an aggregated model.

Variables: integer troop trips and vehicle trips of each aircraft group (type at base) for each unit, and
the makespan M. Each group's trips must fit in its aircraft-hours before M; every unit's troops and vehicles
must be carried; the destination's landing slots bound the number of landings. Minimising M gives trip
counts, which the scheduler then sequences. None is returned when SciPy finds no solution in time.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from csto.logistics.planner import Load, Network


def milp_assignment(
    net: Network, loads: list[Load], time_limit: float = 2.0
) -> dict[tuple[str, str], int] | None:
    from scipy.optimize import Bounds, LinearConstraint, milp

    groups: dict[str, tuple[object, str, int]] = {}
    for f in net.lg.fleets:
        if f.count <= 0:
            continue
        key = f"{f.type}@{f.base}"
        t, base, n = groups.get(key, (net.types[f.type], f.base, 0))
        groups[key] = (t, base, n + f.count)
    gkeys = list(groups)
    units = [ld.unit for ld in loads]
    G, U = len(gkeys), len(units)
    # variable order: troop trips x[g,u], vehicle trips y[g,u], makespan M
    nvar = 2 * G * U + 1
    M = nvar - 1

    def xi(g: int, u: int) -> int:
        return g * U + u

    def yi(g: int, u: int) -> int:
        return G * U + g * U + u

    rows: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []
    infeasible: set[tuple[int, int]] = set()
    cycle = np.zeros((G, U))
    start = np.zeros((G, U))
    for g, key in enumerate(gkeys):
        t, base, _ = groups[key]
        for u, ld in enumerate(loads):
            got = net.leg_or_none(t, ld.origin, ld.dest)  # type: ignore[arg-type]
            to_origin = net.leg_or_none(t, base, ld.origin) if base != ld.origin else (0.0, None)  # type: ignore[arg-type]
            if got is None or to_origin is None:
                cycle[g, u] = start[g, u] = 1e6  # this group cannot serve this unit
                infeasible.add((g, u))
                continue
            leg, pos = got[0], to_origin[0]
            cycle[g, u] = 2 * leg + t.turnaround_h  # type: ignore[attr-defined]
            start[g, u] = max(pos + t.turnaround_h / 2, ld.ready_h) + leg  # type: ignore[attr-defined]
    # demand
    for u, ld in enumerate(loads):
        r = np.zeros(nvar)
        for g, key in enumerate(gkeys):
            r[xi(g, u)] = groups[key][0].seats  # type: ignore[attr-defined]
            r[yi(g, u)] = min(groups[key][0].seats, 20)  # type: ignore[attr-defined]
        rows.append(r)
        lo.append(ld.personnel)
        hi.append(np.inf)
        if ld.vehicles:
            r = np.zeros(nvar)
            for g, key in enumerate(gkeys):
                t = groups[key][0]
                r[yi(g, u)] = min(t.vehicles_max, int(t.payload_t // net.lg.norms.vehicle_t))  # type: ignore[attr-defined]
            rows.append(r)
            lo.append(ld.vehicles)
            hi.append(np.inf)
    # each group's aircraft-hours: sum trips * cycle <= count * (M - earliest start)
    for g, key in enumerate(gkeys):
        count = groups[key][2]
        r = np.zeros(nvar)
        for u in range(U):
            r[xi(g, u)] = cycle[g, u]
            r[yi(g, u)] = cycle[g, u]
        r[M] = -count
        rows.append(r)
        lo.append(-np.inf)
        hi.append(-count * float(start[g].min()) + count * float(cycle[g].min()))
    # landing slots at the destination
    dests = {ld.dest for ld in loads}
    for d in dests:
        slots = net.capacity(d).max_on_ground
        unload = min(groups[k][0].turnaround_h for k in gkeys) / 2  # type: ignore[attr-defined]
        r = np.zeros(nvar)
        for g in range(G):
            for u, ld in enumerate(loads):
                if ld.dest == d:
                    r[xi(g, u)] = unload / slots
                    r[yi(g, u)] = unload / slots
        r[M] = -1
        rows.append(r)
        lo.append(-np.inf)
        hi.append(-min(start[:, u].min() for u in range(U)) + unload)
    c = np.zeros(nvar)
    c[M] = 1.0
    c[: 2 * G * U] = 1e-3  # among equal makespans, fewer trips
    integrality = np.ones(nvar)
    integrality[M] = 0
    ub = np.full(nvar, np.inf)
    max_trips = sum(math.ceil(ld.personnel / 10) + ld.vehicles + 1 for ld in loads)
    ub[: 2 * G * U] = max_trips
    for g, u in infeasible:
        ub[xi(g, u)] = ub[yi(g, u)] = 0
    res = milp(
        c,
        constraints=LinearConstraint(np.array(rows), np.array(lo), np.array(hi)),
        integrality=integrality,
        bounds=Bounds(np.zeros(nvar), ub),
        options={"time_limit": time_limit, "disp": False},
    )
    if res.x is None:
        return None
    out: dict[tuple[str, str], int] = {}
    for g, key in enumerate(gkeys):
        for u, unit in enumerate(units):
            n = round(res.x[xi(g, u)]) + round(res.x[yi(g, u)])
            if n > 0:
                out[(key, unit)] = n
    return out
