"""The ``Ledger`` contract: one test class, run against SQLite and PostgreSQL by the ``ledger`` fixture.

It checks behaviour through the public interface, and tampers only through plain SQL (``RawSQL``).
It must not depend on backend internals beyond the table name ``ledger_events``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import pytest

import csto.ledger.sql as ledger_sql
from csto.errors import LedgerError
from csto.ledger import (
    GENESIS_HASH,
    JSON,
    ConcurrencyError,
    Event,
    Ledger,
    Projection,
    SqlLedger,
    StoredEvent,
    catch_up,
    counts_by_type,
    open_ledger,
    project,
    replay,
    stream_versions,
)

from .conftest import T0, RawSQL, ev

SRC = Path(__file__).resolve().parents[2] / "src"


def _fill(ledger: Ledger, n: int = 9) -> list[StoredEvent]:
    """n events over three streams and two types, one append each."""
    out: list[StoredEvent] = []
    for i in range(n):
        kind = "NoteTaken" if i % 3 else "NoteFiled"
        out += ledger.append([ev(f"accession/S-{i % 3}", kind, i, member="ARM", vote="yes")])
    return out


def _snapshot(ledger: Ledger) -> list[dict[str, JSON]]:
    return [e.to_record() for e in ledger.read()]


class TestLedgerContract:
    # -- append and read ---------------------------------------------------------------------------

    def test_append_assigns_seq_version_and_links_hashes(self, ledger: SqlLedger) -> None:
        first = ledger.append([ev("a/1", i=0), ev("a/1", i=1)])
        second = ledger.append([ev("b/1", "NoteFiled", 2)])
        stored = first + second
        assert [(e.seq, e.stream, e.version) for e in stored] == [(1, "a/1", 1), (2, "a/1", 2), (3, "b/1", 1)]
        assert stored[0].prev_hash == GENESIS_HASH
        assert [e.prev_hash for e in stored[1:]] == [e.hash for e in stored[:-1]]
        assert all(e.hash == e.expected_hash() for e in stored)
        assert stored[0].recorded_at.tzinfo is not None

    def test_read_returns_what_append_returned_in_seq_order(self, ledger: SqlLedger) -> None:
        stored = _fill(ledger)
        assert list(ledger.read()) == stored
        assert [e.data for e in ledger.read()] == [{"i": i, "member": "ARM", "vote": "yes"} for i in range(9)]

    def test_read_filters_by_stream_and_after_seq(self, ledger: SqlLedger) -> None:
        stored = _fill(ledger)
        assert list(ledger.read(stream="accession/S-1")) == [e for e in stored if e.stream == "accession/S-1"]
        assert [e.seq for e in ledger.read(after_seq=6)] == [7, 8, 9]
        assert [e.seq for e in ledger.read(stream="accession/S-0", after_seq=3)] == [4, 7]
        assert list(ledger.read(stream="no/such")) == []

    def test_read_pages_through_more_rows_than_one_page(
        self, ledger: SqlLedger, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(ledger_sql, "PAGE_SIZE", 4)
        stored = _fill(ledger, 11)
        assert [e.seq for e in ledger.read()] == list(range(1, 12))
        assert list(ledger.read(stream="accession/S-2")) == [e for e in stored if e.stream == "accession/S-2"]
        assert ledger.verify().count == 11

    def test_stream_version_counts_events_of_that_stream_only(self, ledger: SqlLedger) -> None:
        assert ledger.stream_version("accession/S-0") == 0
        _fill(ledger)
        assert [ledger.stream_version(f"accession/S-{k}") for k in range(3)] == [3, 3, 3]
        assert ledger.stream_version("accession/S-9") == 0

    def test_head_is_none_when_empty_then_the_last_event(self, ledger: SqlLedger) -> None:
        assert ledger.head() is None
        stored = _fill(ledger, 4)
        assert ledger.head() == stored[-1]

    def test_data_round_trips_unicode_nesting_and_numbers(self, ledger: SqlLedger) -> None:
        data = {"name": "Армения", "nested": {"list": [1, 2.5, None, True, "x"]}, "big": 2**62, "neg": -0.125}
        (stored,) = ledger.append([Event(stream="s", type="NoteTaken", at=T0, data=data)])
        (read,) = ledger.read()
        assert stored.data == read.data == data
        assert ledger.verify().ok

    def test_reopened_ledger_continues_the_same_chain(self, ledger_url: str) -> None:
        with open_ledger(ledger_url) as first:
            _fill(first, 3)
        with open_ledger(ledger_url, create=False) as again:
            (nxt,) = again.append([ev("accession/S-0", i=3)])
            assert (nxt.seq, nxt.version) == (4, 2)
            assert again.verify().ok and again.verify().count == 4

    def test_empty_append_writes_nothing(self, ledger: SqlLedger) -> None:
        assert ledger.append([]) == []
        assert ledger.head() is None

    def test_append_of_two_streams_is_refused_and_writes_nothing(self, ledger: SqlLedger) -> None:
        with pytest.raises(LedgerError, match="one stream"):
            ledger.append([ev("a"), ev("b")])
        assert ledger.head() is None

    def test_backend_satisfies_the_ledger_protocol(self, ledger: SqlLedger) -> None:
        assert isinstance(ledger, Ledger)

    def test_closed_ledger_refuses_further_use(self, ledger_url: str) -> None:
        led = open_ledger(ledger_url)
        led.close()
        with pytest.raises(LedgerError, match="closed"):
            led.append([ev("a")])
        with pytest.raises(LedgerError, match="closed"):
            list(led.read())

    # -- optimistic concurrency and atomicity -------------------------------------------------------

    def test_expected_version_matches_then_conflicts(self, ledger: SqlLedger) -> None:
        ledger.append([ev("a", i=0)], expected_version=0)
        ledger.append([ev("a", i=1), ev("a", i=2)], expected_version=1)
        before = _snapshot(ledger)
        with pytest.raises(ConcurrencyError) as info:
            ledger.append([ev("a", i=3)], expected_version=1)  # stale: the stream is at 3
        assert info.value.field == "expected_version"
        assert "3" in str(info.value)
        with pytest.raises(ConcurrencyError):
            ledger.append([ev("b", i=3)], expected_version=2)  # stream b does not exist yet (version 0)
        assert _snapshot(ledger) == before
        assert ledger.stream_version("a") == 3

    def test_concurrency_error_is_a_ledger_error(self) -> None:
        assert issubclass(ConcurrencyError, LedgerError)

    def test_failed_append_in_mid_batch_leaves_ledger_exactly_as_it_was(self, ledger: SqlLedger) -> None:
        _fill(ledger, 3)
        before = _snapshot(ledger)
        # Validation is bypassed so that the bad event reaches append: the 3rd of 4 cannot be serialised.
        bad = Event.model_construct(stream="accession/S-0", type="NoteTaken", at=T0, data={"x": object()})  # type: ignore[dict-item]
        batch = [ev("accession/S-0", i=10), ev("accession/S-0", i=11), bad, ev("accession/S-0", i=12)]
        with pytest.raises(LedgerError) as info:
            ledger.append(batch)
        assert info.value.field == "events[2]"
        assert _snapshot(ledger) == before
        assert ledger.stream_version("accession/S-0") == 1
        (nxt,) = ledger.append([ev("accession/S-0", i=13)])
        assert (nxt.seq, nxt.version, nxt.prev_hash) == (4, 2, before[-1]["hash"])
        assert ledger.verify().ok

    def test_failed_append_of_naive_timestamp_writes_nothing(self, ledger: SqlLedger) -> None:
        naive = Event.model_construct(stream="s", type="NoteTaken", at=T0.replace(tzinfo=None), data={})
        with pytest.raises(LedgerError):
            ledger.append([ev("s"), naive])
        assert ledger.head() is None

    # -- the hash chain -----------------------------------------------------------------------------

    def test_verify_reports_intact_chain_with_count_and_head(self, ledger: SqlLedger) -> None:
        assert ledger.verify().ok and ledger.verify().count == 0 and ledger.verify().head_hash is None
        stored = _fill(ledger)
        report = ledger.verify()
        assert (report.ok, report.count, report.first_bad_seq, report.reason) == (True, 9, None, None)
        assert report.head_hash == stored[-1].hash

    def test_verify_names_the_event_whose_data_lost_one_byte(self, ledger: SqlLedger, raw: RawSQL) -> None:
        stored = _fill(ledger, 12)
        # A sample of positions: first, middle and last events; first, inner and last bytes of the data.
        for seq in (1, 6, 12):
            original = raw.get(seq, "data")
            for offset in (0, 5, len(original) // 2, len(original) - 2, len(original) - 1):
                new = "x" if original[offset] != "x" else "y"
                raw.replace_byte_of_data(seq, offset, new)
                assert raw.get(seq, "data") != original and len(raw.get(seq, "data")) == len(original)
                report = ledger.verify()
                assert not report.ok, (seq, offset)
                assert report.first_bad_seq == seq, (seq, offset, report)
                assert report.count == seq - 1
                assert (report.stream, report.type) == (stored[seq - 1].stream, stored[seq - 1].type)
                raw.set(seq, "data", original)
                assert ledger.verify().ok, "restoring the byte must make the chain verify again"

    @pytest.mark.parametrize(
        ("column", "value"),
        [
            ("stream", "accession/S-9"),
            ("type", "VoteWithdrawn"),
            ("at", "2024-03-01T09:00:00.000001+00:00"),
            ("version", 7),
            ("prev_hash", "f" * 64),
            ("hash", "0" * 63 + "1"),
        ],
    )
    def test_verify_names_the_event_whose_hashed_column_changed(
        self, ledger: SqlLedger, raw: RawSQL, column: str, value: object
    ) -> None:
        _fill(ledger, 6)
        raw.set(4, column, value)
        report = ledger.verify()
        assert not report.ok
        assert report.first_bad_seq == 4
        assert report.reason

    def test_verify_finds_a_deleted_event_as_a_seq_gap(self, ledger: SqlLedger, raw: RawSQL) -> None:
        _fill(ledger, 5)
        raw.delete(3)
        report = ledger.verify()
        assert (report.ok, report.first_bad_seq, report.count) == (False, 4, 2)
        assert "seq" in (report.reason or "")

    def test_verify_finds_a_rewritten_hash_at_the_next_link(self, ledger: SqlLedger, raw: RawSQL) -> None:
        stored = _fill(ledger, 5)
        # Rewrite event 2 consistently (data and its own hash): its successor's prev_hash no longer links.
        tampered = stored[1].model_copy(update={"data": {"i": 99}})
        raw.set(2, "data", '{"i":99}')
        raw.set(2, "hash", tampered.expected_hash())
        report = ledger.verify()
        assert (report.ok, report.first_bad_seq) == (False, 3)
        assert "prev_hash" in (report.reason or "")

    def test_read_of_an_unparseable_row_names_its_seq(self, ledger: SqlLedger, raw: RawSQL) -> None:
        _fill(ledger, 3)
        raw.set(2, "data", "{not json")
        with pytest.raises(LedgerError, match="seq 2"):
            list(ledger.read())
        assert ledger.verify().first_bad_seq == 2

    # -- export and import --------------------------------------------------------------------------

    def test_export_import_round_trip_keeps_events_and_hashes(
        self, ledger: SqlLedger, ledger_url_factory: Callable[[], str]
    ) -> None:
        _fill(ledger, 7)
        ledger.append([Event(stream="ünï/côdé", type="NoteTaken", at=T0, data={"t": "tab\there", "e": ""})])
        buf = io.StringIO()
        assert ledger.export_jsonl(buf) == 8
        buf.seek(0)
        with open_ledger(ledger_url_factory()) as copy:
            assert copy.import_jsonl(buf) == 8
            assert list(copy.read()) == list(ledger.read())
            assert copy.verify() == ledger.verify()
            (nxt,) = copy.append([ev("accession/S-0", i=8)])
            assert nxt.prev_hash == ledger.head().hash  # type: ignore[union-attr]

    def test_export_of_empty_ledger_imports_as_empty(
        self, ledger: SqlLedger, ledger_url_factory: Callable[[], str]
    ) -> None:
        buf = io.StringIO()
        assert ledger.export_jsonl(buf) == 0
        assert len(buf.getvalue().splitlines()) == 2  # header and trailer
        buf.seek(0)
        with open_ledger(ledger_url_factory()) as copy:
            assert copy.import_jsonl(buf) == 0
            assert copy.head() is None

    def _export_lines(self, ledger: Ledger) -> list[str]:
        buf = io.StringIO()
        ledger.export_jsonl(buf)
        return buf.getvalue().splitlines(keepends=True)

    def test_import_refuses_a_tampered_line_naming_it_and_writes_nothing(
        self, ledger: SqlLedger, ledger_url_factory: Callable[[], str]
    ) -> None:
        _fill(ledger, 6)
        lines = self._export_lines(ledger)
        # line 1 is the header, so seq 4 is on line 5
        obj = json.loads(lines[4])
        assert obj["seq"] == 4
        obj["data"]["vote"] = "no"
        lines[4] = json.dumps(obj) + "\n"
        fp = io.StringIO("".join(lines))
        fp.name = "tampered.jsonl"
        with open_ledger(ledger_url_factory()) as copy:
            with pytest.raises(LedgerError) as info:
                copy.import_jsonl(fp)
            assert info.value.line == 5
            assert info.value.file == "tampered.jsonl"
            assert "tampered.jsonl:5" in str(info.value) and "seq 4" in str(info.value)
            assert copy.head() is None, "a refused import must write nothing"
            assert copy.verify().count == 0

    def test_import_refuses_a_file_cut_short(
        self, ledger: SqlLedger, ledger_url_factory: Callable[[], str]
    ) -> None:
        _fill(ledger, 4)
        lines = self._export_lines(ledger)
        with open_ledger(ledger_url_factory()) as copy:
            with pytest.raises(LedgerError, match="trailer") as info:
                copy.import_jsonl(io.StringIO("".join(lines[:-2])))  # last event and trailer lost
            assert info.value.line == len(lines) - 1
            assert copy.head() is None

    def test_import_refuses_a_dropped_middle_line(
        self, ledger: SqlLedger, ledger_url_factory: Callable[[], str]
    ) -> None:
        _fill(ledger, 4)
        lines = self._export_lines(ledger)
        del lines[2]  # seq 2
        with open_ledger(ledger_url_factory()) as copy:
            with pytest.raises(LedgerError, match="seq") as info:
                copy.import_jsonl(io.StringIO("".join(lines)))
            assert info.value.line == 3
            assert copy.head() is None

    def test_import_refuses_a_ledger_that_already_has_events(
        self, ledger: SqlLedger, ledger_url_factory: Callable[[], str]
    ) -> None:
        _fill(ledger, 2)
        lines = self._export_lines(ledger)
        with open_ledger(ledger_url_factory()) as other:
            other.append([ev("z")])
            with pytest.raises(LedgerError, match="empty"):
                other.import_jsonl(io.StringIO("".join(lines)))
            assert [e.stream for e in other.read()] == ["z"]

    # -- concurrent writers ---------------------------------------------------------------------------

    @pytest.mark.parametrize("shared", [False, True], ids=["own-ledgers", "shared-ledger"])
    def test_two_threads_appending_get_unique_seqs_and_a_valid_chain(
        self, ledger_url: str, shared: bool
    ) -> None:
        common = open_ledger(ledger_url)  # also creates the tables before the race
        per_thread = 25
        errors: list[BaseException] = []
        start = threading.Barrier(2)

        def writer(name: str) -> None:
            try:
                # Either one object shared by both threads, or each with its own engine and connections.
                with nullcontext(common) if shared else open_ledger(ledger_url) as led:
                    start.wait()
                    for i in range(per_thread):
                        led.append([ev(f"thread/{name}", i=i)])
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(n,)) for n in "AB"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors
        with open_ledger(ledger_url) as check:
            events = list(check.read())
            assert [e.seq for e in events] == list(range(1, 2 * per_thread + 1))
            for name in "AB":
                assert [e.version for e in events if e.stream == f"thread/{name}"] == list(
                    range(1, per_thread + 1)
                )
            assert check.verify().ok
        common.close()

    def test_optimistic_writers_on_one_stream_never_share_a_version(self, ledger_url: str) -> None:
        open_ledger(ledger_url).close()
        per_thread = 15
        conflicts = Counter[str]()
        errors: list[BaseException] = []

        def writer(name: str) -> None:
            try:
                with open_ledger(ledger_url) as own:
                    done = 0
                    while done < per_thread:
                        version = own.stream_version("council/1")
                        try:
                            own.append([ev("council/1", i=done, by=name)], expected_version=version)
                            done += 1
                        except ConcurrencyError:
                            conflicts[name] += 1
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(n,)) for n in "AB"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors
        with open_ledger(ledger_url) as check:
            assert [e.version for e in check.read(stream="council/1")] == list(range(1, 2 * per_thread + 1))
            assert check.verify().ok

    def test_two_processes_appending_get_unique_seqs_and_a_valid_chain(self, ledger_url: str) -> None:
        open_ledger(ledger_url).close()
        script = (
            "import sys\n"
            "from datetime import datetime, UTC\n"
            "from csto.ledger import Event, open_ledger\n"
            "import tests.ledger.conftest\n"  # registers the test event types (PingSent)
            "url, stream, n = sys.argv[1], sys.argv[2], int(sys.argv[3])\n"
            "with open_ledger(url) as led:\n"
            "    for i in range(n):\n"
            "        now = datetime.now(UTC)\n"
            "        led.append([Event(stream=stream, type='PingSent', at=now, data={'i': i})])\n"
        )
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), str(SRC.parent), os.environ.get("PYTHONPATH", "")]),
        }
        n = 30
        procs = [
            subprocess.Popen([sys.executable, "-c", script, ledger_url, f"proc/{k}", str(n)], env=env)
            for k in range(2)
        ]
        assert [p.wait(timeout=120) for p in procs] == [0, 0]
        with open_ledger(ledger_url) as check:
            events = list(check.read())
            assert sorted(e.seq for e in events) == list(range(1, 2 * n + 1))
            assert Counter(e.stream for e in events) == {"proc/0": n, "proc/1": n}
            assert check.verify().ok

    # -- projections ---------------------------------------------------------------------------------

    def test_builtin_projections_agree_with_the_store_and_with_replay(self, ledger: SqlLedger) -> None:
        stored = _fill(ledger, 10)
        versions = project(ledger, stream_versions)
        assert dict(versions) == {s: ledger.stream_version(s) for s in {e.stream for e in stored}}
        counts = project(ledger, counts_by_type)
        assert dict(counts) == dict(Counter(e.type for e in stored))
        assert project(ledger, counts_by_type) == replay(list(ledger.read()), counts_by_type)

    def test_catch_up_in_steps_equals_a_fresh_replay(self, ledger: SqlLedger) -> None:
        _fill(ledger, 4)
        state, last = catch_up(ledger, stream_versions, stream_versions.initial, after_seq=0)
        assert last == 4
        for i in range(3):
            ledger.append([ev("late/1", i=i)])
        state, last = catch_up(ledger, stream_versions, state, after_seq=last)
        assert last == 7
        assert state == project(ledger, stream_versions) == replay(ledger.read(), stream_versions)

    def test_projection_of_one_stream_until_a_time(self, ledger: SqlLedger) -> None:
        _fill(ledger, 9)
        seen: Projection[tuple[int, ...]] = Projection("seqs", (), lambda s, e: (*s, e.seq))
        assert project(ledger, seen, stream="accession/S-1") == (2, 5, 8)
        assert project(ledger, seen, until=T0.replace(hour=12)) == (1, 2, 3, 4)
