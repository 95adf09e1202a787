"""Dask scaling of a parameter sweep, 1 → 2 workers: sweep points through ``csto.sim.sweep.run_points`` on
local clusters (one thread per worker), each warmed before the clock starts; median and range of REPS runs.
Writes its keys (``dask_seconds``, ``dask_efficiency``) to ``benchmarks/.results/dask.json`` for the final
line of ``bench_montecarlo.py``. Figures to read, not a test. Run: .venv/bin/python benchmarks/bench_dask.py
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from csto.model import load_dataset
from csto.policy import load_policy
from csto.sim.catalog import find

RESULTS = Path(__file__).resolve().parent / ".results"
# 16 sweep points of 100,000 trials each (with smaller points the scheduler's overhead on 2 cores dominates)
POINTS = 16
TRIALS = 100_000
REPS = int(os.environ.get("BENCH_REPS", "5"))
TARGET_EFFICIENCY = 0.80


def _warm(ds: Any, scenario: Any, params: Any) -> bool:
    """Fill a worker's caches (imports, airlift plans) before anything is timed."""
    from csto.sim.montecarlo import run_crisis

    run_crisis(ds, scenario, trials=200, seed=0, params=params)
    return True


def dask_scaling(
    scenario_id: str = "kazakhstan-2022",
    points: int = POINTS,
    trials: int = TRIALS,
    workers: tuple[int, ...] = (1, 2),
    *,
    repeats: int = REPS,
    seed: int = 0,
) -> dict[str, Any]:
    """Time ``points`` sweep points of ``trials`` trials (``csto.sim.sweep.run_points``, one point per task) on
    local clusters of each size in ``workers``.

    Each cluster is started and warmed (imports, caches) before the clock starts; the median of ``repeats``
    runs counts (later runs find every worker's airlift-plan cache filled). Returns the seconds per worker
    count, the efficiency ``t1 / (w · tw)`` of each, and ``parallel_efficiency`` = t1 / (2 · t2)."""
    from csto.sim.sweep import ParamRange, connect, grid_points, run_points

    ds = load_dataset("csto")
    sc = find(ds, scenario_id)
    params = load_policy(ds)
    pts, _, _ = grid_points([ParamRange("weight.lead_state", 0.0, 2.0)], max(2, points))
    pts = pts[:points]
    seconds: dict[int, float] = {}
    for w in workers:
        with connect(w, None, processes=True) as client:
            client.run(_warm, ds, sc, params)
            runs = []
            for _ in range(max(1, repeats)):
                t = time.perf_counter()
                run_points(client, ds, sc, params, pts, trials=trials, seed=seed, batch_size=1)
                runs.append(time.perf_counter() - t)
            seconds[w] = statistics.median(runs)
    t1 = seconds.get(1)
    eff = {w: t1 / (w * s) for w, s in seconds.items()} if t1 else {}
    return {
        "scenario": scenario_id,
        "points": len(pts),
        "trials": trials,
        "repeats": max(1, repeats),
        "cpu_count": os.cpu_count(),
        "seconds": seconds,
        "efficiency": eff,
        "parallel_efficiency": eff.get(2),
    }


def main() -> None:
    d = dask_scaling(points=POINTS, trials=TRIALS, repeats=REPS)
    s, eff = d["seconds"], d["parallel_efficiency"]
    print(
        f"dask      1 worker {s[1]:.2f} s, 2 workers {s[2]:.2f} s (median of {d['repeats']}), efficiency "
        f"t1/(2·t2) {eff * 100:.0f} %  ≥ 80 % {'PASS' if eff >= TARGET_EFFICIENCY else 'MISS'}"
    )
    RESULTS.mkdir(exist_ok=True)
    doc = {"dask_seconds": {str(k): round(v, 3) for k, v in s.items()}, "dask_efficiency": round(eff, 3)}
    (RESULTS / "dask.json").write_text(json.dumps(doc), encoding="utf-8")


if __name__ == "__main__":
    main()
