"""The compiled half of ``csto.sim.fused``: NumPy's SFC64 and float32 ziggurat inlined, and the trial loop.

Importing it imports Numba (an ImportError without it; ``csto.sim.fused`` then reports the path unavailable).
Functions compile once and are cached on disk (``NUMBA_CACHE_DIR``, set by ``csto.sim.fused`` under the csto
cache). The loop mirrors ``csto.sim.kernel.run_kernel`` rung by rung; it decides no tasking and knows no rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
from numba.np.random._constants import (
    fi_float,
    ki_float,
    wi_float,
    ziggurat_nor_inv_r_f,
    ziggurat_nor_r_f,
)

_WI = np.asarray(wi_float, dtype=np.float32)
_KI = np.asarray(ki_float, dtype=np.uint32)
_FI = np.asarray(fi_float, dtype=np.float32)
_R = np.float32(ziggurat_nor_r_f)
_INV_R = np.float32(ziggurat_nor_inv_r_f)
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)

Fn = TypeVar("Fn", bound=Callable[..., Any])


def njit(**options: Any) -> Callable[[Fn], Fn]:
    """``numba.njit(**options)``, typed for mypy (the compiled function keeps its Python signature)."""
    return cast(Callable[[Fn], Fn], numba.njit(**options))


@njit(cache=True, nogil=True, inline="always")
def _next64(st: Any) -> Any:
    a, b, c, w = st[0], st[1], st[2], st[3]
    tmp = a + b + w
    st[3] = w + np.uint64(1)
    st[0] = b ^ (b >> np.uint64(11))
    st[1] = c + (c << np.uint64(3))
    st[2] = ((c << np.uint64(24)) | (c >> np.uint64(40))) + tmp
    return tmp


@njit(cache=True, nogil=True, inline="always")
def _next32(st: Any) -> Any:
    if st[4] != 0:
        st[4] = 0
        return np.uint32(st[5])
    nxt = _next64(st)
    st[4] = 1
    st[5] = nxt >> np.uint64(32)
    return np.uint32(nxt & np.uint64(0xFFFFFFFF))


@njit(cache=True, nogil=True, inline="always")
def _next_float(st: Any) -> Any:
    return np.float32(np.float32(_next32(st) >> np.uint32(8)) * np.float32(1.0) / np.float32(16777216.0))


@njit(cache=True, nogil=True, inline="always")
def _normal_slow(st: Any, r: Any, idx: Any, x: Any) -> Any:
    """The ziggurat's rare branch (0.7 % of draws): the tail, or the wedge test; -1e30 means draw again."""
    rabs = (r >> np.uint32(9)) & np.uint32(0x0007FFFFF)
    if idx == 0:
        while True:
            xx = np.float32(-_INV_R * np.log1p(-_next_float(st)))
            yy = np.float32(-np.log1p(-_next_float(st)))
            if np.float32(yy + yy) > np.float32(xx * xx):
                if (rabs >> np.uint32(8)) & np.uint32(1):
                    return np.float32(-np.float32(_R + xx))
                return np.float32(_R + xx)
    if (_FI[idx - 1] - _FI[idx]) * _next_float(st) + _FI[idx] < np.float32(np.exp(-np.float32(0.5) * x * x)):
        return x
    return np.float32(-1e30)


@njit(cache=True, nogil=True, inline="always")
def _normal(st: Any) -> Any:
    """One float32 standard normal, as NumPy's ``random_standard_normal_f`` draws it."""
    while True:
        r = _next32(st)
        idx = r & np.uint32(0xFF)
        rabs = (r >> np.uint32(9)) & np.uint32(0x0007FFFFF)
        # the sign as an integer factor, not a branch (exact: float32 holds rabs < 2**23, and -(a*b) == (-a)*b)
        signed = np.int32(rabs) * (np.int32(1) - np.int32(2) * np.int32((r >> np.uint32(8)) & np.uint32(1)))
        x = np.float32(np.float32(signed) * _WI[idx])
        if rabs < _KI[idx]:
            return x
        y = _normal_slow(st, r, idx, x)
        if y != np.float32(-1e30):
            return y


@njit(cache=True, nogil=True)
def fill_normals(st: Any, out: Any) -> None:
    """``out`` (trials, k) filled row after row with normals."""
    n, k = out.shape
    for t in range(n):
        for j in range(k):
            out[t, j] = _normal(st)


@njit(cache=True, nogil=True)
def fused_chunk(
    st: Any,
    fidx: Any,
    mean: Any,
    sd: Any,
    r_lead: Any,
    Vf: Any,
    pull: Any,
    pulled: Any,
    h: Any,
    rung_flags: Any,
    nonparty: Any,
    lead_in: Any,
    lead_party: Any,
    consts: Any,
    level: Any,
    decided: Any,
    codes: Any,
    readiness: Any,
) -> None:
    """Each trial: draw its weights, voters' noise and timing (in ``draw_chunk``'s order), walk the ladder
    as ``run_kernel`` does, and write its rung (-1: none adopted), hours to the decision (unrounded), the
    supporters' bit pattern on the deployment rung, and its readiness term."""
    support, objection, noise_sd, lead_mean = consts[0], consts[1], consts[2], consts[3]
    sess, sess_sd, dec, dec_sd = consts[4], consts[5], consts[6], consts[7]
    L, M, KF = Vf.shape
    w = np.empty(KF)
    noise = np.empty(M)
    scores = np.empty(M)
    sup = np.empty(M, dtype=np.bool_)
    for t in range(level.shape[0]):
        for r in range(KF):
            f = fidx[r]
            v = np.float64(_normal(st)) * sd[f] + mean[f]
            w[r] = v if v > 0.0 else 0.0
        for i in range(M):
            noise[i] = np.float64(_normal(st)) * noise_sd
        z0 = np.float64(_normal(st))
        z1 = np.float64(_normal(st))
        readiness[t] = np.float64(_normal(st))
        wl = w[r_lead] if r_lead >= 0 else lead_mean
        rounds = 0
        lv = -1
        code = 0
        for j in range(L):
            any_sup = False
            any_obj = False
            for i in range(M):
                s = 0.0
                for r in range(KF):
                    s += Vf[j, i, r] * w[r]
                scores[i] = s + noise[i]
            if lead_in:
                s0 = scores[0]
                if s0 > support:
                    lead_val = 1.0
                elif s0 < objection:
                    lead_val = -1.0
                else:
                    lead_val = -0.5 * h[j]
                wl_eff = wl * lead_val
                for p in range(pulled.shape[0]):
                    i = pulled[p]
                    scores[i] += pull[i] * wl_eff
            for i in range(M):
                sup[i] = scores[i] > support
                any_sup = any_sup or sup[i]
                any_obj = any_obj or scores[i] < objection
            tabled = True
            if rung_flags[j, 0]:
                providers = False
                for p in range(nonparty.shape[0]):
                    providers = providers or sup[nonparty[p]]
                lead_backs = True if lead_party else (sup[0] if lead_in else False)
                tabled = providers and lead_backs
            if tabled:
                rounds += 1
            if tabled and any_sup and not any_obj:
                lv = rung_flags[j, 2]
                if rung_flags[j, 1]:
                    for i in range(M):
                        if sup[i]:
                            code |= 1 << i
                break
        session = max(sess + sess_sd * z0, 0.05)
        per_round = max(max(dec + dec_sd * z1, 0.2) / L, 0.05)
        decided[t] = session + rounds * per_round
        level[t] = lv
        codes[t] = code
