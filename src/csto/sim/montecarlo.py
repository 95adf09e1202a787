"""Monte Carlo over parameter uncertainty and noise: the odds of each rung with 95 % Wilson intervals.

All randomness is drawn up front from one ``numpy.random.Generator(seed)`` (weights, member noise,
timing), so a seed gives identical results and a vectorized kernel can later consume the same arrays.
The explanation (votes, reasons, timeline) comes from the central run: mean weights, no noise.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from csto.extras import require_extra
from csto.game.scenario import Scenario
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import PolicyParams, load_policy, nominal_draw
from csto.policy.model import draw_at, sample_draws
from csto.sim.runner import TrialOutcome, run_trial

Z95 = 1.959963984540054
CHUNK = 200_000


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


def _quantiles(parts: list[np.ndarray]) -> dict[str, float] | None:
    arr = np.concatenate(parts) if parts else np.zeros(0)
    if arr.size == 0:
        return None
    arr = arr.astype(np.float64)
    return {q: round(float(np.quantile(arr, p)), 2) for q, p in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95))}


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

    @property
    def probabilities(self) -> dict[str, float]:
        return {lv: self.counts.get(lv, 0) / self.trials for lv in RESPONSE_LADDER}

    @property
    def ci95(self) -> dict[str, tuple[float, float]]:
        return {lv: wilson(self.counts.get(lv, 0), self.trials) for lv in RESPONSE_LADDER}

    @property
    def level(self) -> str:
        """The most likely rung (ties go to the lower rung)."""
        probs = self.probabilities
        return max(RESPONSE_LADDER, key=lambda lv: (probs[lv], -RESPONSE_LADDER.index(lv)))

    def to_dict(self) -> dict[str, Any]:
        c = self.central
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


def run_crisis(
    ds: Dataset,
    sc: Scenario,
    *,
    trials: int = 1000,
    seed: int = 0,
    params: PolicyParams | None = None,
    engine: bool = False,
) -> CrisisResult:
    """Run ``sc`` ``trials`` times; the same seed gives the same result.

    The Monte Carlo uses the vectorized kernel (held equal to the engine, trial by trial); ``engine=True``
    forces every trial through the reference engine path. The explanation is always the engine's.
    """
    if trials < 1:
        from csto.errors import InputError

        raise InputError(
            "the number of trials must be at least 1", field="--trials", expected="a positive integer"
        )
    params = params or load_policy(ds)
    members = sorted(s.iso3 for s in ds.states)
    rng = np.random.default_rng(seed)
    counts: Counter[str] = Counter()
    dec: list[np.ndarray] = []
    first: list[np.ndarray] = []
    allin: list[np.ndarray] = []
    done = 0
    # Trials stream in chunks drawn one after another from the one generator, so memory stays bounded
    # (10 million trials peak well under 2 GB); up to one chunk the draws are those of a single call.
    while done < trials:
        n = min(CHUNK, trials - done)
        arrays = sample_draws(rng, params, members, n)
        done += n
        if engine:
            todo: list[int] = list(range(n))
        else:
            from csto.sim.kernel import run_kernel

            k = run_kernel(ds, params, sc, arrays, members)
            keep = ~k.fallback
            for lv, c in zip(*np.unique(k.level[keep], return_counts=True), strict=True):
                counts[RESPONSE_LADDER[int(lv)]] += int(c)
            for store, values in ((dec, k.decision_h), (first, k.first_units_h), (allin, k.all_in_h)):
                v = values[keep]
                store.append(v[~np.isnan(v)].astype(np.float32))
            todo = [int(x) for x in np.flatnonzero(k.fallback)]
        extra: dict[str, list[float]] = {"dec": [], "first": [], "allin": []}
        for i in todo:
            out = run_trial(ds, params, sc, draw_at(arrays, members, i), narrate=False)
            counts[out.level] += 1
            if out.adopted and out.hours_to_decision is not None:
                extra["dec"].append(out.hours_to_decision)
            if out.first_units_hours is not None:
                extra["first"].append(out.first_units_hours)
            if out.all_in_hours is not None:
                extra["allin"].append(out.all_in_hours)
        dec.append(np.array(extra["dec"], dtype=np.float32))
        first.append(np.array(extra["first"], dtype=np.float32))
        allin.append(np.array(extra["allin"], dtype=np.float32))
    central = run_trial(ds, params, sc, nominal_draw(params))
    return CrisisResult(
        engine="engine" if engine else "kernel",
        scenario=sc,
        trials=trials,
        seed=seed,
        counts=dict(counts),
        central=central,
        timing={
            "hours_to_decision": _quantiles(dec),
            "first_units_hours": _quantiles(first),
            "all_in_hours": _quantiles(allin),
        },
        record=record_of(ds, sc),
    )
