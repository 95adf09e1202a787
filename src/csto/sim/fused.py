"""The fused chunk: draws and decides each trial in one compiled pass (Numba), no per-trial normal arrays.

It runs the same SFC64 generator and the same float32 ziggurat as NumPy (``standard_normal(dtype=float32)``),
inlined, so a chunk's normals are bit for bit those of ``csto.sim.draws.chunk_normals``, trial after trial;
then it scores each rung as ``csto.sim.kernel.run_kernel`` does and returns the per-trial outcomes, whose
deployments go through the kernel's own tasking (``deploy_codes``). Without Numba, ``available()`` is False
and the Monte Carlo uses the NumPy kernel. It holds no treaty rule: the set-up and the taskings are the kernel's.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from csto.game.scenario import Scenario
from csto.model import Dataset
from csto.policy import FACTORS, PolicyParams
from csto.sim.kernel import LEVEL_INDEX, KernelResult, KernelSetup, deploy_codes, inject_fallback

_NB: Any = None  # the compiled functions, or False when Numba is missing


def _compiled() -> Any:
    """Compile (or load from the cache under the csto cache directory) the fused functions, once per process."""
    global _NB
    if _NB is None:
        if "NUMBA_CACHE_DIR" not in os.environ:
            from csto.model import diskcache

            base = diskcache.cache_dir()
            if base is not None:
                os.environ["NUMBA_CACHE_DIR"] = str(base / "numba")
        try:
            from csto.sim import _fused_nb
        except ImportError:
            _NB = False
        else:
            _NB = _fused_nb
    return _NB


# Below this many trials a run keeps the NumPy kernel: importing Numba and loading the compiled loop from its
# cache costs a process about 0.8 s (measured on the shared 2-core machine), more than the fused loop saves on
# a few million trials. ``CSTO_FUSED=on`` takes the fused path for any run, ``off`` never.
MIN_TRIALS = 4_000_000


def available() -> bool:
    """Numba is installed (and ``CSTO_FUSED`` is not ``off``): the Monte Carlo may take the fused path."""
    if os.environ.get("CSTO_FUSED", "").lower() in ("off", "0", "no", "false"):
        return False
    return bool(_compiled())


def wanted(trials: int) -> bool:
    """Whether a run of ``trials`` takes the fused path (see ``MIN_TRIALS``)."""
    forced = os.environ.get("CSTO_FUSED", "").lower() in ("on", "1", "yes", "true")
    return (forced or trials >= MIN_TRIALS) and available()


def sfc64_state(stream: np.random.SeedSequence) -> np.ndarray:
    """The SFC64 state NumPy seeds from ``stream``: a, b, c, counter, has_uint32, uinteger."""
    st = np.random.SFC64(stream).state
    return np.array([*st["state"]["state"], st["has_uint32"], st["uinteger"]], dtype=np.uint64)


def normals(stream: np.random.SeedSequence, n: int, k: int) -> np.ndarray:
    """``n`` rows of ``k`` float32 normals from the fused generator (for tests: NumPy's must equal them)."""
    out = np.empty((n, k), dtype=np.float32)
    _compiled().fill_normals(sfc64_state(stream), out)
    return out


def run_fused(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    ks: KernelSetup,
    stream: np.random.SeedSequence,
    n: int,
    deploy: bool = True,
) -> KernelResult:
    """``n`` trials of the chunk whose stream is ``stream`` (``ks.prep`` set, at most 62 voters): the same
    outcomes as ``run_kernel`` on ``draw_chunk(stream, ...)``'s arrays, trial by trial."""
    prep = ks.prep
    if prep is None or not fits(len(ks.order)):
        raise ValueError("the fused path needs a scenario the kernel decides, with at most 62 voters")
    nb = _compiled()
    th, tm = params.thresholds, params.timing
    L = len(ks.ladder)
    fl = FACTORS.index("lead_state")
    fidx = np.array(ks.factors, dtype=np.int64)
    mean = np.array([params.weight(f).weight for f in FACTORS])
    sd = np.array([params.weight(f).sd for f in FACTORS])
    rung_flags = np.array(
        [[lv in ("assistance", "deployment"), lv == "deployment", LEVEL_INDEX[lv]] for lv in ks.ladder],
        dtype=np.int64,
    ).reshape(L, 3)
    thresholds = [th.support, th.object, th.noise_sd, mean[fl]]
    consts = np.array(
        [*thresholds, tm.session_hours, tm.session_hours_sd, tm.decision_hours, tm.decision_hours_sd]
    )
    level = np.empty(n, dtype=np.int64)
    decided = np.empty(n)
    codes = np.zeros(n, dtype=np.int64)
    readiness = np.empty(n)
    nb.fused_chunk(
        sfc64_state(stream),
        fidx,
        mean,
        sd,
        ks.factors.index(fl) if fl in ks.factors else -1,
        np.ascontiguousarray(ks.V[:, :, fidx].transpose(1, 0, 2)),  # (rungs, voters, drawn factors)
        ks.pull,
        np.flatnonzero(ks.pull).astype(np.int64),
        ks.h,
        rung_flags,
        np.array([i for i, m in enumerate(ks.order) if m not in prep.parties], dtype=np.int64),
        ks.lead_in,
        params.lead_state in prep.parties,
        consts,
        level,
        decided,
        codes,
        readiness,
    )
    adopted = level >= 0
    level[~adopted] = 0
    res = KernelResult(
        level,
        np.where(adopted, np.round(decided, 2), np.nan),
        np.full(n, np.nan),
        np.full(n, np.nan),
        np.zeros(n),
        inject_fallback(sc, decided),
    )
    dep = np.flatnonzero(level == LEVEL_INDEX["deployment"])
    if dep.size and deploy:
        deploy_codes(
            ds,
            params,
            sc,
            ks,
            codes[dep],
            dep,
            decided,
            readiness,
            res.first_units_h,
            res.all_in_h,
            res.personnel,
            res.fallback,
        )
    return res


def fits(voters: int) -> bool:
    """Whether this many voters' support fits the fused path's bit patterns (one int64 per trial)."""
    return voters <= 62
