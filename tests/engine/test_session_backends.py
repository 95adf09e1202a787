"""The engine bound to a ledger, on SQLite and on PostgreSQL: recorded steps, refusals, replay, failures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from csto.ledger import ConcurrencyError, Event, open_ledger
from csto.model import load_dataset
from csto.procedures import Action
from csto.rules import RefusedError
from csto.script import load_script
from csto.session import open_session, replay_snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_url(request, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return str(tmp_path / "session.db")
    return str(request.getfixturevalue("postgres_url"))


class TestSessionOnEveryBackend:
    def test_kazakhstan_script_records_every_step_and_replays_to_the_same_state(
        self, ledger_url: str
    ) -> None:
        ds = load_dataset("csto")
        sc = load_script(ROOT / "examples" / "kazakhstan-2022.yaml", ds)
        with open_ledger(ledger_url) as ledger:
            session, opening = open_session(ledger, ds, sc.start)
            assert opening is not None
            for step in sc.steps:
                session.act(step.action)
            assert ledger.verify().ok
            assert replay_snapshot(ledger, ds) == session.engine.snapshot()
            types = [e.type for e in ledger.read()]
            assert types[1] == "RequestLodged" and types[-1] == "ForcesReleased"

    def test_a_refused_action_writes_nothing(self, ledger_url: str) -> None:
        ds = load_dataset("csto")
        with open_ledger(ledger_url) as ledger:
            session, _ = open_session(ledger, ds, dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
            before = (ledger.head(), session.engine.snapshot())
            with pytest.raises(RefusedError):
                session.act(
                    Action(
                        "request_assistance",
                        "ARM",
                        dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
                        "x",
                        {"kind": "external_attack"},
                    )
                )
            assert (ledger.head(), session.engine.snapshot()) == before

    def test_a_failed_append_leaves_ledger_and_engine_unchanged(self, ledger_url: str) -> None:
        ds = load_dataset("csto")
        t = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        with open_ledger(ledger_url) as ledger:
            session, _ = open_session(ledger, ds, t)
            session.act(Action("table", "KAZ", t, "d", {"subject": "s"}))
            # another writer appends to the same case's stream behind the session's back
            ledger.append(
                [Event(stream="decision/d", type="SubjectDropped", at=t, data={"actor": "KGZ"})],
                expected_version=1,
            )
            count = sum(1 for _ in ledger.read())
            snap = session.engine.snapshot()
            with pytest.raises(ConcurrencyError):
                session.act(Action("convene", "KGZ", t, "d", {"body": "csc"}))
            assert sum(1 for _ in ledger.read()) == count
            assert session.engine.snapshot() == snap

    def test_a_session_resumes_from_the_ledger(self, ledger_url: str) -> None:
        ds = load_dataset("csto")
        t = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        with open_ledger(ledger_url) as ledger:
            s1, _ = open_session(ledger, ds, t)
            s1.act(Action("table", "KAZ", t, "d", {"subject": "s"}))
            s2, opening = open_session(ledger, ds, None)
            assert opening is None
            assert s2.engine.snapshot() == s1.engine.snapshot()
            s2.act(Action("convene", "KGZ", t, "d", {"body": "csc"}))
