"""Monte Carlo over parameter uncertainty and noise: the odds of each rung with 95 % Wilson intervals.

Trials run in fixed-size chunks, each with its own random stream (``csto.sim.draws``), on every core
(``csto.sim.chunks``); a chunk returns counts per rung and histograms of its hours (``csto.sim.quantiles``),
so a seed gives identical results with any number of workers and memory stays bounded. The explanation
(votes, reasons, timeline) comes from the central run: mean weights, no noise.

With a posterior (``csto calibrate``; the bundled one by default) the run is split into at least as many
chunks as it has posterior draws to use (up to ``POSTERIOR_DRAWS``, each chunk at least
``MIN_PER_DRAW`` trials), and chunk ``i`` plays with draw ``i``'s weights and thresholds: the odds are the
posterior predictive, and ``credible90`` is the 5-95 % spread of each rung's frequency across the draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from csto.extras import require_extra
from csto.game.scenario import Scenario
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import PolicyParams, load_policy, nominal_draw
from csto.policy.model import draw_at
from csto.policy.posterior import Posterior, load_posterior
from csto.sim.chunks import run_chunks
from csto.sim.draws import chunk_streams, draw_chunk
from csto.sim.quantiles import add_counts, centi_counts, quantiles
from csto.sim.runner import TrialOutcome, run_trial

Z95 = 1.959963984540054
CHUNK = 1 << 18  # trials per chunk: fixed, so that results never depend on the number of workers
POSTERIOR_DRAWS = 200  # at most this many posterior draws per run, one per chunk
MIN_PER_DRAW = 250  # trials per chunk at least, when a run is split to use more posterior draws
ENGINE_CHUNK = 1 << 10  # the engine path's chunks (a trial there costs a thousand times more)
MAX_TRIALS = 10**10


def wilson(k: int, n: int) -> tuple[float, float]:
    """95 % Wilson score interval for k successes in n trials."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


@dataclass
class CrisisResult:
    """A crisis run: the odds over trials, and the central run's explanation."""

    scenario: Scenario
    trials: int
    seed: int
    counts: dict[str, int]
    central: TrialOutcome
    timing: dict[str, dict[str, float] | None] = field(default_factory=dict)
    record: dict[str, Any] | None = None
    engine: str = "kernel"
    #: each chunk's trials per rung (one row per posterior draw used), and the posterior file, if any
    per_draw: np.ndarray | None = None
    posterior: str | None = None
    posterior_used: Posterior | None = None

    @property
    def probabilities(self) -> dict[str, float]:
        return {lv: self.counts.get(lv, 0) / self.trials for lv in RESPONSE_LADDER}

    @property
    def ci95(self) -> dict[str, tuple[float, float]]:
        return {lv: wilson(self.counts.get(lv, 0), self.trials) for lv in RESPONSE_LADDER}

    @property
    def credible90(self) -> dict[str, tuple[float, float]] | None:
        """The 5-95 % spread of each rung's probability over the posterior draws (None without a posterior,
        or with fewer than 10 draws used). Each draw's probability is its chunk's frequency, so Monte Carlo
        error of a chunk (at least ``MIN_PER_DRAW`` trials) widens it a little."""
        if self.per_draw is None or self.per_draw.shape[0] < 10:
            return None
        freq = self.per_draw / self.per_draw.sum(axis=1, keepdims=True)
        return {
            lv: (float(np.quantile(freq[:, i], 0.05)), float(np.quantile(freq[:, i], 0.95)))
            for i, lv in enumerate(RESPONSE_LADDER)
        }

    @property
    def level(self) -> str:
        """The most likely rung (ties go to the lower rung)."""
        return most_likely(self.probabilities)

    def to_dict(self) -> dict[str, Any]:
        c = self.central
        cred = self.credible90
        return {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "hypothetical": self.scenario.hypothetical,
            "trials": self.trials,
            "seed": self.seed,
            "monte_carlo": self.engine,
            "level": self.level,
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "ci95": {k: [round(lo, 4), round(hi, 4)] for k, (lo, hi) in self.ci95.items()},
            "credible90": (
                {k: [round(lo, 4), round(hi, 4)] for k, (lo, hi) in cred.items()}
                if cred is not None
                else None
            ),
            "posterior": self.posterior,
            "posterior_draws": int(self.per_draw.shape[0]) if self.per_draw is not None else 0,
            "decision": {
                "level": c.level,
                "adopted": c.adopted,
                "hours_after_request": c.hours_to_decision,
                "rounds": c.rounds,
                "votes": [
                    {
                        "iso3": v.iso3,
                        "level": v.level,
                        "stance": v.stance,
                        "score": v.score,
                        "offer": v.offer,
                        "reasons": [
                            {
                                "factor": r.factor,
                                "value": r.value,
                                "weight": r.weight,
                                "contribution": r.contribution,
                                "source": list(r.source) if r.source else "assumed",
                            }
                            for r in v.reasons
                        ],
                    }
                    for v in c.votes
                ],
            },
            "force": c.force,
            "forces": [
                {"iso3": k, "personnel": n, "vehicles": c.vehicles.get(k, 0)}
                for k, n in sorted(c.forces.items())
            ],
            "timeline": [{"t_hours": t, "event": e} for t, e in c.timeline],
            "refusals": c.refusals,
            "first_units_hours": c.first_units_hours,
            "all_in_hours": c.all_in_hours,
            "timing_over_trials": self.timing,
            "timing_source": "airlift plan" if c.plan is not None else ("provisional" if c.forces else None),
            "timing_note": (
                "Arrivals from the airlift planner (csto plan airlift), shifted by readiness noise in each trial."
                if c.plan is not None
                else "Provisional timing (capitals to the destination at the 2022 air bridge's average rate): the "
                "scenario names no destination airfield, or the planner could not plan this tasking."
            ),
            "record": self.record,
        }

    def to_frame(self) -> Any:
        """The odds as a pandas DataFrame (one row per rung); pandas comes with the sweep extra."""
        require_extra("sweep", "CrisisResult.to_frame()")
        import pandas as pd

        ci = self.ci95
        return pd.DataFrame(
            [
                {"level": lv, "probability": p, "ci95_low": ci[lv][0], "ci95_high": ci[lv][1]}
                for lv, p in self.probabilities.items()
            ]
        ).set_index("level")


def record_of(ds: Dataset, sc: Scenario) -> dict[str, Any] | None:
    """What happened, for a scenario that describes a historical episode."""
    if sc.episode is None:
        return None
    ep = ds.episode(sc.episode)
    if ep is None:
        return None
    r = ep.response
    return {
        "episode": ep.id,
        "level": r.level,
        "hours_to_decision": r.hours_to_decision,
        "hours_to_first_units": r.hours_to_first_units,
        "personnel": r.totals.value if r.totals else None,
        "vehicles": r.vehicles.value if r.vehicles else None,
        "summary": r.summary,
        "source": list(r.source),
    }


@dataclass(frozen=True)
class _Job:
    """What every chunk of a run shares (inherited by forked workers, pickled for spawned ones)."""

    ds: Dataset
    params: PolicyParams
    sc: Scenario
    members: list[str]
    seed: int
    chunks: int
    engine: bool
    fused: bool = False  # the fused path (csto.sim.fused) instead of draw_chunk and the NumPy kernel
    posterior: Posterior | None = None
    levels_only: bool = False  # the rungs alone: no arrivals, no airlift planned (counterfactuals)

    def params_of(self, index: int) -> PolicyParams:
        """Chunk ``index``'s parameters: posterior draw ``index`` (cycling), or the policy's own."""
        return self.posterior.params(self.params, index) if self.posterior is not None else self.params


@dataclass
class _Tally:
    """A chunk's (or a run's) outcome: trials per rung and histograms of the hours."""

    levels: np.ndarray
    dec: np.ndarray
    first: np.ndarray
    allin: np.ndarray

    def __add__(self, other: _Tally) -> _Tally:
        return _Tally(
            self.levels + other.levels,
            add_counts(self.dec, other.dec),
            add_counts(self.first, other.first),
            add_counts(self.allin, other.allin),
        )


# per process: the kernel's set-up of the job being run, with the job itself (held, so that its id is not
# reused by a later job while the entry stands: an id alone once gave one scenario another's set-up)
_SETUP: dict[int, tuple[_Job, Any]] = {}


def _run_chunk(job: _Job, index: int, n: int) -> _Tally:
    """Chunk ``index`` of ``job``: ``n`` trials through the kernel (the engine for those it cannot follow)."""
    from csto.sim.fused import fits, run_fused
    from csto.sim.kernel import run_kernel, setup_kernel

    key = id(job)
    if key not in _SETUP or _SETUP[key][0] is not job:
        _SETUP.clear()
        _SETUP[key] = (job, setup_kernel(job.ds, job.params, job.sc, job.members))
    ks = _SETUP[key][1]
    stream = chunk_streams(job.seed, job.chunks)[index]
    params = job.params_of(index)
    factors = ks.factors if ks.prep is not None else []
    levels = np.zeros(len(RESPONSE_LADDER), dtype=np.int64)
    extra: dict[str, list[float]] = {"dec": [], "first": [], "allin": []}
    # the fused loop knows the consensus with standing aside (or silence), not a unanimity rule
    fused = job.fused and ks.prep is not None and fits(len(ks.order)) and not ks.prep.unanimous
    arrays = None if fused else draw_chunk(stream, params, job.members, factors, ks.noise_cols, n)
    if job.engine:
        todo = list(range(n))
        dec = first = allin = np.zeros(0, dtype=np.int64)
    else:
        if arrays is None:  # the same draws as draw_chunk's, drawn and decided trial by trial
            k = run_fused(job.ds, params, job.sc, ks, stream, n, deploy=not job.levels_only)
        else:
            k = run_kernel(job.ds, params, job.sc, arrays, job.members, setup=ks, deploy=not job.levels_only)
        keep = ~k.fallback
        levels += np.bincount(k.level[keep], minlength=len(RESPONSE_LADDER))
        dec = centi_counts(k.decision_h[keep])
        first = centi_counts(k.first_units_h[keep])
        allin = centi_counts(k.all_in_h[keep])
        todo = np.flatnonzero(k.fallback).tolist()
    if todo and arrays is None:  # trials the fused path hands to the engine: their draws, drawn again
        arrays = draw_chunk(stream, params, job.members, factors, ks.noise_cols, n)
    for i in todo:
        assert arrays is not None
        out = run_trial(job.ds, params, job.sc, draw_at(arrays, job.members, i), narrate=False)
        levels[RESPONSE_LADDER.index(out.level)] += 1
        if out.adopted and out.hours_to_decision is not None:
            extra["dec"].append(out.hours_to_decision)
        if out.first_units_hours is not None:
            extra["first"].append(out.first_units_hours)
        if out.all_in_hours is not None:
            extra["allin"].append(out.all_in_hours)
    return _Tally(
        levels,
        add_counts(dec, centi_counts(np.array(extra["dec"]))),
        add_counts(first, centi_counts(np.array(extra["first"]))),
        add_counts(allin, centi_counts(np.array(extra["allin"]))),
    )


def _chunk_task(job: _Job, task: tuple[int, int]) -> _Tally:
    return _run_chunk(job, *task)


def run_crisis(
    ds: Dataset,
    sc: Scenario,
    *,
    trials: int = 1000,
    seed: int = 0,
    params: PolicyParams | None = None,
    engine: bool = False,
    workers: int = 1,
    posterior: Posterior | str | None = "bundled",
) -> CrisisResult:
    """Run ``sc`` ``trials`` times; the same seed gives the same result, whatever ``workers`` is.

    The Monte Carlo uses the vectorized kernel (held equal to the engine, trial by trial); ``engine=True``
    forces every trial through the reference engine path. The explanation is always the engine's.
    ``workers`` processes share the chunks (the CLI gives every core; a library caller, a sweep's Dask
    worker or the web app, runs them in its own process unless it asks). ``posterior``: the bundled
    posterior (default, when the package has one), another ``Posterior``, or None for the policy's own
    weights; explicit ``params`` use no posterior.
    """
    check_trials(trials)
    post = load_posterior() if posterior == "bundled" and params is None else posterior
    post = post if isinstance(post, Posterior) else None
    params = params or load_policy(ds)
    tallies = _tallies(ds, sc, trials, seed, params, engine, workers, post, levels_only=False)
    total = tallies[0]
    for t in tallies[1:]:
        total = total + t
    central_params = post.mean_params(params) if post is not None else params
    central = run_trial(ds, central_params, sc, nominal_draw(central_params))
    return CrisisResult(
        engine="engine" if engine else "kernel",
        scenario=sc,
        trials=trials,
        seed=seed,
        counts={lv: int(c) for lv, c in zip(RESPONSE_LADDER, total.levels, strict=True) if c},
        central=central,
        timing={
            "hours_to_decision": quantiles(total.dec),
            "first_units_hours": quantiles(total.first),
            "all_in_hours": quantiles(total.allin),
        },
        record=record_of(ds, sc),
        per_draw=np.array([t.levels for t in tallies]) if post is not None else None,
        posterior=post.path if post is not None else None,
        posterior_used=post,
    )


def most_likely(probs: dict[str, float]) -> str:
    """The most likely rung of ``probs`` (ties go to the lower rung)."""
    return max(RESPONSE_LADDER, key=lambda lv: (probs.get(lv, 0.0), -RESPONSE_LADDER.index(lv)))


def odds(
    ds: Dataset, sc: Scenario, *, trials: int, seed: int, posterior: Posterior | str | None = "bundled"
) -> dict[str, float]:
    """The probability of each rung only (no timing, no airlift planned, no central run): what a
    counterfactual compares, in a fraction of a full run's time."""
    check_trials(trials)
    post = load_posterior() if posterior == "bundled" else posterior
    post = post if isinstance(post, Posterior) else None
    tallies = _tallies(ds, sc, trials, seed, load_policy(ds), False, 1, post, levels_only=True)
    levels = sum((t.levels for t in tallies[1:]), tallies[0].levels)
    return {lv: float(c) / trials for lv, c in zip(RESPONSE_LADDER, levels, strict=True)}


def _tallies(
    ds: Dataset,
    sc: Scenario,
    trials: int,
    seed: int,
    params: PolicyParams,
    engine: bool,
    workers: int,
    post: Posterior | None,
    *,
    levels_only: bool,
) -> list[_Tally]:
    """Every chunk's tally, in the chunks' order."""
    members = sorted(s.iso3 for s in ds.states)
    sizes = chunk_sizes(trials, engine, post)
    from csto.sim.fused import wanted

    job = _Job(
        ds,
        params,
        sc,
        members,
        seed,
        len(sizes),
        engine,
        fused=not engine and wanted(trials),
        posterior=post,
        levels_only=levels_only,
    )
    tasks = list(enumerate(sizes))

    def describe(i: int) -> str:
        start = sum(sizes[:i])
        return f"trials {start:,}–{start + sizes[i] - 1:,}"

    n_workers = workers
    if n_workers < 1:
        from csto.errors import InputError

        raise InputError("at least one worker is needed", field="--workers", expected="a positive integer")
    if n_workers > 1 and len(tasks) > 1:
        # the parent sets the kernel up (plans its taskings) once, before forking, so no worker repeats it
        _run_chunk(job, 0, min(sizes[0], 1000))
    return run_chunks(_chunk_task, job, tasks, n_workers, describe)


def chunk_sizes(trials: int, engine: bool, post: Posterior | None) -> list[int]:
    """The chunks' sizes: fixed by the number of trials (never by the workers). With a posterior the run is
    cut into at least one chunk per draw it can use (each at least ``MIN_PER_DRAW`` trials)."""
    chunk = ENGINE_CHUNK if engine else CHUNK
    n = -(-trials // chunk)
    if post is not None:
        n = max(n, min(POSTERIOR_DRAWS, post.size, trials // MIN_PER_DRAW))
    if post is None or n * chunk == trials:
        return [min(chunk, trials - start) for start in range(0, trials, chunk)]
    base, extra = divmod(trials, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def check_trials(trials: int) -> None:
    """A number of trials the run can do: at least 1, at most ``MAX_TRIALS``."""
    from csto.errors import InputError

    if trials < 1:
        raise InputError(
            f"the number of trials must be at least 1 (got {trials:,})",
            field="--trials",
            expected="a positive integer",
        )
    if trials > MAX_TRIALS:
        raise InputError(
            f"{trials:,} trials is more than the {MAX_TRIALS:,} a run may do",
            field="--trials",
            expected=f"an integer from 1 to {MAX_TRIALS:,}",
        )
