"""Variance-based sensitivity of a sweep: Sobol first-order (S1) and total (ST) indices of the expected
response level over a Saltelli design (SALib), and the Monte Carlo noise they must stand out from.

It analyses numbers already computed; it never samples a design or runs a crisis.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from csto.model import RESPONSE_LADDER
from csto.sim.sweep.design import salib_problem
from csto.sim.sweep.parameters import ParamRange

if TYPE_CHECKING:
    from csto.sim.sweep.results import PointResult


def _num(x: Any) -> float | None:
    v = float(x)
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class SobolIndices:
    """First-order (S1) and total (ST) Sobol indices of the expected level, with 95 % bootstrap half-widths."""

    S1: dict[str, float | None]
    S1_conf: dict[str, float | None]
    ST: dict[str, float | None]
    ST_conf: dict[str, float | None]
    variance: float
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "S1": self.S1,
            "S1_conf": self.S1_conf,
            "ST": self.ST,
            "ST_conf": self.ST_conf,
            "variance": self.variance,
        }
        if self.note:
            out["note"] = self.note
        return out

    def ranked(self) -> list[str]:
        """Parameter names, most influential (largest ST) first."""
        return sorted(self.ST, key=lambda n: -(self.ST[n] or 0.0))


def sobol_indices(
    ranges: Sequence[ParamRange], y: np.ndarray, seed: int, noise_var: float = 0.0
) -> SobolIndices:
    """Sobol analysis of ``y`` on the design of ``sobol_points`` (a constant ``y`` has all indices 0).

    ``noise_var`` is the Monte Carlo variance of one point's ``y``; when the spread of ``y`` over the points
    is not clearly above it, the indices measure noise, and the result says so."""
    names = [r.name for r in ranges]
    var = float(np.var(y))
    note = None
    if var <= 4.0 * noise_var:
        note = (
            f"the spread of the expected level over the points (variance {var:.3g}) is within Monte Carlo noise "
            f"(about {noise_var:.3g} a point): these indices measure noise; raise --trials or widen the ranges"
        )
    if var <= 1e-12:
        zero: dict[str, float | None] = dict.fromkeys(names, 0.0)
        return SobolIndices(
            dict(zero),
            dict(zero),
            dict(zero),
            dict(zero),
            var,
            note="the expected level does not vary over the swept ranges, so no parameter explains any variance "
            "(all indices set to 0)",
        )
    from SALib.analyze import sobol

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        si = sobol.analyze(
            salib_problem(ranges), np.asarray(y, dtype=float), calc_second_order=True, seed=seed
        )

    def pick(key: str) -> dict[str, float | None]:
        return {n: _num(v) for n, v in zip(names, si[key], strict=True)}

    return SobolIndices(pick("S1"), pick("S1_conf"), pick("ST"), pick("ST_conf"), var, note=note)


def noise_var(results: Sequence[PointResult], trials: int) -> float:
    """The mean Monte Carlo variance of a point's expected level: Var(level at the point) / trials."""
    if not results:
        return 0.0
    within = [
        sum(p.probabilities[lv] * (i - p.expected_level) ** 2 for i, lv in enumerate(RESPONSE_LADDER))
        for p in results
    ]
    return float(np.mean(within)) / trials
