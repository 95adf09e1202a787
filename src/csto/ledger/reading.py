"""Reading a SQL ledger's rows: paging through them in ``seq`` order, turning one into a ``StoredEvent``,
and checking the whole chain (``verify``).

Functions over a connection factory and rows, for ``SqlLedger``; they must never write, and never
decide how transactions are opened or locked (the caller's ``txn`` does that).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Connection

from csto.errors import LedgerError
from csto.ledger.chain import ChainChecker
from csto.ledger.dialect import is_bad_text, lenient_text
from csto.ledger.events import StoredEvent, hash_fields
from csto.ledger.protocol import VerifyReport
from csto.ledger.schema import Statements

Txn = Callable[[], AbstractContextManager[Connection]]
#: The C JSON scanner (``json.loads`` without its whitespace handling): for canonical texts only.
scan_canonical: Callable[[str, int], tuple[Any, int]] = getattr(json.JSONDecoder(), "scan_once")  # noqa: B009


def cursor(conn: Connection) -> Any:
    """The DBAPI cursor of ``conn``'s connection, inside its transaction (for ``Statements``' driver SQL)."""
    return conn.connection.cursor()


def fetch_all(conn: Connection, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of driver SQL ``query``; a stored text that is not UTF-8 reads with U+FFFD (``lenient_text``)."""
    try:
        rows: list[tuple[Any, ...]] = cursor(conn).execute(query, params).fetchall()
    except Exception as exc:
        if not is_bad_text(exc):
            raise
        with lenient_text(conn.connection.dbapi_connection):
            rows = cursor(conn).execute(query, params).fetchall()
    return rows


def event_rows(
    txn: Txn, sql: Statements, stream: str | None, after_seq: int, *, prefix: str | None, page_size: int
) -> Iterator[tuple[Any, ...]]:
    """Rows (tuples in ``COLUMNS`` order) in seq order, a page at a time (no connection held between pages)."""
    p = sql.param
    query, params = sql.select, list[Any]()
    if stream is not None:
        query, params = query + f" AND stream = {p}", [stream]
    if prefix is not None:
        query, params = query + f" AND substr(stream, 1, {p}) = {p}", [*params, len(prefix), prefix]
    query += f" ORDER BY seq LIMIT {int(page_size)}"
    last = int(after_seq)
    while True:
        with txn() as conn:
            rows = fetch_all(conn, query, (last, *params))
        yield from rows
        if len(rows) < page_size:
            return
        last = int(rows[-1][0])


def to_stored(row: Sequence[Any], *, display: str) -> StoredEvent:
    """The ``StoredEvent`` of one row (in ``COLUMNS`` order); a ``LedgerError`` naming its seq if it cannot be read.

    A row whose hash recomputes from its columns is what its writer checked, so it is built without a
    second validation; any other row (tampered, or written by other code) goes through every check.
    """
    seq, stream, version, type_, at, data_json, recorded_at, prev_hash, digest = row
    try:
        if isinstance(data_json, str) and (
            hash_fields(seq, stream, version, type_, at, data_json, prev_hash, recorded_at) == digest
            or hash_fields(seq, stream, version, type_, at, data_json, prev_hash) == digest  # legacy
        ):
            # The hash holds, so the text is canonical (no whitespace around it): the C scanner reads it
            # without json.loads's whitespace handling; trailing text falls through to the full check.
            data, end = scan_canonical(data_json, 0)
            when = datetime.fromisoformat(at)
            recorded = datetime.fromisoformat(recorded_at)
            if isinstance(data, dict) and end == len(data_json) and when.tzinfo is recorded.tzinfo is UTC:
                return StoredEvent.trusted(
                    seq,
                    stream,
                    version,
                    type_,
                    when,
                    data,
                    data_json,
                    recorded,
                    prev_hash,
                    digest,
                )
        return StoredEvent(
            seq=seq,
            stream=stream,
            version=version,
            type=type_,
            at=datetime.fromisoformat(at),
            data=json.loads(data_json),
            recorded_at=datetime.fromisoformat(recorded_at),
            prev_hash=prev_hash,
            hash=digest,
        )
    except (ValueError, TypeError, StopIteration, ValidationError) as exc:
        raise LedgerError(
            f"stored event seq {seq} cannot be read ({str(exc).splitlines()[0]})",
            file=display,
            field=f"seq {seq}",
            expected="an intact ledger (run `csto ledger verify`)",
        ) from None


def verify_rows(rows: Iterable[Sequence[Any]]) -> VerifyReport:
    """Check every row's hash and link in order; the report names the first fault, if any."""
    checker = ChainChecker()
    fault = checker.walk(rows)
    if fault is not None:
        return VerifyReport(
            ok=False,
            count=checker.count,
            first_bad_seq=fault.seq,
            reason=fault.reason,
            stream=fault.stream,
            type=fault.type,
            head_hash=checker.last_hash if checker.count else None,
            unreadable=fault.unreadable,
        )
    return VerifyReport(ok=True, count=checker.count, head_hash=checker.last_hash if checker.count else None)
