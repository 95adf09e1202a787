"""Airlift planner benchmarks: Kazakhstan 2022 (the crisis run's tasking) and the whole CRRF to Dushanbe.

Prints wall time (best of three), makespan, lower bound and gap for each, then one JSON line.
Targets from the issue: Kazakhstan ≤ 1 s within 10 % of its bound; the CRRF ≤ 10 s within 15 %.
Run: make bench   (or .venv/bin/python benchmarks/bench_airlift.py)
"""

from __future__ import annotations

import json
import time

from csto.logistics import load_logistics, loads_for, plan_airlift
from csto.model import load_dataset
from csto.policy import load_policy, nominal_draw
from csto.sim.catalog import find
from csto.sim.runner import run_trial


def best_of(n: int, fn):  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ds = load_dataset("csto")
    lg = load_logistics(ds)
    params = load_policy(ds)
    sc = find(ds, "kazakhstan-2022")
    central = run_trial(ds, params, sc, nominal_draw(params))
    kz_loads = loads_for(lg, central.forces, sc.destination_airfield or "almaty", force=central.force)
    crrf = next(f for f in ds.forces if f.id == "crrf")
    strength = int(crrf.registered_strength.value) if crrf.registered_strength else 18000
    # the whole force: every unit registered with the CRRF in logistics.yaml, scaled to its registered strength
    registered: dict[str, int] = {}
    for u in lg.units:
        if "crrf" in u.forces:
            registered[u.state] = registered.get(u.state, 0) + u.personnel
    scale = strength / sum(registered.values())
    crrf_task = {k: round(v * scale) for k, v in registered.items()}
    crrf_loads = loads_for(lg, crrf_task, "dushanbe", force="crrf")
    rows = {}
    for name, loads in (("kazakhstan-2022", kz_loads), ("crrf-to-dushanbe", crrf_loads)):
        secs, plan = best_of(3, lambda loads=loads: plan_airlift(ds, lg, loads))
        rows[name] = {
            "seconds": round(secs, 3),
            "personnel": plan.personnel,
            "sorties": len(plan.sorties),
            "makespan_hours": round(plan.makespan_hours, 2),
            "lower_bound_hours": round(plan.lower_bound_hours, 2),
            "gap": round(plan.gap, 4),
            "method": plan.method,
        }
        r = rows[name]
        print(
            f"{name:18} {r['personnel']:>6,} personnel  {r['sorties']:>4} sorties  plan {r['seconds']:.3f} s  "
            f"makespan {r['makespan_hours']:.1f} h  bound {r['lower_bound_hours']:.1f} h  gap {r['gap'] * 100:.1f} %  "
            f"({r['method']})"
        )
    print(json.dumps({"airlift": rows}))


if __name__ == "__main__":
    main()
