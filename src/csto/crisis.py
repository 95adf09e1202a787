"""The Python API for notebooks: ``csto.crisis.run(...)``, ``csto.crisis.backtest(...)`` and ``scenarios()``.

Results are typed (``CrisisResult``, ``BacktestResult``) with ``to_dict()`` and ``to_frame()`` (pandas).
Layer: a facade above sim, like the CLI.
"""

from __future__ import annotations

from pathlib import Path

from csto.game.scenario import Scenario
from csto.model import load_dataset
from csto.sim.backtest import BacktestResult, run_backtest
from csto.sim.catalog import bundled, find
from csto.sim.montecarlo import CrisisResult, run_crisis


def run(
    scenario: str | Path | Scenario,
    *,
    trials: int = 1000,
    seed: int = 0,
    alliance: str = "csto",
    data_dir: str | Path | None = None,
    engine: bool = False,
) -> CrisisResult:
    """Run a bundled scenario (by id), a scenario file (by path) or a ``Scenario``."""
    ds = load_dataset(alliance, data_dir=data_dir)
    sc = scenario if isinstance(scenario, Scenario) else find(ds, str(scenario))
    return run_crisis(ds, sc, trials=trials, seed=seed, engine=engine)


def backtest(
    *, trials: int = 500, seed: int = 0, alliance: str = "csto", data_dir: str | Path | None = None
) -> BacktestResult:
    """Every episode in the data, predicted from its features, against the record."""
    return run_backtest(load_dataset(alliance, data_dir=data_dir), trials=trials, seed=seed)


def scenarios(*, alliance: str = "csto", data_dir: str | Path | None = None) -> list[Scenario]:
    """The bundled scenarios."""
    return bundled(load_dataset(alliance, data_dir=data_dir))


__all__ = ["BacktestResult", "CrisisResult", "Scenario", "backtest", "run", "scenarios"]
