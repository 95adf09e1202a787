"""Airlift planner benchmarks: Kazakhstan 2022 (the crisis run's tasking) and the whole CRRF to Dushanbe.

Prints wall time (best of three) of the plan and of the expected timeline, and side by side: the lower bound,
the plan's makespan, the expected all-in time with its 10-90 % spread, the flights, and the record where one
exists (Kazakhstan 2022: hours from the Council's decision), then one JSON line.
Targets from the issue: Kazakhstan ≤ 1 s within 10 % of its bound; the CRRF ≤ 10 s within 15 %.
Run: make bench   (or .venv/bin/python benchmarks/bench_airlift.py)
"""

from __future__ import annotations

import json
import time

from csto.logistics import expected_for, load_logistics, loads_for, plan_airlift
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
    rec = (
        next((r for r in lg.expected.records if r.episode == "kazakhstan-2022"), None)
        if lg.expected
        else None
    )
    rows = {}
    for name, loads in (("kazakhstan-2022", kz_loads), ("crrf-to-dushanbe", crrf_loads)):
        secs, plan = best_of(3, lambda loads=loads: plan_airlift(ds, lg, loads))
        esecs, ex = best_of(3, lambda loads=loads: expected_for(ds, lg, loads))
        assert ex is not None
        e = ex.to_dict()
        rows[name] = {
            "seconds": round(secs, 3),
            "expected_seconds": round(esecs, 3),
            "personnel": plan.personnel,
            "sorties": len(plan.sorties),
            "makespan_hours": round(plan.makespan_hours, 2),
            "lower_bound_hours": round(plan.lower_bound_hours, 2),
            "gap": round(plan.gap, 4),
            "method": plan.method,
            "expected_all_in_hours": e["all_in_hours"],
            "expected_spread_hours": e["spread"]["all_in_hours"],
            "expected_flights": e["flights"],
            "expected_first_units_hours": e["first_units_hours"],
            "draws": e["draws"],
        }
        r = rows[name]
        sp = r["expected_spread_hours"]
        print(
            f"{name:18} {r['personnel']:>6,} personnel  plan {r['seconds']:.3f} s + expected {esecs:.3f} s "
            f"({r['method']}, {r['draws']} draws)"
        )
        print(f"  {'':14} {'bound':>8} {'plan':>8} {'expected (10-90 %)':>24} {'record':>12}")
        record = name == "kazakhstan-2022" and rec is not None
        print(
            f"  {'all in, h':14} {r['lower_bound_hours']:>8.1f} {r['makespan_hours']:>8.1f} "
            f"{r['expected_all_in_hours']:>8.1f} ({sp['p10']:.0f}-{sp['p90']:.0f}){'':6} "
            + (f"{rec.all_in_hours.low:.0f}-{rec.all_in_hours.high:.0f}" if record and rec else "-").rjust(12)
        )
        print(
            f"  {'flights':14} {'-':>8} {r['sorties']:>8} {r['expected_flights']:>8}{'':16} "
            + (f"{rec.flights.low:.0f}-{rec.flights.high:.0f}" if record and rec else "-").rjust(12)
        )
        print(
            f"  {'first units, h':14} {'-':>8} {plan.first_units_hours or 0:>8.1f} "
            f"{r['expected_first_units_hours'] or 0:>8.1f}{'':16} "
            + (
                f"{rec.first_units_hours.low:.0f}-{rec.first_units_hours.high:.0f}" if record and rec else "-"
            ).rjust(12)
        )
    print(json.dumps({"airlift": rows}))


if __name__ == "__main__":
    main()
