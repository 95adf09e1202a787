"""Crisis simulation: scenarios, the runner that drives the engine with the policies, Monte Carlo odds,
and the backtest against the record.

Layer: sim. It may import the model, procedures, rules, policy and logistics; nothing below imports it.
"""

from __future__ import annotations

from csto.game.scenario import Scenario, load_scenario
from csto.sim.montecarlo import CrisisResult, run_crisis, wilson
from csto.sim.runner import TrialOutcome, run_trial

__all__ = ["CrisisResult", "Scenario", "TrialOutcome", "load_scenario", "run_crisis", "run_trial", "wilson"]
