"""Crisis scenarios now live with the game (``csto.game.scenario``); this name is kept for callers."""

from __future__ import annotations

from csto.game.scenario import Inject, Scenario, load_scenario

__all__ = ["Inject", "Scenario", "load_scenario"]
