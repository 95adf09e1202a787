"""Calibration: the decision model's weights and thresholds fitted to the calibration set by Bayesian inference.

The calibration set is every episode of the chosen alliances that a bundled scenario describes. The
likelihood of an episode is the model's probability of its recorded rung, computed with the vectorized
kernel (``csto.sim.kernel.decide``) on common random numbers: each episode keeps the same standard normals for
every parameter value tried, so the likelihood is a deterministic function of the parameters. A record is
taken to be right with a probability set by its confidence (a misrecorded rung is any other rung). The
priors are the policy's reasoned values with their spreads; the sampler is emcee's affine-invariant ensemble
(a kept library, not a hand-rolled sampler). Member profiles are data and are not fitted; nothing here is
keyed by an episode: an episode enters only through its scenario's features and its recorded rung.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from csto.errors import CstoError
from csto.extras import require_extra
from csto.model import RESPONSE_LADDER, Dataset, load_dataset
from csto.policy import FACTORS, PolicyParams, load_policy
from csto.policy.posterior import Posterior, parameter_names, params_at
from csto.sim.catalog import bundled
from csto.sim.kernel import KernelSetup, decide, setup_kernel

#: How likely a recorded rung is to be right, by the record's confidence (assumed: a high-confidence record
#: is rarely wrong; a low-confidence one, such as Batken 1999's disputed Council decision, often is).
RECORD_RIGHT = {"high": 0.95, "medium": 0.85, "low": 0.65, None: 0.85}
#: The prior's spread of each weight's mean, in units of the spread the policy gives across trials (assumed:
#: the policy's sd says how a weight varies from one trial to the next; what it should be is less certain).
PRIOR_SCALE = 3.0
#: The prior on the thresholds: centred on the policy's values, with this sd (assumed).
THRESHOLD_PRIOR_SD = 0.4
#: Probability floor of a predicted rung: (1 - EPS) p + EPS / 5, so that no rung is ever impossible.
EPS = 0.02
#: Convergence: the largest split R-hat over the walkers' chains, and the acceptance fractions allowed.
RHAT_MAX = 1.1
ACCEPTANCE = (0.1, 0.8)


class NotConverged(CstoError):
    """The sampler did not converge: the diagnostics say why, and no posterior is written."""


@dataclass
class Case:
    """One episode of the calibration set: its kernel set-up and common random numbers, its record."""

    alliance: str
    episode: str
    recorded: int  # index on RESPONSE_LADDER
    confidence: str | None
    ks: KernelSetup
    params: PolicyParams
    z_weights: np.ndarray  # (trials, factors)
    z_noise: np.ndarray  # (voters, trials), in ks.order
    ceiling: str = "none"  # the highest rung the request and the rules allow (a baseline)


@dataclass
class Prior:
    """Independent normal priors: each weight's mean (truncated at 0) and the two thresholds."""

    mean: np.ndarray
    sd: np.ndarray

    def log_density(self, theta: np.ndarray) -> np.ndarray:
        """Log prior of each row of ``theta`` (-inf outside the support: a negative weight, or an object
        threshold not below the support threshold)."""
        nf = len(FACTORS)
        lp = -0.5 * (((theta - self.mean) / self.sd) ** 2).sum(axis=1)
        bad = (theta[:, :nf] < 0).any(axis=1) | (theta[:, nf + 1] >= theta[:, nf])
        return np.where(bad, -np.inf, lp)


def prior_of(params: PolicyParams) -> Prior:
    mean = [params.weight(f).weight for f in FACTORS] + [params.thresholds.support, params.thresholds.object]
    sd = [max(params.weight(f).sd * PRIOR_SCALE, 0.05) for f in FACTORS] + [THRESHOLD_PRIOR_SD] * 2
    return Prior(np.array(mean), np.array(sd))


def cases_of(alliances: tuple[str, ...], trials: int, seed: int, exclude: tuple[str, ...] = ()) -> list[Case]:
    """The calibration set of ``alliances``: one case per episode that a bundled scenario describes."""
    out: list[Case] = []
    for alliance in alliances:
        ds = load_dataset(alliance)
        params = load_policy(ds)
        out += _alliance_cases(ds, alliance, params, trials, seed, exclude)
    return out


def _alliance_cases(
    ds: Dataset, alliance: str, params: PolicyParams, trials: int, seed: int, exclude: tuple[str, ...]
) -> list[Case]:
    members = sorted(s.iso3 for s in ds.states)
    scenarios = {s.episode: s for s in bundled(ds) if s.episode}
    out = []
    for ep in ds.episodes:
        sc = scenarios.get(ep.id)
        if sc is None or ep.id in exclude:
            continue
        ks = setup_kernel(ds, params, sc, members)
        # the episode's own stream: the same numbers whatever else is in the set (a leave-one-out fold too)
        key = [seed, *(ord(c) for c in f"{alliance}/{ep.id}")]
        rng = np.random.default_rng(np.random.SeedSequence(key))
        z_w = rng.standard_normal((trials, len(FACTORS)))
        z_n = rng.standard_normal((len(ks.order), trials))
        out.append(
            Case(
                alliance,
                ep.id,
                RESPONSE_LADDER.index(ep.response.level),
                ep.response.confidence,
                ks,
                params,
                z_w,
                z_n,
                ks.prep.cap if ks.prep is not None else "none",
            )
        )
    return out


def rung_probabilities(case: Case, theta: np.ndarray) -> np.ndarray:
    """(rows of ``theta``, rungs): the model's probability of each rung in ``case``, for each parameter row,
    on the case's common random numbers."""
    W = theta.shape[0]
    T = case.z_weights.shape[0]
    R = len(RESPONSE_LADDER)
    if case.ks.prep is None:  # no session ever opens: nothing happens whatever the weights
        out = np.zeros((W, R))
        out[:, 0] = 1.0
        return out
    nf = len(FACTORS)
    sd = np.array([case.params.weight(f).sd for f in FACTORS])
    weights = np.maximum(0.0, theta[:, None, :nf] + sd * case.z_weights[None, :, :]).reshape(W * T, nf)
    noise_t = np.tile(case.z_noise * case.params.thresholds.noise_sd, (1, W))
    support = np.repeat(theta[:, nf], T)
    objection = np.repeat(theta[:, nf + 1], T)
    level, _, _, _ = decide(case.ks, weights, noise_t, support, objection, case.params.lead_state)
    rows = np.repeat(np.arange(W) * R, T)
    counts = np.bincount(rows + level, minlength=W * R).reshape(W, R)
    probs: np.ndarray = counts / T
    return probs


def floored(p: np.ndarray) -> np.ndarray:
    return (1.0 - EPS) * p + EPS / len(RESPONSE_LADDER)


def record_likelihood(case: Case, p: np.ndarray) -> np.ndarray:
    """The likelihood of the case's record given rung probabilities ``p`` (rows): right with the record's
    confidence, otherwise any other rung."""
    q = floored(p)
    right = RECORD_RIGHT.get(case.confidence, RECORD_RIGHT[None])
    p_rec = q[:, case.recorded]
    return right * p_rec + (1.0 - right) * (1.0 - p_rec) / (len(RESPONSE_LADDER) - 1)


def log_likelihood(theta: np.ndarray, cases: list[Case]) -> np.ndarray:
    total = np.zeros(theta.shape[0])
    for case in cases:
        total += np.log(record_likelihood(case, rung_probabilities(case, theta)))
    return total


@dataclass
class Fit:
    """A calibration's draws and diagnostics."""

    draws: np.ndarray
    names: tuple[str, ...]
    diagnostics: dict[str, Any]
    converged: bool
    episodes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, dict[str, float]]:
        rhat = self.diagnostics.get("rhat", {})
        out = {}
        for j, name in enumerate(self.names):
            col = self.draws[:, j]
            out[name] = {
                "mean": round(float(col.mean()), 4),
                "sd": round(float(col.std()), 4),
                "q05": round(float(np.quantile(col, 0.05)), 4),
                "q95": round(float(np.quantile(col, 0.95)), 4),
                "rhat": round(float(rhat.get(name, float("nan"))), 4),
            }
        return out


def split_rhat(chains: np.ndarray) -> np.ndarray:
    """Split R-hat (Gelman et al., BDA3 §11.4) of each parameter over chains (steps, chains, params)."""
    n = chains.shape[0] // 2
    halves = np.concatenate([chains[:n], chains[n : 2 * n]], axis=1)
    within = halves.var(axis=0, ddof=1).mean(axis=0)
    between = n * halves.mean(axis=0).var(axis=0, ddof=1)
    var_hat = (n - 1) / n * within + between / n
    out: np.ndarray = np.sqrt(var_hat / np.maximum(within, 1e-300))
    return out


def fit(
    cases: list[Case],
    prior: Prior,
    *,
    seed: int = 0,
    walkers: int = 32,
    steps: int = 4000,
    burn: int = 1300,
    keep: int = 200,
    start: np.ndarray | None = None,
) -> Fit:
    """Sample the posterior of the parameters given ``cases`` with emcee; keep ``keep`` draws after ``burn``."""
    require_extra("calibrate", "csto calibrate")
    import emcee

    from csto.sim.chunks import pin_blas

    pin_blas()  # small matrix products: a second BLAS thread only spins (10x slower on a loaded machine)

    ndim = len(prior.mean)
    rng = np.random.default_rng(seed)
    if start is None:  # a small ball around the prior's centre
        start = prior.mean + 0.1 * prior.sd * rng.standard_normal((walkers, ndim))
        start[:, : len(FACTORS)] = np.abs(start[:, : len(FACTORS)])

    def log_prob(theta: np.ndarray) -> np.ndarray:
        lp = prior.log_density(theta)
        ok = np.isfinite(lp)
        if ok.any():
            lp[ok] += log_likelihood(theta[ok], cases)
        return lp

    # differential-evolution moves mix better than the default stretch move on this piecewise-flat
    # likelihood (common random numbers make it a step function of the parameters)
    moves = [(emcee.moves.DEMove(), 0.8), (emcee.moves.DESnookerMove(), 0.2)]
    sampler = emcee.EnsembleSampler(walkers, ndim, log_prob, vectorize=True, moves=moves)
    sampler.random_state = np.random.RandomState(seed).get_state()  # the same seed, the same chain
    sampler.run_mcmc(start, steps, progress=False)
    chain = sampler.get_chain()[burn:]  # (steps, walkers, params)
    names = parameter_names()
    rhat = split_rhat(chain)
    acc = sampler.acceptance_fraction
    tau = emcee.autocorr.integrated_time(chain, quiet=True, tol=0)
    flat = chain.reshape(-1, ndim)
    pick = np.linspace(0, flat.shape[0] - 1, keep).round().astype(int)
    diagnostics = {
        "rhat": {n: float(r) for n, r in zip(names, rhat, strict=True)},
        "rhat_max": float(rhat.max()),
        "acceptance_mean": float(acc.mean()),
        "acceptance_min": float(acc.min()),
        "autocorrelation_steps_max": float(np.max(tau)),
        "effective_draws_min": float(chain.shape[0] * walkers / np.max(tau)),
        "walkers": walkers,
        "steps": steps,
        "burn": burn,
    }
    converged = bool(
        rhat.max() < RHAT_MAX and ACCEPTANCE[0] <= acc.mean() <= ACCEPTANCE[1] and np.all(np.isfinite(rhat))
    )
    return Fit(flat[pick], names, diagnostics, converged, [c.episode for c in cases])


def calibrate(
    alliances: tuple[str, ...] = ("csto", "nato"),
    *,
    seed: int = 0,
    trials: int = 100,
    walkers: int = 32,
    steps: int = 4000,
    burn: int = 1300,
    today: dt.date | None = None,
) -> Posterior:
    """Fit the model to the calibration set of ``alliances``; raises ``NotConverged`` (writing nothing)."""
    cases = cases_of(alliances, trials, seed)
    base = load_policy(load_dataset(alliances[0]))
    f = fit(cases, prior_of(base), seed=seed, walkers=walkers, steps=steps, burn=burn)
    if not f.converged:
        d = f.diagnostics
        raise NotConverged(
            f"the calibration did not converge (largest split R-hat {d['rhat_max']:.3f}, must be below "
            f"{RHAT_MAX}; mean acceptance {d['acceptance_mean']:.2f}, must be within {ACCEPTANCE}): run more "
            "steps (--steps) or check the calibration set",
        )
    return Posterior(
        f.draws,
        f.summary(),
        {
            "episodes": [f"{c.alliance}/{c.episode}" for c in cases],
            "seed": seed,
            "date": (today or dt.date.today()).isoformat(),
            "trials_per_episode": trials,
            "sampler": "emcee EnsembleSampler (affine-invariant ensemble, vectorized log-probability)",
            "prior": {
                "weights": f"normal around policy.yaml's weight, sd = {PRIOR_SCALE} x its sd, truncated at 0",
                "thresholds": f"normal around policy.yaml's thresholds, sd = {THRESHOLD_PRIOR_SD}",
            },
            "record_right": {str(k): v for k, v in RECORD_RIGHT.items()},
            "eps": EPS,
            "diagnostics": f.diagnostics,
        },
        names=f.names,
    )


def nominal_theta(params: PolicyParams) -> np.ndarray:
    """The policy's own (uncalibrated) parameters as one row."""
    return prior_of(params).mean[None, :]


__all__ = [
    "Case",
    "Fit",
    "NotConverged",
    "calibrate",
    "cases_of",
    "fit",
    "log_likelihood",
    "nominal_theta",
    "params_at",
    "prior_of",
    "rung_probabilities",
]
