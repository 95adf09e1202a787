"""How fast the CLI starts: ``csto --help``, ``import csto.cli``, ``csto info --json`` and a one-trial
``csto crisis run kazakhstan-2022 --trials 1 --json``, each in a fresh process (the dataset cache warm).

Runs them interleaved (``--runs`` times each) and prints the best and the median of the wall time and of the
CPU time (user + system, of the child: on a busy machine the CPU time is the steadier figure), then one JSON
line. ``--baseline DIR`` also runs every job with ``PYTHONPATH=DIR`` (another checkout's ``src``, e.g. from
``git archive HEAD src | tar -x -C /tmp/before``), interleaved with the current one, so that a change is
measured side by side under the same load. Usage:
``.venv/bin/python tools/startup_time.py [--runs 15] [--only help,info_json] [--baseline /tmp/before/src]``.
Nothing here is part of the package.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

# what the `csto` console script runs, so that a baseline tree on PYTHONPATH is the one imported
LAUNCH = [sys.executable, "-c", "import sys; sys.argv[0] = 'csto'; from csto.cli import main; main()"]
JOBS = {
    "help": [*LAUNCH, "--help"],
    "import_cli": [sys.executable, "-c", "import csto.cli"],
    "info_json": [*LAUNCH, "info", "--json"],
    "crisis_1": [*LAUNCH, "crisis", "run", "kazakhstan-2022", "--trials", "1", "--json"],
}


def _once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default=",".join(JOBS), help="comma-separated jobs: " + ", ".join(JOBS))
    parser.add_argument("--baseline", type=Path, help="a source tree to time beside this one (PYTHONPATH)")
    args = parser.parse_args()
    envs = {"": dict(os.environ)}
    if args.baseline is not None:
        envs["base:"] = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
    runs: list[tuple[str, list[str], dict[str, str]]] = [
        (prefix + name, JOBS[name], env) for name in args.only.split(",") for prefix, env in envs.items()
    ]
    times: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in runs}
    for _, cmd, env in runs:  # warm the file cache, the bytecode and the dataset cache
        _once(cmd, env)
    for _ in range(args.runs):
        for label, cmd, env in runs:
            times[label].append(_once(cmd, env))
    doc: dict[str, object] = {"runs": args.runs, "load_average": os.getloadavg()[0]}
    for label, pairs in times.items():
        wall = [w for w, _ in pairs]
        cpu = [c for _, c in pairs]
        print(
            f"{label:15s} wall best {min(wall):.3f} s, median {statistics.median(wall):.3f} s; "
            f"cpu best {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s"
        )
        doc[f"{label}_s"] = {"best": round(min(wall), 3), "median": round(statistics.median(wall), 3)}
        doc[f"{label}_cpu_s"] = {"best": round(min(cpu), 3), "median": round(statistics.median(cpu), 3)}
    print(json.dumps(doc))


if __name__ == "__main__":
    main()
