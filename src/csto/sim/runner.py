"""Trials for the simulator: the crisis game played by the decision model in every seat.

The crisis sequence, the players and the trial's record live in ``csto.game``; this module keeps the
simulator's entry points (``run_trial``, and ``prepare`` for the vectorized kernel, which takes over
from the first proposal with the set-up the game computed).
"""

from __future__ import annotations

from dataclasses import dataclass

from csto.game import CrisisGame, ModelPlayer, Scenario, TrialOutcome, play, run_trial
from csto.game import sequence as seq
from csto.game.state import CrisisState
from csto.model import Dataset
from csto.policy import CrisisFeatures, Draw, PolicyParams


@dataclass(frozen=True)
class Prepared:
    """What a run has set up before the first proposal: the same in every trial of a scenario."""

    procedure: str
    cap: str
    convener: str
    entitled: list[str]
    frozen: list[str]
    parties: set[str]
    ladder: list[str]
    feats: CrisisFeatures
    #: the case was opened on someone's own initiative: a trial whose soundings find no rung that passes
    #: opens nothing (level none), which the kernel's ladder gives by adopting no rung
    initiative: bool = False
    #: the Council's rule needs every entitled member's support (no standing aside, no silence procedure)
    unanimous: bool = False


def prepare(ds: Dataset, params: PolicyParams, sc: Scenario, draw: Draw) -> Prepared | None:
    """The game played up to the Council's first proposal (None when no session is convened)."""
    state = CrisisGame(ds, sc, params).new_initial_state(draw)

    def convened(st: object) -> bool:
        c = state.case
        return c is not None and any(e.type == "SessionConvened" for e in c.history)

    player = ModelPlayer(params, draw, always_initiate=True)
    play(state, player, until=convened)
    c = state.case
    if c is None or not convened(state):
        return None
    b = c.ballot
    return Prepared(
        procedure=c.kind,
        cap=seq.ceiling(state),
        convener=seq.convener(state),
        entitled=[s for s in b.entitled if s not in b.frozen],
        frozen=list(b.frozen),
        parties=seq.parties(state),
        ladder=seq.ladder(state),
        feats=state.features(),
        initiative=player.initiated,
        unanimous=_unanimous(state, b.body),
    )


def _unanimous(state: CrisisState, body_id: str) -> bool:
    body = state.engine.world.situation().alliance.body(body_id)
    rule = body.decision_rule if body is not None else None
    return rule is not None and not rule.stand_aside and not rule.silence


__all__ = ["Prepared", "TrialOutcome", "prepare", "run_trial"]
