"""``Engine.may_read``: the releasability rule asked on the played world, without recording a reading."""

from __future__ import annotations

import datetime as dt

import pytest

from csto.errors import ScriptError
from csto.procedures import Action
from csto.rules import RefusedError


def act(kind: str, actor: str, day: str, case: str = "r1", **params: object) -> Action:
    return Action(kind, actor, dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC, hour=9), case, params)


def test_a_played_suspension_changes_who_may_read_and_replays_the_same(engine_at, replayed, suspend):
    eng = engine_at("2023-03-01")
    eng.handle(
        act("file_report", "RUS", "2023-03-02", title="t", classification="secret", releasable_to=["TJK"])
    )
    assert eng.may_read("TJK", "r1").ok
    n = len(eng.events)
    suspend(eng, "TJK", "2023-03-03")
    verdict = eng.may_read("TJK", "r1")
    assert not verdict.ok and verdict.rule == "charter-art20-suspension"
    assert verdict.article.startswith("Charter Art. 20")
    assert replayed(eng).may_read("TJK", "r1") == verdict
    # Asking records nothing; the read itself is refused in the same words.
    events = len(eng.events)
    assert events > n
    eng.may_read("KAZ", "r1")
    assert len(eng.events) == events
    with pytest.raises(RefusedError) as err:
        eng.handle(act("read", "TJK", "2023-03-04"))
    assert err.value.refused == verdict


def test_may_read_refuses_those_not_released_to_and_names_unknown_reports(engine_at):
    eng = engine_at("2023-03-01")
    eng.handle(
        act("file_report", "RUS", "2023-03-02", title="t", classification="secret", releasable_to=["KAZ"])
    )
    assert eng.may_read("RUS", "r1").ok and eng.may_read("KAZ", "r1").ok
    assert eng.may_read("KGZ", "r1").rule == "classified-2004-releasability"  # type: ignore[union-attr]
    with pytest.raises(ScriptError):
        eng.may_read("KAZ", "nothing")
