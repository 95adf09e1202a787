"""One sweep from start to finish: check the ranges, lay out the design, run the points on Dask, and (for a
Sobol design) analyse the expected level.

It composes the other modules of ``csto.sim.sweep`` and adds no rule of its own; it never prints or plots
(the CLI renders, ``SweepResult.to_frame()`` feeds notebooks).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from csto.errors import InputError
from csto.extras import require_extra
from csto.game.scenario import Scenario
from csto.model import Dataset
from csto.policy import PolicyParams
from csto.sim.sweep.cluster import Progress, connect, run_points
from csto.sim.sweep.design import DEFAULT_SAMPLES, METHODS, grid_points, sobol_points
from csto.sim.sweep.parameters import (
    ParamRange,
    bad_param,
    check_point,
    check_range,
    parse_param,
    valid_names,
)
from csto.sim.sweep.results import SweepResult
from csto.sim.sweep.sensitivity import noise_var, sobol_indices

DEFAULT_TRIALS = 2000


def sweep(
    ds: Dataset,
    scenario: Scenario,
    ranges: Sequence[ParamRange | str],
    *,
    method: str = "sobol",
    trials: int = DEFAULT_TRIALS,
    samples: int | None = None,
    seed: int = 0,
    workers: int = 2,
    scheduler: str | None = None,
    params: PolicyParams | None = None,
    progress: Progress | None = None,
    processes: bool = True,
    client: Any = None,
) -> SweepResult:
    """Sweep ``ranges`` (``ParamRange`` or ``"NAME=LOW:HIGH"``) over ``scenario`` on Dask workers.

    ``grid``: ``samples`` values per parameter (default 11), full factorial, capped. ``sobol``: ``samples``
    base samples (default 256, a power of two) → ``samples · (2D + 2)`` points and Sobol indices of the
    expected level. Pass ``client`` to reuse a Dask client; ``processes=False`` runs workers as threads."""
    require_extra("sweep", "csto.sim.sweep.sweep()")
    t0 = time.perf_counter()
    if method not in METHODS:
        raise InputError(f"unknown method '{method}'", field="--method", expected="grid or sobol")
    if trials < 1:
        raise InputError("the number of trials must be at least 1", field="--trials", expected="≥ 1")
    rs = [parse_param(r) if isinstance(r, str) else check_range(r) for r in ranges]
    if not rs:
        raise bad_param("give at least one --param NAME=LOW:HIGH", "one of: " + valid_names())
    seen: set[str] = set()
    for r in rs:
        if r.name in seen:
            raise bad_param(f"parameter '{r.name}' is given twice", "each parameter at most once")
        seen.add(r.name)
    if params is None:
        from csto.policy import load_policy

        params = load_policy(ds)
    k = samples if samples is not None else DEFAULT_SAMPLES[method]
    note = None
    if method == "grid":
        points, k_used, note = grid_points(rs, k)
    else:
        points, k_used = sobol_points(rs, k, seed), k
    for i, v in enumerate(points):
        check_point(params, v, i)
    if client is not None:
        results = run_points(
            client, ds, scenario, params, points, trials=trials, seed=seed, progress=progress
        )
        n_workers = len(client.nthreads())
    else:
        with connect(workers, scheduler, processes=processes) as c:
            results = run_points(c, ds, scenario, params, points, trials=trials, seed=seed, progress=progress)
            n_workers = len(c.nthreads())
    sob = None
    if method == "sobol":
        y = np.array([p.expected_level for p in results])
        sob = sobol_indices(rs, y, seed, noise_var=noise_var(results, trials))
    return SweepResult(
        scenario=scenario.id,
        method=method,
        ranges=rs,
        trials=trials,
        seed=seed,
        samples=k_used,
        points=results,
        workers=n_workers,
        seconds=time.perf_counter() - t0,
        sobol=sob,
        note=note,
    )
