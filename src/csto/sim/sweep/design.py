"""Sweep designs: the points at which a sweep runs, as a full-factorial grid or Saltelli's Sobol design (SALib).

A design is a list of ``{parameter name: value}`` points over checked ``ParamRange``s. This module neither
runs the points nor analyses them (``sensitivity`` does, on the same SALib problem).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from csto.errors import InputError
from csto.sim.sweep.parameters import ParamRange

Method = Literal["grid", "sobol"]
METHODS: tuple[str, ...] = ("grid", "sobol")
DEFAULT_SAMPLES: dict[str, int] = {"grid": 11, "sobol": 256}
MAX_GRID_POINTS = 4096


def grid_points(ranges: Sequence[ParamRange], k: int) -> tuple[list[dict[str, float]], int, str | None]:
    """Full factorial of ``k`` evenly spaced values per parameter, capped at ``MAX_GRID_POINTS`` in all.

    Returns the points (the first parameter varies slowest), the ``k`` used, and a note when capped."""
    if k < 2:
        raise InputError("a grid needs at least 2 points per parameter", field="--samples", expected="≥ 2")
    note = None
    d = len(ranges)
    if k**d > MAX_GRID_POINTS:
        capped = math.floor(MAX_GRID_POINTS ** (1.0 / d) + 1e-9)
        while (capped + 1) ** d <= MAX_GRID_POINTS:
            capped += 1
        while capped**d > MAX_GRID_POINTS:
            capped -= 1
        if capped < 2:
            raise InputError(
                f"{d} parameters on a grid need at least {2**d:,} points, over the cap of {MAX_GRID_POINTS:,}",
                field="--param",
                expected="fewer parameters, or --method sobol",
            )
        note = (
            f"the grid is capped at {MAX_GRID_POINTS:,} points: {capped} values per parameter instead of {k} "
            f"({capped**d:,} points instead of {k**d:,})"
        )
        k = capped
    axes = [np.linspace(r.low, r.high, k) for r in ranges]
    pts = [
        {r.name: float(v) for r, v in zip(ranges, combo, strict=True)} for combo in itertools.product(*axes)
    ]
    return pts, k, note


def salib_problem(ranges: Sequence[ParamRange]) -> dict[str, Any]:
    """The SALib problem of ``ranges``: the same for sampling the design and for analysing it."""
    return {
        "num_vars": len(ranges),
        "names": [r.name for r in ranges],
        "bounds": [[r.low, r.high] for r in ranges],
    }


def sobol_points(ranges: Sequence[ParamRange], n: int, seed: int) -> list[dict[str, float]]:
    """Saltelli's design for first, total and second-order indices: ``n · (2D + 2)`` points."""
    if n < 2 or n & (n - 1):
        raise InputError(
            f"--samples {n}: the Sobol design needs a power of two base samples",
            field="--samples",
            expected="a power of two ≥ 2, e.g. 256",
        )
    try:
        from SALib.sample import sobol as sobol_sample
    except ImportError:  # pragma: no cover - SALib before 1.4.6 named it saltelli
        from SALib.sample import saltelli as sobol_sample
    x = sobol_sample.sample(salib_problem(ranges), n, calc_second_order=True, seed=seed)
    return [{r.name: float(v) for r, v in zip(ranges, row, strict=True)} for row in np.asarray(x)]
