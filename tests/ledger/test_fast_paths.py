"""The ledger's fast paths give what the checked paths gave: kept canonical JSON, trusted records, verify's order.

A stored row whose hash holds is built without a second validation (``StoredEvent.trusted``) and must equal
the validated record; one whose hash does not hold still goes through every check; the canonical JSON an
``Event`` keeps is never stale. Runs on every backend of ``conftest.BACKENDS``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from csto.errors import LedgerError
from csto.ledger import Event, SqlLedger, StoredEvent, canonical_json, open_ledger

from .conftest import T0, RawSQL, ev
from .test_typed import _smuggle


def test_an_event_keeps_its_canonical_json_and_a_copy_with_other_data_makes_its_own() -> None:
    event = ev("a/1", i=3, text="é\tx", nested={"b": [1, 2.5, None], "a": True})
    assert event.data_json() == canonical_json(event.data)
    other = event.model_copy(update={"data": {"i": 99}})
    assert other.data_json() == '{"i":99}' and event.data_json() == canonical_json(event.data)
    assert Event.model_construct(stream="a", type="NoteTaken", at=T0, data={"z": 1, "a": 2}).data_json() == (
        '{"a":2,"z":1}'
    )


def test_read_gives_records_equal_to_validated_ones(ledger: SqlLedger) -> None:
    stored = ledger.append([ev("a/1", i=i, who="ARM", note=f"n{i}") for i in range(5)])
    read = list(ledger.read())
    assert read == stored
    # The same data in the same key order (canonical: sorted), so a record describes itself the same way.
    assert [list(e.data) for e in stored] == [list(e.data) for e in read] == [["i", "note", "who"]] * 5
    for e in read:
        again = StoredEvent.model_validate(e.model_dump())
        assert (
            e == again
            and e.model_dump() == again.model_dump()
            and e.model_fields_set == again.model_fields_set
        )
        assert e.expected_hash() == e.hash and e.data_json() == canonical_json(e.data)
    assert ledger.head() == stored[-1]


def test_a_row_whose_hash_fails_is_still_checked_field_by_field(ledger: SqlLedger, raw: RawSQL) -> None:
    ledger.append([ev("a/1", i=0), ev("a/1", i=1)])
    raw.set(2, "stream", "bad\x01stream")  # no longer the hashed stream, and not a valid one either
    with pytest.raises(LedgerError, match="seq 2"):
        list(ledger.read())
    report = ledger.verify()
    assert (report.ok, report.first_bad_seq, report.count) == (False, 2, 1)


def test_a_row_whose_hash_holds_but_whose_type_is_unknown_is_named_unreadable(
    ledger: SqlLedger, raw: RawSQL
) -> None:
    ledger.append([ev("a/1", i=0)])
    seq = _smuggle(ledger, raw, "NoSuchType", {"x": 1})
    report = ledger.verify()
    assert (report.ok, report.first_bad_seq, report.unreadable) == (False, seq, True)


def test_bad_utf8_in_a_sqlite_row_is_read_leniently_and_named_by_verify(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with open_ledger(path) as ledger:
        ledger.append([ev("a/1", i=i, note="ascii") for i in range(3)])
    con = sqlite3.connect(path)
    with con:  # a byte that is not UTF-8, as a flipped bit leaves it (SQLite keeps it)
        con.execute(
            "UPDATE ledger_events SET data = CAST(? AS TEXT) WHERE seq = 2", (b'{"i":1,"note":"as\xffii"}',)
        )
    con.close()
    with open_ledger(path) as ledger:
        events = list(ledger.read())
        assert [e.seq for e in events] == [1, 2, 3] and "\ufffd" in events[1].data["note"]
        report = ledger.verify()
        assert (report.ok, report.first_bad_seq) == (False, 2) and "hash mismatch" in str(report.reason)
        assert ledger.head() is not None
