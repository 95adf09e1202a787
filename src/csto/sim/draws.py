"""Each chunk's random draws: only what its trials consume, from the chunk's own stream.

A Monte Carlo run is cut into fixed-size chunks; chunk ``i`` draws from an SFC64 generator seeded with the
``i``-th child of ``SeedSequence(seed)``, so a result depends on the seed alone, never on how many processes
share the chunks. It draws nothing it does not need: the weights of the factors that are non-zero for some
voter on some rung of this scenario, the noise of the members who vote, and the three timing terms.

Why SFC64 and float32: SFC64 is NumPy's fastest bit generator (a chaotic 256-bit generator that passes
BigCrush and PractRand), and float32 normals come out of NumPy's ziggurat about twice as fast as float64.
Their 24-bit mantissa places each standard normal within 6e-8 of its value: a hundred thousandth of the
smallest spread in the model (weights' sd ≥ 0.1, noise sd 0.35), far below anything the model resolves. The
kernel and the engine then both compute in float64 on these same values, so they still agree trial by trial.
This module only draws; it decides nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from csto.policy import FACTORS, PolicyParams

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray]


def chunk_streams(seed: int, chunks: int) -> list[np.random.SeedSequence]:
    """The seed sequences of chunks ``0 .. chunks-1`` (chunk ``i``'s stream does not depend on ``chunks``)."""
    return np.random.SeedSequence(seed).spawn(chunks)


def chunk_normals(stream: np.random.SeedSequence, n: int, k: int) -> np.ndarray:
    """A chunk's float32 standard normals, ``k`` per trial, trial after trial: shape ``(n, k)``. Trial-major,
    so that the fused path (``csto.sim.fused``), which draws each trial's numbers as it decides it, consumes
    the very same stream."""
    return np.random.Generator(np.random.SFC64(stream)).standard_normal((n, k), dtype=np.float32)


def draw_chunk(
    stream: np.random.SeedSequence,
    params: PolicyParams,
    members: Sequence[str],
    factors: Sequence[int],
    voters: Sequence[int],
    n: int,
) -> Arrays:
    """``n`` trials' (weights, noise, timing) in the shapes ``sample_draws`` gives, drawing only the columns
    ``factors`` (indices into ``FACTORS``) and ``voters`` (indices into ``members``): the other weights stay
    at their means and the other members' noise at 0, values no trial reads."""
    z = chunk_normals(stream, n, len(factors) + len(voters) + 3)
    return arrays_from_normals(z, params, members, factors, voters)


def arrays_from_normals(
    z: np.ndarray, params: PolicyParams, members: Sequence[str], factors: Sequence[int], voters: Sequence[int]
) -> Arrays:
    """(weights, noise, timing) from a chunk's normals ``z`` (``chunk_normals``' layout): each trial's first
    ``len(factors)`` numbers are its weights, the next ``len(voters)`` its voters' noise, the last three its
    timing."""
    n = z.shape[0]
    kf, kv = len(factors), len(voters)
    # one row of normals per drawn column (weights, then noise, then timing), each row contiguous: the
    # arrays below are column-major views, which the kernel's matrix product reads without a copy
    zt = np.ascontiguousarray(z.T)
    mean = np.array([params.weight(f).weight for f in FACTORS])
    sd = np.array([params.weight(f).sd for f in FACTORS])
    weights = np.empty((len(FACTORS), n))
    noise = np.zeros((len(members), n))
    for r, f in enumerate(factors):
        np.multiply(zt[r], sd[f], out=weights[f])
        weights[f] += mean[f]
        np.maximum(weights[f], 0.0, out=weights[f])
    for f in set(range(len(FACTORS))) - set(factors):
        weights[f] = mean[f]
    for r, m in enumerate(voters):
        np.multiply(zt[kf + r], params.thresholds.noise_sd, out=noise[m])
    timing = zt[kf + kv :].astype(np.float64)
    return weights.T, noise.T, timing.T
