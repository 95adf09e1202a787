"""The ledger browser asks the engine who may read a report: a suspension played in an exercise hides the
report from the suspended member there, while the same report in another exercise (same day, same data,
no suspension) stays visible to it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csto.ledger.scoped import ScopedLedger
from csto.ledger.sql import SqlLedger, open_ledger
from csto.model import Dataset, load_dataset
from csto.procedures import Action
from csto.session import Session, open_session
from csto.web.store import User
from csto.web.visibility import RESTRICTED, visible

DAY = dt.datetime(2023, 3, 1, 9, tzinfo=dt.UTC)
TJK = User("tjk", "delegation", "TJK")
KAZ = User("kaz", "delegation", "KAZ")
SG = User("sg", "secretary_general", None)
CONTROL = User("ctl", "control", None)


def _exercise(ledger: SqlLedger, ds: Dataset, scope: str, *, suspend_tjk: bool) -> Session:
    session, _ = open_session(ScopedLedger(ledger, scope), ds, DAY)
    t = DAY

    def act(actor: str, kind: str, case: str, **params: object) -> None:
        nonlocal t
        t += dt.timedelta(minutes=1)
        session.act(Action(kind, actor, t, case, params))

    act("RUS", "file_report", "r1", title="SECRET-R1", classification="secret", releasable_to=["TJK", "KAZ"])
    act("RUS", "file_report", "r2", title="OPEN-R2", classification="unclassified")
    if suspend_tjk:
        act("RUS", "propose_suspension", "s", state="TJK", grounds="a played breach")
        act("BLR", "convene", "s", body="csc")
        for state in ("ARM", "BLR", "KAZ", "KGZ", "RUS"):
            act(state, "vote", "s", position="support")
        act("BLR", "close", "s")
    return session


def _shown(ledger: SqlLedger, ds: Dataset, user: User, scope: str) -> dict[str, bool]:
    """Title → shown, for the ReportFiled rows of one exercise."""
    rows = visible(list(ledger.read()), user, ledger, ds)
    out = {}
    for r in rows:
        if r["type"] == "ReportFiled" and r["stream"].startswith(scope + ":"):
            title = "SECRET-R1" if r["stream"].endswith("/r1") else "OPEN-R2"
            out[title] = not r["restricted"]
            assert r["restricted"] == (r["text"] == RESTRICTED)
    return out


def test_a_suspension_played_in_an_exercise_hides_its_reports_from_the_suspended_member(
    tmp_path: Path,
) -> None:
    ds = load_dataset("csto")
    ledger = open_ledger(str(tmp_path / "room.db"))
    played = _exercise(ledger, ds, "played", suspend_tjk=True)
    _exercise(ledger, ds, "calm", suspend_tjk=False)
    assert played.engine.world.statuses["TJK"] == "suspended"
    assert ds.state("TJK").status_at(DAY.date()) == "member"  # type: ignore[union-attr]  # the data says member

    # Where the suspension was played, TJK sees neither the secret report released to it nor the open one;
    # the engine refuses its read in the same words.
    assert _shown(ledger, ds, TJK, "played") == {"SECRET-R1": False, "OPEN-R2": False}
    verdict = played.engine.may_read("TJK", "r1")
    assert not verdict.ok and verdict.rule == "charter-art20-suspension"  # type: ignore[union-attr]
    # In the exercise without it, TJK reads both; KAZ reads both in either; the SG only the open one.
    assert _shown(ledger, ds, TJK, "calm") == {"SECRET-R1": True, "OPEN-R2": True}
    for scope in ("played", "calm"):
        assert _shown(ledger, ds, KAZ, scope) == {"SECRET-R1": True, "OPEN-R2": True}
        assert _shown(ledger, ds, SG, scope) == {"SECRET-R1": False, "OPEN-R2": True}
        assert _shown(ledger, ds, CONTROL, scope) == {"SECRET-R1": True, "OPEN-R2": True}
    ledger.close()


def test_may_read_names_no_report_it_does_not_hold(tmp_path: Path) -> None:
    import pytest

    from csto.errors import ScriptError

    ds = load_dataset("csto")
    ledger = open_ledger(str(tmp_path / "room.db"))
    session = _exercise(ledger, ds, "x", suspend_tjk=False)
    with pytest.raises(ScriptError):
        session.engine.may_read("KAZ", "no-such-report")
    assert session.engine.may_read("KAZ", "r1").ok
    assert not session.engine.may_read("KGZ", "r1").ok
    ledger.close()
