"""A hypothesis state machine over random action sequences through a ledger-bound session.

Invariants: only legal transitions happen (a step that succeeded was legal for its actor), every
refusal carries an article, and the engine always equals a fresh replay of the ledger.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from csto.errors import CstoError
from csto.ledger import open_ledger
from csto.model import load_dataset
from csto.procedures import PROCEDURES, Action, Param
from csto.rules import RefusedError
from csto.session import open_session, replay_snapshot

DS = load_dataset("csto")
STATS: list[int] = []
ACTORS = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "SRB", "USA", "secretariat", "joint_staff"]
CASES = ["c1", "c2", "c3"]
ARTICLE_START = (
    "CST ",
    "Charter ",
    "CSC ",
    "Peacekeeping ",
    "Forces ",
    "MTC ",
    "Training ",
    "Classified ",
    "Reg",
    "exercise rules",  # the exercise floor's own steps (Control's, seats held): not a treaty provision
)


def param_value(draw: Any, p: Param) -> Any:
    if p.choices:
        return draw(st.sampled_from(p.choices))
    t = p.type
    if t in ("state", "str"):
        return draw(st.sampled_from(["KAZ", "RUS", "ARM", "UZB", "peacekeeping", "crrf", "c1", "x"]))
    if t == "int":
        return draw(st.integers(min_value=-5, max_value=4000))
    if t == "float":
        return draw(st.floats(min_value=0, max_value=1e6, allow_nan=False))
    if t == "bool":
        return draw(st.booleans())
    if t == "date":
        return draw(st.sampled_from(["2024-01-01", "2024-09-01", "2030-03-22"]))
    if t in ("list[str]", "states"):
        return draw(st.lists(st.sampled_from(["KAZ", "RUS", "NATO"]), max_size=2))
    if t.startswith("dict"):
        return draw(
            st.dictionaries(st.sampled_from(["RUS", "KAZ", "ARM"]), st.integers(-1, 3000), max_size=2)
        )
    return None


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp()
        self.ledger = open_ledger(str(Path(self.dir) / "l.db"))
        self.t = dt.datetime(2023, 6, 1, tzinfo=dt.UTC)
        self.session, _ = open_session(self.ledger, DS, self.t)
        self.applied = 0

    def teardown(self) -> None:
        STATS.append(self.applied)
        self.ledger.close()

    def _try(self, action: Action) -> None:
        eng = self.session.engine
        proc = eng.cases.get(action.case)
        legal_before = proc.legal_actions(action.actor) if proc is not None else None
        try:
            self.session.act(action)
        except RefusedError as err:
            assert err.refused.article.startswith(ARTICLE_START), err.refused.article
            assert err.refused.reason
            return
        except CstoError:
            return  # e.g. the action belongs to no open case: a script error, not a step
        self.applied += 1
        if legal_before is not None:
            assert action.kind in legal_before, (action.kind, legal_before)

    @rule(data=st.data())
    def random_step(self, data: st.DataObject) -> None:
        kind_cls = data.draw(st.sampled_from(sorted(PROCEDURES)))
        cls = PROCEDURES[kind_cls]
        kind = data.draw(st.sampled_from(sorted(cls.specs)))
        params = {
            k: param_value(data.draw, p)
            for k, p in cls.specs[kind].params.items()
            if data.draw(st.booleans())
        }
        self.t += dt.timedelta(hours=data.draw(st.integers(0, 200)))
        self._try(
            Action(
                kind, data.draw(st.sampled_from(ACTORS)), self.t, data.draw(st.sampled_from(CASES)), params
            )
        )

    @precondition(lambda self: bool(self.session.engine.cases))
    @rule(data=st.data())
    def legal_step(self, data: st.DataObject) -> None:
        actor = data.draw(st.sampled_from(ACTORS))
        options = self.session.engine.legal_actions(actor)
        if not options:
            return
        case, kind = data.draw(st.sampled_from(options))
        cls = type(self.session.engine.cases[case])
        params = {k: param_value(data.draw, p) for k, p in cls.specs[kind].params.items()}
        self.t += dt.timedelta(minutes=data.draw(st.integers(1, 600)))
        self._try(Action(kind, actor, self.t, case, params))

    @invariant()
    def projection_equals_replay(self) -> None:
        assert replay_snapshot(self.ledger, DS) == self.session.engine.snapshot()

    @invariant()
    def chain_is_intact(self) -> None:
        assert self.ledger.verify().ok


EngineMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_MachineCase = EngineMachine.TestCase


def test_random_action_sequences_keep_the_invariants_and_reach_real_steps() -> None:
    """Guard against a machine that only ever gets refused: run it and count the steps it took."""
    STATS.clear()
    _MachineCase("runTest").runTest()
    assert sum(STATS) > 20, STATS
