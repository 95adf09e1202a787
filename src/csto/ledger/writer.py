"""Writing a SQL ledger: checking one append's events, the group commit, and loading an export.

``encode_append`` refuses a bad batch before anything is queued; ``commit_group`` writes every queued
append in one transaction (each checking its own ``expected_version``), numbering ``seq`` and chaining
hashes. Rows are only ever inserted here: never updated or deleted. Queueing and locking are ``SqlLedger``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from csto.errors import InputError, LedgerError
from csto.events import parse, serialise
from csto.ledger.events import GENESIS_HASH, Event, StoredEvent, canonical_at, encode_checked, hash_fields
from csto.ledger.jsonl import read_export
from csto.ledger.protocol import ConcurrencyError
from csto.ledger.reading import Txn, cursor, scan_canonical
from csto.ledger.schema import Statements, events_table

IMPORT_BATCH: Final = 1000


@dataclass(slots=True)
class Append:
    """One caller's append, waiting for the group commit that writes it (or fails it)."""

    stream: str
    rows: list[tuple[Event, str, str]]  # (event, canonical data JSON, canonical at)
    expected: int | None
    stored: list[StoredEvent] | None = None
    error: BaseException | None = None
    finished: bool = False


def encode_append(events: Sequence[Event], expected_version: int | None, *, display: str) -> Append | None:
    """Check and serialise one append (``None`` for no events); a ``LedgerError`` names the bad event."""
    batch = list(events)
    for i, ev in enumerate(batch if not all(isinstance(ev, Event) for ev in batch) else ()):
        if not isinstance(ev, Event):
            raise LedgerError(
                f"events[{i}] is a {type(ev).__name__}",
                file=display,
                field=f"events[{i}]",
                expected="a csto.ledger.Event",
            )
    if expected_version is not None and (
        not isinstance(expected_version, int) or isinstance(expected_version, bool) or expected_version < 0
    ):
        raise LedgerError(
            f"bad expected_version {expected_version!r}",
            file=display,
            field="expected_version",
            expected="an integer >= 0",
        )
    if not batch:
        return None
    stream = batch[0].stream
    for i, ev in enumerate(batch if any(ev.stream != stream for ev in batch) else ()):
        if ev.stream != stream:
            raise LedgerError(
                f"events[{i}] is for stream {ev.stream!r}, events[0] for {stream!r}",
                file=display,
                field=f"events[{i}].stream",
                expected="all events of one append in one stream",
            )
    # Serialise before queueing: a bad event fails its own append only, and writes nothing.
    rows: list[tuple[Event, str, str]] = []
    for i, ev in enumerate(batch):
        try:
            row = (ev, ev.data_json(), canonical_at(ev.at))
        except (ValueError, TypeError, AttributeError) as exc:
            raise LedgerError(
                f"events[{i}] cannot be recorded: {exc}; nothing was written",
                file=display,
                field=f"events[{i}]",
                expected="plain JSON data and a timezone-aware 'at'",
            ) from None
        try:
            # Read through its class (csto.events): a known type, with the fields it declares.
            _check_through_class(ev.type, ev.data, row[1])
        except InputError as exc:
            raise LedgerError(
                f"events[{i}] cannot be recorded: {exc.message}; nothing was written",
                file=display,
                field=f"events[{i}].{exc.field or 'data'}",
                expected=exc.expected,
            ) from None
        rows.append(row)
    return Append(stream, rows, expected_version)


def _check_through_class(type_name: str, data: dict[str, Any], data_json: str) -> None:
    """``serialise``'s check (the data reads through its class and writes back unchanged), comparing the
    written-back data with the canonical text already made; ``serialise`` itself names what would change."""
    body = parse(type_name, data)
    if encode_checked(body.to_data()) != data_json:
        serialise(type_name, data)


def commit_group(group: list[Append], txn: Txn, sql: Statements, *, display: str) -> None:
    """Write every append of ``group`` in one write transaction from ``txn``, then mark each finished.

    An append whose stream is not at its ``expected_version`` fails alone; if the transaction fails,
    nothing of the group is written and every append not already failed fails with that error.
    """
    done: list[tuple[Append, list[StoredEvent]]] = []
    try:
        with txn() as conn:
            cur = cursor(conn)
            cur.execute(sql.head)
            last = cur.fetchone()
            seq, prev_hash = (int(last[0]), str(last[1])) if last is not None else (0, GENESIS_HASH)
            now = datetime.now(UTC)
            recorded_at = canonical_at(now)
            versions: dict[str, int] = {}
            records: list[tuple[Any, ...]] = []
            for req in group:
                if req.stream not in versions:
                    cur.execute(sql.stream_version, (req.stream,))
                    versions[req.stream] = int(cur.fetchone()[0])
                current = versions[req.stream]
                if req.expected is not None and current != req.expected:
                    req.error = ConcurrencyError(
                        f"stream {req.stream!r} is at version {current}, not {req.expected}; nothing was written",
                        file=display,
                        field="expected_version",
                        expected=f"expected_version={current} (re-read the stream and decide again)",
                    )
                    continue
                stored: list[StoredEvent] = []
                for k, (ev, data_json, at) in enumerate(req.rows):
                    seq += 1
                    version = current + k + 1
                    digest = hash_fields(
                        seq, req.stream, version, ev.type, at, data_json, prev_hash, recorded_at
                    )
                    records.append(
                        (seq, req.stream, version, ev.type, at, data_json, recorded_at, prev_hash, digest)
                    )
                    # The event was validated when it was built: the stored record needs no second check.
                    stored.append(
                        StoredEvent.trusted(
                            seq,
                            req.stream,
                            version,
                            ev.type,
                            ev.at,
                            # The data as read back (keys in canonical order), so the record equals read()'s.
                            scan_canonical(data_json, 0)[0],
                            data_json,
                            now,
                            prev_hash,
                            digest,
                        )
                    )
                    prev_hash = digest
                versions[req.stream] = current + len(req.rows)
                done.append((req, stored))
            if records:
                # Through SQLAlchemy (one executemany): its execute hooks see the INSERT (the crash tests do).
                conn.exec_driver_sql(sql.insert, records)
    except BaseException as exc:
        # Nothing of the group was written: every append that had not failed on its own fails with this.
        for req in group:
            if req.error is None:
                req.error = exc
            req.finished = True
        return
    for req, stored in done:
        req.stored = stored
    for req in group:
        req.finished = True


def insert_export(conn: Connection, fp: IO[str], *, name: str, display: str) -> int:
    """Insert every event of a JSONL export into an empty ledger, inside the caller's write transaction."""
    t = events_table
    count = 0
    if conn.execute(sa.select(t.c.seq).limit(1)).first() is not None:
        raise LedgerError(
            "the ledger already holds events; nothing was imported",
            file=display,
            expected="an empty ledger to import into (a new database)",
        )
    batch: list[dict[str, Any]] = []
    for item in read_export(fp, name=name):
        rec = item.record
        batch.append(
            {
                "seq": rec.seq,
                "stream": rec.stream,
                "version": rec.version,
                "type": rec.type,
                "at": rec.at,
                "data": rec.data_json,
                "recorded_at": item.recorded_at,
                "prev_hash": rec.prev_hash,
                "hash": rec.hash,
            }
        )
        count += 1
        if len(batch) >= IMPORT_BATCH:
            conn.execute(t.insert(), batch)
            batch = []
    if batch:
        conn.execute(t.insert(), batch)
    return count
