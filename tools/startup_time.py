"""How fast the CLI starts: ``csto --help`` and ``python -c "import csto.cli"``, each in a fresh process.

Runs them interleaved (``--runs`` times each) and prints the best and the median of the wall time and of the
CPU time (user + system, of the child: on a busy machine the CPU time is the steadier figure), then one JSON
line. Usage: ``.venv/bin/python tools/startup_time.py [--runs 15]``. Nothing here is part of the package.
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

CSTO = Path(sys.executable).with_name("csto")
JOBS = {
    "help": [str(CSTO), "--help"],
    "import_cli": [sys.executable, "-c", "import csto.cli"],
}


def _once(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in JOBS}
    for cmd in JOBS.values():  # warm the file cache and the bytecode
        _once(cmd)
    for _ in range(runs):
        for name, cmd in JOBS.items():
            times[name].append(_once(cmd))
    doc: dict[str, object] = {"runs": runs, "load_average": os.getloadavg()[0]}
    for name, pairs in times.items():
        wall = [w for w, _ in pairs]
        cpu = [c for _, c in pairs]
        print(
            f"{name:10s} wall best {min(wall):.3f} s, median {statistics.median(wall):.3f} s; "
            f"cpu best {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s"
        )
        doc[f"{name}_s"] = {"best": round(min(wall), 3), "median": round(statistics.median(wall), 3)}
        doc[f"{name}_cpu_s"] = {"best": round(min(cpu), 3), "median": round(statistics.median(cpu), 3)}
    print(json.dumps(doc))


if __name__ == "__main__":
    main()
