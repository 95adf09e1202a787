"""The ledger reads every event through its class (csto.events): on append, on verify and on import.

An unknown type or data unlike its class is refused on append (nothing written); an event of an unknown
type whose hash holds (a ledger written by other code) is named with its seq by ``verify`` and
``import`` (exit 2 through the CLI, nothing imported). Run on SQLite and PostgreSQL like the contract.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from csto.errors import LedgerError
from csto.ledger import Event, Ledger, canonical_json, open_ledger, record_hash

from .conftest import T0, RawSQL
from .test_cli import run_cli

VOTE = {"actor": "ARM", "state": "ARM", "position": "support", "reason": "", "changed": False}


def _fill(ledger: Ledger, n: int = 3) -> None:
    for _ in range(n):
        ledger.append([Event(stream="decision/d-1", type="VoteCast", at=T0, data=VOTE)])


def _smuggle(ledger: Ledger, raw: RawSQL, type_name: str, data: dict[str, object]) -> int:
    """Add an event with a correct hash but a type this code does not know, as other code would have."""
    head = ledger.head()
    assert head is not None
    seq, at, data_json = head.seq + 1, head.to_record()["at"], canonical_json(data)
    digest = record_hash(
        seq=seq,
        stream="other/x",
        version=1,
        type=type_name,
        at=str(at),
        data_json=data_json,
        prev_hash=head.hash,
        recorded_at=str(at),
    )
    raw._run(
        "INSERT INTO ledger_events (seq, stream, version, type, at, data, recorded_at, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, "other/x", 1, type_name, at, data_json, at, head.hash, digest),
    )
    return seq


class TestTypedAppend:
    def test_an_engine_event_with_its_fields_is_recorded_byte_for_byte(self, ledger: Ledger) -> None:
        (stored,) = ledger.append([Event(stream="decision/d-1", type="VoteCast", at=T0, data=VOTE)])
        assert stored.data == VOTE
        assert ledger.verify().ok

    def test_an_unknown_type_is_refused_naming_it_and_nothing_is_written(self, ledger: Ledger) -> None:
        _fill(ledger, 1)
        batch = [
            Event(stream="decision/d-1", type="VoteCast", at=T0, data=VOTE),
            Event(stream="decision/d-1", type="VoteCastt", at=T0, data=VOTE),
        ]
        with pytest.raises(LedgerError, match=r"unknown event type 'VoteCastt'.*nothing was written") as info:
            ledger.append(batch)
        assert info.value.field == "events[1].type"
        assert [e.seq for e in ledger.read()] == [1]

    def test_data_unlike_its_class_is_refused_naming_the_field(self, ledger: Ledger) -> None:
        missing = {k: v for k, v in VOTE.items() if k != "position"}
        with pytest.raises(LedgerError, match="VoteCast event data") as info:
            ledger.append([Event(stream="decision/d-1", type="VoteCast", at=T0, data=missing)])
        assert info.value.field == "events[0].data.position"
        with pytest.raises(LedgerError, match="Extra inputs") as info:
            ledger.append([Event(stream="decision/d-1", type="VoteCast", at=T0, data={**VOTE, "x": 1})])
        assert info.value.field == "events[0].data.x"
        assert ledger.head() is None

    def test_a_value_the_class_would_change_is_refused_not_stored_changed(self, ledger: Ledger) -> None:
        data = {"actor": "KAZ", "state": "KAZ", "personnel": 100.0}  # a float where the class keeps an int
        with pytest.raises(LedgerError, match="would change when read through its class"):
            ledger.append([Event(stream="deployment/d", type="UnitsDeparted", at=T0, data=data)])
        assert ledger.head() is None


class TestUnknownTypeInAStoredLedger:
    def test_verify_names_the_unknown_type_with_its_seq(self, ledger: Ledger, raw: RawSQL) -> None:
        _fill(ledger)
        seq = _smuggle(ledger, raw, "Foo", {"actor": "X"})
        report = ledger.verify()
        assert (report.ok, report.first_bad_seq, report.type, report.count) == (False, seq, "Foo", 3)
        assert report.reason == "unknown event type 'Foo'" and report.unreadable

    def test_a_tampered_event_is_not_called_unreadable(self, ledger: Ledger, raw: RawSQL) -> None:
        _fill(ledger)
        raw.set(2, "type", "Foo")
        report = ledger.verify()
        assert (report.ok, report.first_bad_seq, report.unreadable) == (False, 2, False)
        assert "hash mismatch" in str(report.reason)

    def test_cli_verify_exits_2_naming_the_event(
        self, capsys: pytest.CaptureFixture[str], ledger: Ledger, ledger_url: str, raw: RawSQL
    ) -> None:
        _fill(ledger)
        _smuggle(ledger, raw, "Foo", {"actor": "X"})
        code, out, err = run_cli(capsys, "ledger", "verify", "--db", ledger_url)
        assert code == 2 and out == ""
        assert "event 4: unknown event type 'Foo'" in err and "Traceback" not in err
        code, out, _ = run_cli(capsys, "ledger", "verify", "--db", ledger_url, "--json")
        assert code == 2 and json.loads(out)["unreadable"] is True

    def test_import_refuses_a_file_with_an_unknown_type_naming_line_and_seq_and_writes_nothing(
        self, ledger: Ledger, raw: RawSQL, ledger_url_factory: Callable[[], str]
    ) -> None:
        _fill(ledger)
        _smuggle(ledger, raw, "Foo", {"actor": "X"})
        buf = io.StringIO()
        ledger.export_jsonl(buf)
        with open_ledger(ledger_url_factory()) as target:
            with pytest.raises(LedgerError, match=r"event seq 4: unknown event type 'Foo'") as info:
                target.import_jsonl(io.StringIO(buf.getvalue()))
            assert info.value.line == 5 and info.value.field == "type"
            assert target.head() is None

    def test_cli_import_of_such_a_file_exits_2_and_leaves_no_ledger(
        self, capsys: pytest.CaptureFixture[str], ledger: Ledger, raw: RawSQL, tmp_path: Path
    ) -> None:
        _fill(ledger)
        _smuggle(ledger, raw, "Foo", {"actor": "X"})
        dump = tmp_path / "dump.jsonl"
        with dump.open("w", encoding="utf-8") as fp:
            ledger.export_jsonl(fp)
        target = tmp_path / "new.db"
        code, out, err = run_cli(capsys, "ledger", "import", str(dump), "--db", str(target))
        assert code == 2 and out == "" and "Traceback" not in err
        assert f"{dump}:5" in err and "event seq 4: unknown event type 'Foo'" in err
        assert not target.exists()
