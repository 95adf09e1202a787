"""The crisis as a game: ``CrisisGame`` (static), ``CrisisState`` (seats, legal moves, the clock,
``apply``), the crisis sequence written once, and players (the decision model, or people).

Layer: game. It may import the model, rules, procedures, policy and logistics; it never imports the
ledger, the simulator, the web or the CLI. A trial and the exercise room both move through it.
"""

from __future__ import annotations

from csto.game.moves import ADVANCE_CLOCK, Ask, Move, MoveOption
from csto.game.players import ModelPlayer, council_votes, reason_text
from csto.game.scenario import Scenario, load_scenario
from csto.game.seats import CONTROL, JOINT_STAFF, SECRETARIAT
from csto.game.sequence import CASE, DEPLOY, Beat, next_beat
from csto.game.state import FLOOR, CrisisGame, CrisisState, IllegalMove, Refusal
from csto.game.trial import TrialOutcome, play, run_trial

__all__ = [
    "ADVANCE_CLOCK",
    "CASE",
    "CONTROL",
    "DEPLOY",
    "FLOOR",
    "JOINT_STAFF",
    "SECRETARIAT",
    "Ask",
    "Beat",
    "CrisisGame",
    "CrisisState",
    "IllegalMove",
    "ModelPlayer",
    "Move",
    "MoveOption",
    "Refusal",
    "Scenario",
    "TrialOutcome",
    "council_votes",
    "load_scenario",
    "next_beat",
    "play",
    "reason_text",
    "run_trial",
]
