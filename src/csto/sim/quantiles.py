"""Exact quantiles of hours over many trials, without keeping every trial: a histogram in hundredths.

Every time a trial reports is already rounded to 0.01 h, so counting trials per hundredth of an hour loses
nothing: the quantiles read off the counts equal ``np.quantile`` (linear interpolation) over the rounded
values, and histograms from chunks add up in any order. It computes no times of its own.
"""

from __future__ import annotations

import numpy as np

QUANTILES = (("p05", 0.05), ("p50", 0.5), ("p95", 0.95))


def centi_counts(values: np.ndarray) -> np.ndarray:
    """Trials per hundredth of an hour (index ``k`` counts the value ``k / 100``) of the finite ``values``."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return np.zeros(0, dtype=np.int64)
    k = np.rint(v * 100.0).astype(np.int64)
    if k.min() < 0:
        raise ValueError("hours before the request cannot be counted")
    return np.bincount(k)


def add_counts(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The sum of two histograms of different lengths."""
    if a.size < b.size:
        a, b = b, a
    out = a.copy()
    out[: b.size] += b
    return out


def quantiles(counts: np.ndarray) -> dict[str, float] | None:
    """p05, p50 and p95 (rounded to 0.01 h) of the values counted in ``counts``; None when there are none."""
    n = int(counts.sum()) if counts.size else 0
    if n == 0:
        return None
    cum = np.cumsum(counts)

    def at(rank: int) -> float:  # the value of the rank-th smallest (0-based)
        return float(np.searchsorted(cum, rank, side="right")) / 100.0

    out = {}
    for name, p in QUANTILES:
        pos = p * (n - 1)
        lo = int(np.floor(pos))
        frac = pos - lo
        a = at(lo)
        b = at(min(lo + 1, n - 1))
        out[name] = round(a + (b - a) * frac, 2)
    return out
