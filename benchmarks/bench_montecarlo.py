"""Monte Carlo benchmarks: trials per second of the reference engine, the vectorized kernel and a Mesa 3 model
of the same decision (fastest of three, ratios measured in the same run), Dask scaling from 1 to 2 workers,
and the peak memory of a 10-million-trial crisis run. Figures to read, not timed tests: the issue's targets
get PASS/MISS, nothing is asserted but the Mesa model's agreement with the kernel; the last line is JSON.
Run: make bench   (or .venv/bin/python benchmarks/bench_montecarlo.py)
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from csto.model import RESPONSE_LADDER, load_dataset
from csto.policy import load_policy
from csto.policy.model import draw_at, sample_draws
from csto.sim.catalog import find
from csto.sim.kernel import run_kernel
from csto.sim.runner import run_trial

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mesa_model import CouncilModel

SCENARIOS = ("kazakhstan-2022", "armenia-2022")
ENGINE_TRIALS = 300
KERNEL_TRIALS = 1_000_000
MESA_TRIALS = 2_000
AGREEMENT_TRIALS = 200
REPS = 3
SEED = 20220106
MEMORY_SCENARIO = "kazakhstan-2022"
MEMORY_TRIALS = 10_000_000
# 16 sweep points of 100,000 trials each (about 50 ms of kernel work per point: with smaller points the
# scheduler's overhead on 2 cores dominates)
DASK_POINTS = 16
DASK_TRIALS = 100_000

TARGET_KERNEL_VS_MESA = 200.0
TARGET_KERNEL_RATE = 1e6
TARGET_DASK_EFFICIENCY = 0.80
TARGET_PEAK_MB = 2048.0


def best_of(n: int, fn):  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), times, out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def blas_report() -> str:
    env = ", ".join(f"{k}={os.environ.get(k, 'unset')}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"BLAS: threadpoolctl not installed; {env}"
    libs = [
        f"{i.get('internal_api')} {i.get('version')} kernel {i.get('architecture', '?')}, "
        f"{i.get('num_threads')} threads"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    return f"BLAS: {'; '.join(libs) or 'none loaded'}; {env}"


# ---------------------------------------------------------------------------------------------- per scenario
def bench_scenario(ds: Any, params: Any, members: list[str], sid: str) -> dict[str, Any]:
    sc = find(ds, sid)
    t_draws, _, arrays = best_of(
        REPS, lambda: sample_draws(np.random.default_rng(SEED), params, members, KERNEL_TRIALS)
    )
    # the kernel, draws excluded (the first replication also plans each distinct tasking's airlift)
    t_kernel, kernel_times, k = best_of(REPS, lambda: run_kernel(ds, params, sc, arrays, members))
    kernel_levels = k.levels()
    # the reference engine: one trial at a time through the procedures, on the same draws
    t_engine, _, engine_out = best_of(
        REPS,
        lambda: [run_trial(ds, params, sc, draw_at(arrays, members, i)) for i in range(ENGINE_TRIALS)],
    )
    followed = [i for i in range(ENGINE_TRIALS) if not k.fallback[i]]
    engine_agree = sum(engine_out[i].level == kernel_levels[i] for i in followed)

    # the Mesa model, on the same draws
    def mesa_run(cache_values: bool = False) -> CouncilModel:
        model = CouncilModel(ds, params, sc, arrays, members, rng=SEED, cache_values=cache_values)
        for _ in range(MESA_TRIALS):
            model.step()
        return model

    t_mesa, _, model = best_of(REPS, mesa_run)
    t_cached, _, cached = best_of(REPS, lambda: mesa_run(cache_values=True))
    mesa_agree = sum(a == b for a, b in zip(model.levels, kernel_levels, strict=False))
    first = [
        i
        for i in range(AGREEMENT_TRIALS)
        if model.levels[i] != kernel_levels[i] or cached.levels[i] != kernel_levels[i]
    ]
    row = {
        "draws_s": t_draws,
        "draws_trials_per_s": KERNEL_TRIALS / t_draws,
        "kernel_s": t_kernel,
        "kernel_cold_s": kernel_times[0],
        "kernel_trials_per_s": KERNEL_TRIALS / t_kernel,
        "kernel_with_draws_trials_per_s": KERNEL_TRIALS / (t_kernel + t_draws),
        "kernel_fallback": int(k.fallback.sum()),
        "engine_s": t_engine,
        "engine_trials_per_s": ENGINE_TRIALS / t_engine,
        "engine_agreement": engine_agree / max(len(followed), 1),
        "mesa_s": t_mesa,
        "mesa_trials_per_s": MESA_TRIALS / t_mesa,
        "mesa_agreement": mesa_agree / MESA_TRIALS,
        "mesa_cached_trials_per_s": MESA_TRIALS / t_cached,
        "mesa_mismatch_first_200": first,
        "levels": {
            lv: round(float(c) / KERNEL_TRIALS, 4)
            for lv, c in zip(
                RESPONSE_LADDER, np.bincount(k.level, minlength=len(RESPONSE_LADDER)), strict=True
            )
        },
    }
    row["kernel_vs_engine"] = row["kernel_trials_per_s"] / row["engine_trials_per_s"]
    row["kernel_vs_mesa"] = row["kernel_trials_per_s"] / row["mesa_trials_per_s"]
    row["kernel_vs_mesa_cached"] = row["kernel_trials_per_s"] / row["mesa_cached_trials_per_s"]
    print(f"{sid}")
    print(
        f"  draws     {KERNEL_TRIALS:>9,} trials  {t_draws:7.3f} s  {row['draws_trials_per_s']:>12,.0f} trials/s"
        "  (sample_draws, timed apart)"
    )
    print(
        f"  kernel    {KERNEL_TRIALS:>9,} trials  {t_kernel:7.3f} s  {row['kernel_trials_per_s']:>12,.0f} trials/s"
        f"  (cold first run {kernel_times[0]:.3f} s; {row['kernel_with_draws_trials_per_s']:,.0f}/s with draws; "
        f"{row['kernel_fallback']} to the engine)  ≥ 1e6/s {verdict(row['kernel_trials_per_s'] >= TARGET_KERNEL_RATE)}"
    )
    print(
        f"  engine    {ENGINE_TRIALS:>9,} trials  {t_engine:7.3f} s  {row['engine_trials_per_s']:>12,.0f} trials/s"
        f"  (agrees with the kernel on {engine_agree}/{len(followed)} trials it follows)"
    )
    print(
        f"  mesa      {MESA_TRIALS:>9,} trials  {t_mesa:7.3f} s  {row['mesa_trials_per_s']:>12,.0f} trials/s"
        f"  (agrees with the kernel on {mesa_agree}/{MESA_TRIALS}; first {AGREEMENT_TRIALS}: "
        f"{AGREEMENT_TRIALS - len(first)}/{AGREEMENT_TRIALS})"
    )
    print(
        f"  mesa*     {MESA_TRIALS:>9,} trials  {t_cached:7.3f} s  {row['mesa_cached_trials_per_s']:>12,.0f} trials/s"
        "  (* factor values cached per member, rung and lead stance; not the baseline)"
    )
    print(
        f"  ratios    kernel/engine {row['kernel_vs_engine']:,.0f}×   kernel/Mesa {row['kernel_vs_mesa']:,.0f}×"
        f"  ≥ 200× {verdict(row['kernel_vs_mesa'] >= TARGET_KERNEL_VS_MESA)}"
        f"   (kernel/Mesa* {row['kernel_vs_mesa_cached']:,.0f}×)"
    )
    print("  odds      " + "  ".join(f"{lv} {p:.3f}" for lv, p in row["levels"].items()))
    return row


# ---------------------------------------------------------------------------------------------- Dask
def _warm(ds: Any, scenario: Any, params: Any) -> bool:
    """Fill a worker's caches (imports, airlift plans) before anything is timed."""
    from csto.sim.montecarlo import run_crisis

    run_crisis(ds, scenario, trials=200, seed=0, params=params)
    return True


def dask_scaling(
    scenario_id: str = "kazakhstan-2022",
    points: int = DASK_POINTS,
    trials: int = DASK_TRIALS,
    workers: tuple[int, ...] = (1, 2),
    *,
    repeats: int = REPS,
    seed: int = 0,
) -> dict[str, Any]:
    """Time ``points`` sweep points of ``trials`` trials (``csto.sim.sweep.run_points``, one point per task) on
    local clusters of each size in ``workers``.

    Each cluster is started and warmed (imports, caches) before the clock starts; the fastest of ``repeats``
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
            seconds[w], _, _ = best_of(
                max(1, repeats),
                lambda client=client: run_points(
                    client, ds, sc, params, pts, trials=trials, seed=seed, batch_size=1
                ),
            )
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


# ---------------------------------------------------------------------------------------------- memory
CHILD = """
import json, resource, sys, time
from csto.model import load_dataset
from csto.sim.catalog import find
from csto.sim.montecarlo import run_crisis
ds = load_dataset("csto")
sc = find(ds, sys.argv[1])
t = time.perf_counter()
r = run_crisis(ds, sc, trials=int(sys.argv[2]), seed=0)
print(json.dumps({"run_s": time.perf_counter() - t, "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "level": r.level, "monte_carlo": r.engine}))
"""


def memory_figures() -> dict[str, Any]:
    """Peak RSS and wall time of ``run_crisis(..., trials=10_000_000)`` in a child process."""
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, MEMORY_SCENARIO, str(MEMORY_TRIALS)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t
    child = json.loads(proc.stdout.strip().splitlines()[-1])
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN is the largest of the children waited for so far (this one)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "peak_rss_mb": peak_kb / 1024,
        "self_peak_rss_mb": child["self_maxrss_kb"] / 1024,
        "wall_s": wall,
        "run_s": child["run_s"],
        "level": child["level"],
        "monte_carlo": child["monte_carlo"],
    }


def main() -> None:
    print(f"{blas_report()}; {os.cpu_count()} CPUs; fastest of {REPS} replications")
    ds = load_dataset("csto")
    params = load_policy(ds)
    members = sorted(s.iso3 for s in ds.states)
    rows = {sid: bench_scenario(ds, params, members, sid) for sid in SCENARIOS}

    # memory first: RUSAGE_CHILDREN must not see the Dask workers
    mem = memory_figures()
    print(
        f"memory    run_crisis({MEMORY_SCENARIO}, trials={MEMORY_TRIALS:,}) in a subprocess: peak RSS "
        f"{mem['peak_rss_mb']:,.0f} MB, wall {mem['wall_s']:.1f} s (run_crisis {mem['run_s']:.1f} s, "
        f"{MEMORY_TRIALS / mem['run_s']:,.0f} trials/s, {mem['monte_carlo']})  < 2 GB "
        f"{verdict(mem['peak_rss_mb'] < TARGET_PEAK_MB)}"
    )

    dask = dask_scaling()
    seconds, eff = dask["seconds"], dask["parallel_efficiency"]
    print(
        f"dask      1 worker {seconds[1]:.2f} s, 2 workers {seconds[2]:.2f} s, efficiency t1/(2·t2) "
        f"{eff * 100:.0f} %  ≥ 80 % {verdict(eff >= TARGET_DASK_EFFICIENCY)}"
    )
    print(
        f"          (sweep points on a LocalCluster, 1 thread per worker: {dask['points']} points of "
        f"{dask['trials']:,} trials of {dask['scenario']}, one point a task, fastest of {dask['repeats']})"
    )

    mismatches = {
        sid: r["mesa_mismatch_first_200"] for sid, r in rows.items() if r["mesa_mismatch_first_200"]
    }
    if mismatches:
        print(f"MESA ≠ KERNEL on the first {AGREEMENT_TRIALS} trials: {mismatches}")

    def worst(key: str) -> float:
        return min(r[key] for r in rows.values())

    def r3(x: float) -> float:
        return float(f"{x:.4g}")

    summary = {
        "note": "headline figures are the slower of the scenarios",
        "scenarios": list(SCENARIOS),
        "engine_trials_per_s": r3(worst("engine_trials_per_s")),
        "kernel_trials_per_s": r3(worst("kernel_trials_per_s")),
        "mesa_trials_per_s": r3(worst("mesa_trials_per_s")),
        "draws_trials_per_s": r3(worst("draws_trials_per_s")),
        "kernel_vs_engine": r3(worst("kernel_vs_engine")),
        "kernel_vs_mesa": r3(worst("kernel_vs_mesa")),
        "mesa_cached_trials_per_s": r3(worst("mesa_cached_trials_per_s")),
        "kernel_vs_mesa_cached": r3(worst("kernel_vs_mesa_cached")),
        "mesa_agreement": worst("mesa_agreement"),
        "engine_agreement": worst("engine_agreement"),
        "dask_seconds": {str(k): round(v, 3) for k, v in seconds.items()},
        "dask_efficiency": round(eff, 3),
        "peak_rss_mb_10m": round(mem["peak_rss_mb"], 1),
        "wall_s_10m": round(mem["wall_s"], 2),
        "by_scenario": {
            sid: {
                k: r3(v)
                for k, v in r.items()
                if k
                in (
                    "engine_trials_per_s",
                    "kernel_trials_per_s",
                    "mesa_trials_per_s",
                    "draws_trials_per_s",
                    "kernel_vs_engine",
                    "kernel_vs_mesa",
                    "mesa_agreement",
                    "mesa_cached_trials_per_s",
                    "kernel_vs_mesa_cached",
                )
            }
            for sid, r in rows.items()
        },
    }
    summary["targets"] = {
        "kernel_vs_mesa_200x": verdict(summary["kernel_vs_mesa"] >= TARGET_KERNEL_VS_MESA),
        "kernel_1e6_per_s": verdict(summary["kernel_trials_per_s"] >= TARGET_KERNEL_RATE),
        "dask_efficiency_80": verdict(eff >= TARGET_DASK_EFFICIENCY),
        "peak_rss_under_2gb": verdict(mem["peak_rss_mb"] < TARGET_PEAK_MB),
    }
    print(json.dumps(summary))
    if mismatches:
        sys.exit(1)  # the one assertion: the Mesa baseline decides the same trials as the kernel


if __name__ == "__main__":
    main()
