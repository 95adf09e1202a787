"""Monte Carlo benchmarks, end to end and against honest baselines; its last line is the bench's JSON.

- End to end: the wall time of ``csto crisis run SCENARIO --trials 10^7 --json`` (process start included),
  for kazakhstan-2022 and armenia-2022, after one warm-up run (which fills the airlift-plan cache).
- Peak RSS of such a run, measured in a clean child (a tiny launcher's RUSAGE_CHILDREN: the largest process
  of the run, the CLI or one of its workers, never this benchmark's own memory).
- The kernel against the analyst-style Mesa model (``mesa_model.py``), one process each: with the draws on
  both sides (the kernel's chunked SFC64 draws; Mesa's own ``rng``) and without them on both sides (the same
  pre-drawn arrays); the Mesa model must agree with the kernel on the same draws trial by trial, and on its
  own draws in distribution (chi-square on the rungs). The engine's rate for reference.
- ``csto info --json``'s wall time.
Every timing is repeated REPS times, interleaved (a, b, a, b, ...), and given as median and range.
Figures to read, not tests: targets get PASS/MISS, and only a Mesa/kernel disagreement fails (exit 1).
Other benchmark scripts contribute keys to the final line by writing ``benchmarks/.results/NAME.json``
before this one runs (see README.md). Run: make bench   (or .venv/bin/python benchmarks/bench_montecarlo.py)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from csto.model import RESPONSE_LADDER, load_dataset
from csto.policy import load_policy
from csto.policy.model import draw_at, sample_draws
from csto.sim.catalog import find
from csto.sim.draws import chunk_streams, draw_chunk
from csto.sim.kernel import run_kernel, setup_kernel
from csto.sim.runner import run_trial

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from mesa_model import CouncilModel  # noqa: E402

RESULTS = HERE / ".results"
CSTO = str(Path(sys.executable).with_name("csto"))
SCENARIOS = ("kazakhstan-2022", "armenia-2022")
E2E_TRIALS = 10_000_000
KERNEL_TRIALS = 1 << 20  # four of the Monte Carlo's chunks
MESA_TRIALS = 20_000
AGREEMENT_TRIALS = 20_000
ENGINE_TRIALS = 300
REPS = int(os.environ.get("BENCH_REPS", "5"))
SEED = 20220106

TARGET_E2E = 5e6
TARGET_KERNEL_VS_MESA = 100.0
TARGET_INFO_S = 0.3
TARGET_PEAK_MB = 2048.0


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def spread(xs: list[float]) -> dict[str, float]:
    """Median and range of a list of figures (3 significant digits)."""
    return {
        k: float(f"{v:.3g}")
        for k, v in (("median", statistics.median(xs)), ("min", min(xs)), ("max", max(xs)))
    }


def fmt(s: dict[str, float], unit: str = "") -> str:
    return f"{s['median']:,.3g}{unit} (range {s['min']:,.3g}–{s['max']:,.3g})"


def interleaved(fns: dict[str, Callable[[], Any]], reps: int = REPS) -> dict[str, list[float]]:
    """Seconds of each function over ``reps`` rounds, one call of each per round."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(reps):
        for k, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t)
    return times


def blas_report() -> str:
    env = ", ".join(f"{k}={os.environ.get(k, 'unset')}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return f"BLAS: threadpoolctl not installed; {env}"
    libs = [
        f"{i.get('internal_api')} {i.get('version')} kernel {i.get('architecture', '?')}"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    ]
    return f"BLAS: {'; '.join(libs) or 'none loaded'}; {env}"


# ---------------------------------------------------------------------------------------------- end to end
LAUNCHER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
print(json.dumps({"wall_s": wall, "rc": p.returncode, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "out_tail": p.stdout[-300:].decode(errors="replace"), "err": p.stderr[-500:].decode(errors="replace")}))
"""


def clean_child(args: list[str]) -> dict[str, Any]:
    """Run ``args`` from a tiny launcher: its wall time, exit code and peak RSS (the launcher's children only)."""
    out = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, *args], capture_output=True, text=True, check=True
    )
    doc: dict[str, Any] = json.loads(out.stdout)
    if doc["rc"] != 0:
        raise SystemExit(f"{' '.join(args)} failed: {doc['err']}")
    return doc


def e2e() -> dict[str, Any]:
    cmds = {sid: [CSTO, "crisis", "run", sid, "--trials", str(E2E_TRIALS), "--json"] for sid in SCENARIOS}
    for cmd in cmds.values():
        clean_child(cmd)  # warm-up: the airlift-plan cache, the OS's file cache
    walls: dict[str, list[float]] = {sid: [] for sid in SCENARIOS}
    rss: dict[str, list[float]] = {sid: [] for sid in SCENARIOS}
    for _ in range(REPS):
        for sid, cmd in cmds.items():
            doc = clean_child(cmd)
            walls[sid].append(doc["wall_s"])
            rss[sid].append(doc["maxrss_kb"] / 1024)
    info = [CSTO, "info", "--json"]
    clean_child(info)
    info_s = [clean_child(info)["wall_s"] for _ in range(REPS)]
    return {
        "e2e_trials_per_s": {sid: spread([E2E_TRIALS / w for w in walls[sid]]) for sid in SCENARIOS},
        "e2e_wall_s": {sid: spread(walls[sid]) for sid in SCENARIOS},
        "peak_rss_mb_10m": {sid: round(max(rss[sid]), 1) for sid in SCENARIOS},
        "info_json_s": spread(info_s),
    }


# ---------------------------------------------------------------------------------------------- kernel vs Mesa
def kernel_with_draws(ds: Any, params: Any, sc: Any, members: list[str], ks: Any) -> None:
    """The Monte Carlo's own path in one process: each chunk's draws, then the kernel."""
    chunk = 1 << 18
    streams = chunk_streams(SEED, KERNEL_TRIALS // chunk)
    for st in streams:
        run_kernel(
            ds,
            params,
            sc,
            draw_chunk(st, params, members, ks.factors, ks.noise_cols, chunk),
            members,
            setup=ks,
        )


def mesa_run(
    ds: Any, params: Any, sc: Any, members: list[str], n: int, arrays: Any = None, rng: int = SEED
) -> CouncilModel:
    model = CouncilModel(ds, params, sc, members, arrays=arrays, rng=rng)
    for _ in range(n):
        model.step()
    return model


def agreement(ds: Any, params: Any, sc: Any, members: list[str], ks: Any) -> dict[str, Any]:
    """Mesa against the kernel: trial by trial on the same draws; in distribution on its own draws."""
    from scipy.stats import chi2_contingency, ks_2samp

    arrays = draw_chunk(
        chunk_streams(SEED, 1)[0], params, members, ks.factors, ks.noise_cols, AGREEMENT_TRIALS
    )
    k = run_kernel(ds, params, sc, arrays, members, setup=ks)
    m = mesa_run(ds, params, sc, members, AGREEMENT_TRIALS, arrays=arrays)
    same = [
        a == b
        and _eq(m.decision_h[i], k.decision_h[i])
        and _eq(m.first_units_h[i], k.first_units_h[i])
        and _eq(m.all_in_h[i], k.all_in_h[i])
        for i, (a, b) in enumerate(zip(m.levels, k.levels(), strict=True))
    ]
    own = mesa_run(ds, params, sc, members, AGREEMENT_TRIALS, rng=SEED + 1)
    big = draw_chunk(chunk_streams(SEED + 2, 1)[0], params, members, ks.factors, ks.noise_cols, 200_000)
    kb = run_kernel(ds, params, sc, big, members, setup=ks)
    kc = np.bincount(kb.level, minlength=len(RESPONSE_LADDER))
    mc = own.level_counts()
    cols = (kc + mc) > 0
    p_levels = float(chi2_contingency(np.vstack([kc[cols], mc[cols]]))[1]) if cols.sum() > 1 else 1.0
    md = np.array(own.decision_h)
    kd = kb.decision_h
    p_hours = (
        float(ks_2samp(md[np.isfinite(md)], kd[np.isfinite(kd)]).pvalue) if np.isfinite(md).any() else 1.0
    )
    return {
        "same_draws_agree": int(sum(same)),
        "same_draws_trials": AGREEMENT_TRIALS,
        "first_mismatches": [i for i, ok in enumerate(same) if not ok][:5],
        "own_draws_chi2_p_levels": round(p_levels, 4),
        "own_draws_ks_p_decision_h": round(p_hours, 4),
    }


def _eq(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 0.011


def versus_mesa(ds: Any, params: Any, members: list[str], sid: str) -> dict[str, Any]:
    sc = find(ds, sid)
    ks = setup_kernel(ds, params, sc, members)
    kernel_with_draws(ds, params, sc, members, ks)  # warm-up (plans every tasking once)
    arrays = draw_chunk(chunk_streams(SEED, 1)[0], params, members, ks.factors, ks.noise_cols, KERNEL_TRIALS)
    small = tuple(a[:MESA_TRIALS] for a in arrays)
    t = interleaved(
        {
            "kernel_draws": lambda: kernel_with_draws(ds, params, sc, members, ks),
            "mesa_draws": lambda: mesa_run(ds, params, sc, members, MESA_TRIALS),
            "kernel": lambda: run_kernel(ds, params, sc, arrays, members, setup=ks),
            "mesa": lambda: mesa_run(ds, params, sc, members, MESA_TRIALS, arrays=small),
        }
    )
    rate = {
        k: [(KERNEL_TRIALS if k.startswith("kernel") else MESA_TRIALS) / s for s in v] for k, v in t.items()
    }
    with_draws = [a / b for a, b in zip(rate["kernel_draws"], rate["mesa_draws"], strict=True)]
    without = [a / b for a, b in zip(rate["kernel"], rate["mesa"], strict=True)]
    # the reference engine, one trial at a time (few trials: it is slow), on sample_draws' arrays
    eng_arrays = sample_draws(np.random.default_rng(SEED), params, members, ENGINE_TRIALS)
    t0 = time.perf_counter()
    for i in range(ENGINE_TRIALS):
        run_trial(ds, params, sc, draw_at(eng_arrays, members, i), narrate=False)
    engine_rate = ENGINE_TRIALS / (time.perf_counter() - t0)
    agree = agreement(ds, params, sc, members, ks)
    row = {
        "kernel_with_draws_trials_per_s": spread(rate["kernel_draws"]),
        "mesa_with_draws_trials_per_s": spread(rate["mesa_draws"]),
        "kernel_trials_per_s": spread(rate["kernel"]),
        "mesa_trials_per_s": spread(rate["mesa"]),
        "kernel_vs_mesa_e2e": spread(with_draws),
        "kernel_vs_mesa_no_draws": spread(without),
        "engine_trials_per_s": float(f"{engine_rate:.3g}"),
        "agreement": agree,
    }
    print(f"{sid}")
    print(
        f"  kernel+draws  {fmt(row['kernel_with_draws_trials_per_s'])} trials/s (one process, chunked SFC64 draws)"
    )
    print(f"  Mesa+draws    {fmt(row['mesa_with_draws_trials_per_s'])} trials/s (its own rng)")
    print(f"  kernel        {fmt(row['kernel_trials_per_s'])} trials/s (draws excluded)")
    print(f"  Mesa          {fmt(row['mesa_trials_per_s'])} trials/s (draws excluded: reads the same arrays)")
    print(f"  engine        {engine_rate:,.0f} trials/s")
    print(
        f"  kernel/Mesa   draws included {fmt(row['kernel_vs_mesa_e2e'], '×')}  ≥ 100× "
        f"{verdict(row['kernel_vs_mesa_e2e']['median'] >= TARGET_KERNEL_VS_MESA)};  "
        f"draws excluded {fmt(row['kernel_vs_mesa_no_draws'], '×')}"
    )
    print(
        f"  agreement     same draws {agree['same_draws_agree']:,}/{agree['same_draws_trials']:,} trials "
        f"(rung, decision, first units, all in); own draws: chi-square p = {agree['own_draws_chi2_p_levels']} "
        f"(rungs), KS p = {agree['own_draws_ks_p_decision_h']} (hours to decision)"
    )
    return row


def contributed() -> tuple[dict[str, Any], dict[str, str]]:
    """The keys other benchmark scripts left in ``.results/*.json``, and how old each file is."""
    keys: dict[str, Any] = {}
    ages: dict[str, str] = {}
    for f in sorted(RESULTS.glob("*.json")):
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"skipped {f.name}: {exc}")
            continue
        if isinstance(doc, dict):
            keys.update(doc)
            ages[f.name] = f"written {time.time() - f.stat().st_mtime:,.0f} s before this line"
    return keys, ages


def main() -> None:
    print(
        f"{blas_report()}; {os.cpu_count()} CPUs; each figure: median and range over {REPS} interleaved runs"
    )
    ds = load_dataset("csto")
    params = load_policy(ds)
    members = sorted(s.iso3 for s in ds.states)
    rows = {sid: versus_mesa(ds, params, members, sid) for sid in SCENARIOS}
    ends = e2e()
    for sid in SCENARIOS:
        r = ends["e2e_trials_per_s"][sid]
        print(
            f"end to end  csto crisis run {sid} --trials {E2E_TRIALS:,} --json: {fmt(ends['e2e_wall_s'][sid], ' s')}"
            f" = {fmt(r)} trials/s  ≥ 5e6 {verdict(r['median'] >= TARGET_E2E)};  peak RSS "
            f"{ends['peak_rss_mb_10m'][sid]:,.0f} MB (largest process, clean child)"
        )
    print(
        f"info        csto info --json: {fmt(ends['info_json_s'], ' s')}  ≤ 0.3 s "
        f"{verdict(ends['info_json_s']['median'] <= TARGET_INFO_S)}"
    )
    bad = {
        sid: r["agreement"]
        for sid, r in rows.items()
        if r["agreement"]["same_draws_agree"] != r["agreement"]["same_draws_trials"]
        or r["agreement"]["own_draws_chi2_p_levels"] < 0.001
    }
    if bad:
        print(f"MESA ≠ KERNEL: {bad}")
    worst_ratio = min(rows.values(), key=lambda r: r["kernel_vs_mesa_e2e"]["median"])
    summary: dict[str, Any] = {
        "note": "median and range over interleaved runs on a shared 2-core machine; e2e is the CLI's wall time",
        "e2e_trials_per_s": ends["e2e_trials_per_s"],
        "kernel_vs_mesa_e2e": worst_ratio["kernel_vs_mesa_e2e"],
        "kernel_vs_mesa_no_draws": min(r["kernel_vs_mesa_no_draws"]["median"] for r in rows.values()),
        "peak_rss_mb_10m": max(ends["peak_rss_mb_10m"].values()),
        "info_json_s": ends["info_json_s"],
        "by_scenario": {
            sid: {k: v for k, v in r.items()} | {"e2e_wall_s": ends["e2e_wall_s"][sid]}
            for sid, r in rows.items()
        },
    }
    summary["targets"] = {
        "e2e_5e6": verdict(all(v["median"] >= TARGET_E2E for v in ends["e2e_trials_per_s"].values())),
        "kernel_vs_mesa_e2e_100x": verdict(summary["kernel_vs_mesa_e2e"]["median"] >= TARGET_KERNEL_VS_MESA),
        "info_json_0_3_s": verdict(ends["info_json_s"]["median"] <= TARGET_INFO_S),
        "peak_rss_under_2gb": verdict(summary["peak_rss_mb_10m"] < TARGET_PEAK_MB),
    }
    extra, ages = contributed()
    summary.update({k: v for k, v in extra.items() if k not in summary})
    summary["contributed"] = ages
    print(json.dumps(summary))
    if bad:
        sys.exit(1)  # the one assertion: the Mesa baseline decides as the kernel does


if __name__ == "__main__":
    main()
