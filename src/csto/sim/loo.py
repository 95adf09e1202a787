"""Leave-one-out: the model refitted without each episode in turn and asked to predict it, beside three
baselines on the same folds: the training fold's majority rung, the ceiling rule (the highest rung the
request and the rules allow), and today's uncalibrated weights.

Each method gives a probability for every rung; scores are accuracy (the most likely rung is the recorded
one), log score (log of the recorded rung's probability, higher is better) and Brier score (lower is
better), per episode and in total. A deterministic baseline is made probabilistic from its own training
fold: it is right as often as it was there (add-one smoothing), and otherwise any other rung. It never
re-implements the model: the fits are ``csto.sim.calibrate``'s, the probabilities the kernel's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from csto.model import RESPONSE_LADDER
from csto.sim.calibrate import Case, Prior, fit, floored, nominal_theta, rung_probabilities

METHODS = ("model", "majority", "ceiling", "uncalibrated")
R = len(RESPONSE_LADDER)


@dataclass
class LooRow:
    """One held-out episode: its record and each method's probabilities for it."""

    alliance: str
    episode: str
    recorded: int
    probs: dict[str, np.ndarray]
    fold: dict[str, Any] = field(default_factory=dict)

    def scores(self, method: str) -> dict[str, float]:
        p = self.probs[method]
        onehot = np.eye(R)[self.recorded]
        return {
            "hit": float(int(np.argmax(p)) == self.recorded),
            "log_score": float(np.log(p[self.recorded])),
            "brier": float(((p - onehot) ** 2).sum()),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "alliance": self.alliance,
            "episode": self.episode,
            "recorded": RESPONSE_LADDER[self.recorded],
            **{
                m: {
                    "predicted": RESPONSE_LADDER[int(np.argmax(self.probs[m]))],
                    "probabilities": dict(
                        zip(RESPONSE_LADDER, np.round(self.probs[m], 4).tolist(), strict=True)
                    ),
                    **{k: round(v, 4) for k, v in self.scores(m).items()},
                }
                for m in METHODS
            },
            "fold": self.fold,
        }


@dataclass
class LooResult:
    rows: list[LooRow]
    settings: dict[str, Any]

    def totals(self) -> dict[str, dict[str, float]]:
        out = {}
        for m in METHODS:
            s = [r.scores(m) for r in self.rows]
            n = max(len(s), 1)
            out[m] = {
                "accuracy": round(sum(x["hit"] for x in s) / n, 4),
                "hits": int(sum(x["hit"] for x in s)),
                "mean_log_score": round(sum(x["log_score"] for x in s) / n, 4),
                "mean_brier": round(sum(x["brier"] for x in s) / n, 4),
            }
        return out

    def misses(self, method: str = "model") -> list[str]:
        return [r.episode for r in self.rows if not r.scores(method)["hit"]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "episodes": [r.to_dict() for r in self.rows],
            "total": {"episodes": len(self.rows), **self.totals()},
            "model_misses": self.misses(),
        }


def _deterministic(rung: int, right: float) -> np.ndarray:
    p = np.full(R, (1.0 - right) / (R - 1))
    p[rung] = right
    return p


def baselines(held: Case, train: list[Case]) -> dict[str, np.ndarray]:
    """The three baselines' probabilities for ``held``, each fitted on ``train`` only."""
    counts = np.bincount([c.recorded for c in train], minlength=R).astype(float)
    majority = int(np.argmax(counts))  # ties go to the lower rung
    maj_right = (counts[majority] + 1.0) / (len(train) + 2.0)
    ceiling_hits = sum(RESPONSE_LADDER.index(c.ceiling) == c.recorded for c in train)
    ceil_right = (ceiling_hits + 1.0) / (len(train) + 2.0)
    return {
        "majority": _deterministic(majority, maj_right),
        "ceiling": _deterministic(RESPONSE_LADDER.index(held.ceiling), ceil_right),
        "uncalibrated": floored(rung_probabilities(held, nominal_theta(held.params)))[0],
    }


@dataclass(frozen=True)
class _Job:
    cases: list[Case]
    prior: Prior
    seed: int
    walkers: int
    steps: int
    burn: int
    predict_draws: int


def _fold(job: _Job, i: int) -> LooRow:
    held = job.cases[i]
    train = [c for j, c in enumerate(job.cases) if j != i]
    f = fit(train, job.prior, seed=job.seed + i, walkers=job.walkers, steps=job.steps, burn=job.burn)
    pick = np.linspace(0, f.draws.shape[0] - 1, min(job.predict_draws, f.draws.shape[0])).round().astype(int)
    model = floored(rung_probabilities(held, f.draws[pick]).mean(axis=0))
    probs = {"model": model, **baselines(held, train)}
    d = f.diagnostics
    fold = {"rhat_max": round(d["rhat_max"], 3), "acceptance_mean": round(d["acceptance_mean"], 3)}
    return LooRow(held.alliance, held.episode, held.recorded, probs, fold)


def _task(job: _Job, i: int) -> LooRow:
    return _fold(job, i)


def run_loo(
    cases: list[Case],
    prior: Prior,
    *,
    seed: int = 0,
    walkers: int = 32,
    steps: int = 2500,
    burn: int = 800,
    predict_draws: int = 100,
    workers: int = 1,
) -> LooResult:
    """Refit without each case in turn (on ``workers`` processes) and score every method on it."""
    from csto.sim.chunks import run_chunks

    job = _Job(cases, prior, seed, walkers, steps, burn, predict_draws)
    rows = run_chunks(_task, job, list(range(len(cases))), workers, lambda i: f"fold {cases[i].episode}")
    settings = {
        "seed": seed,
        "walkers": walkers,
        "steps": steps,
        "burn": burn,
        "trials_per_episode": int(cases[0].z_weights.shape[0]) if cases else 0,
        "predict_draws": predict_draws,
    }
    return LooResult(list(rows), settings)
