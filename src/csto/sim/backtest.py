"""The backtest: every episode in the data, run from its scenario's features alone, against the record.

Each episode must have a bundled scenario that names it (``episode: <id>``); the runner never sees the
episode's response, only the scenario's features. A missing scenario is reported, not skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csto.extras import require_extra
from csto.model import Dataset
from csto.sim.catalog import bundled
from csto.sim.montecarlo import CrisisResult, run_crisis


@dataclass
class BacktestRow:
    episode: str
    recorded: str
    result: CrisisResult | None

    @property
    def predicted(self) -> str | None:
        return self.result.level if self.result else None

    @property
    def match(self) -> bool:
        return self.predicted == self.recorded

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "episode": self.episode,
            "recorded": self.recorded,
            "predicted": self.predicted,
            "match": self.match,
            "probabilities": {k: round(v, 4) for k, v in r.probabilities.items()} if r else None,
            "ci95": {k: [round(a, 4), round(b, 4)] for k, (a, b) in r.ci95.items()} if r else None,
            "p_recorded": round(r.probabilities[self.recorded], 4) if r else None,
            "scenario": r.scenario.id if r else None,
            "hours_to_decision": r.central.hours_to_decision if r else None,
            "first_units_hours": r.central.first_units_hours if r else None,
        }


@dataclass
class BacktestResult:
    rows: list[BacktestRow]
    trials: int
    seed: int

    @property
    def matches(self) -> int:
        return sum(1 for r in self.rows if r.match)

    def to_dict(self) -> dict[str, Any]:
        return {
            "trials": self.trials,
            "seed": self.seed,
            "episodes": [r.to_dict() for r in self.rows],
            "matches": self.matches,
            "total": len(self.rows),
        }

    def to_frame(self) -> Any:
        """One row per episode, as a pandas DataFrame; pandas comes with the sweep extra."""
        require_extra("sweep", "BacktestResult.to_frame()")
        import pandas as pd

        return pd.DataFrame([r.to_dict() for r in self.rows]).set_index("episode")


def run_backtest(ds: Dataset, *, trials: int = 500, seed: int = 0) -> BacktestResult:
    scenarios = {s.episode: s for s in bundled(ds) if s.episode}
    rows = []
    for ep in ds.episodes:
        sc = scenarios.get(ep.id)
        result = run_crisis(ds, sc, trials=trials, seed=seed) if sc else None
        rows.append(BacktestRow(ep.id, ep.response.level, result))
    return BacktestResult(rows, trials, seed)
