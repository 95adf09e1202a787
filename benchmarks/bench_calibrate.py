"""The calibration's wall time, end to end: ``csto calibrate --seed 0`` as a user runs it (process start, the
calibration set's set-up, the sampler, the posterior written), once, and whether two runs with the same seed
give the same posterior summary (checked on the second run only when ``BENCH_REPS`` > 1). Target: 10 minutes
on 2 cores. Writes ``calibrate_seconds`` to ``benchmarks/.results/calibrate.json`` for the final line of
``bench_montecarlo.py``. Figures to read, not a test. Run: .venv/bin/python benchmarks/bench_calibrate.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / ".results"
REPS = int(os.environ.get("BENCH_REPS", "1"))
TARGET_SECONDS = 600.0


def run_once(out: Path) -> tuple[float, dict[str, object]]:
    csto = Path(sys.executable).with_name("csto")
    started = time.perf_counter()
    proc = subprocess.run(
        [str(csto), "calibrate", "--seed", "0", "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"csto calibrate failed ({proc.returncode}): {proc.stderr.strip()}")
    return wall, json.loads(proc.stdout)["summary"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        walls, summaries = [], []
        for i in range(max(1, REPS)):
            wall, summary = run_once(Path(tmp) / f"posterior-{i}.json")
            walls.append(wall)
            summaries.append(summary)
    same = all(s == summaries[0] for s in summaries)
    best = min(walls)
    verdict = "PASS" if best <= TARGET_SECONDS else "MISS"
    print(f"csto calibrate --seed 0: {best:.0f} s wall (target <= {TARGET_SECONDS:.0f} s: {verdict})")
    if len(summaries) > 1:
        print(f"same seed, same posterior summary over {len(summaries)} runs: {same}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "calibrate.json").write_text(
        json.dumps({"calibrate_seconds": round(best, 1), "calibrate_same_summary": same})
    )


if __name__ == "__main__":
    main()
