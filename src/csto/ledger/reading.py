"""Reading a SQL ledger's rows: paging through them in ``seq`` order, turning one into a ``StoredEvent``,
and checking the whole chain (``verify``).

Functions over a connection factory and rows, for ``SqlLedger``; they must never write, and never
decide how transactions are opened or locked (the caller's ``txn`` does that).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection, Row

from csto.errors import LedgerError
from csto.ledger.chain import ChainChecker, RawRecord
from csto.ledger.events import StoredEvent
from csto.ledger.protocol import VerifyReport
from csto.ledger.schema import events_table

Txn = Callable[[], AbstractContextManager[Connection]]


def event_rows(
    txn: Txn, stream: str | None, after_seq: int, *, prefix: str | None, page_size: int
) -> Iterator[Row[Any]]:
    """Rows in seq order, fetched a page at a time (no connection is held between pages)."""
    t = events_table
    last = int(after_seq)
    while True:
        query = sa.select(t).where(t.c.seq > last)
        if stream is not None:
            query = query.where(t.c.stream == stream)
        if prefix is not None:
            query = query.where(sa.func.substr(t.c.stream, 1, len(prefix)) == prefix)
        with txn() as conn:
            rows = conn.execute(query.order_by(t.c.seq).limit(page_size)).all()
        yield from rows
        if len(rows) < page_size:
            return
        last = int(rows[-1].seq)


def to_stored(row: Any, *, display: str) -> StoredEvent:
    """The ``StoredEvent`` of one row (a mapping); a ``LedgerError`` naming its seq if it cannot be read."""
    try:
        return StoredEvent(
            seq=row["seq"],
            stream=row["stream"],
            version=row["version"],
            type=row["type"],
            at=datetime.fromisoformat(row["at"]),
            data=json.loads(row["data"]),
            recorded_at=datetime.fromisoformat(row["recorded_at"]),
            prev_hash=row["prev_hash"],
            hash=row["hash"],
        )
    except (ValueError, ValidationError) as exc:
        raise LedgerError(
            f"stored event seq {row['seq']} cannot be read ({str(exc).splitlines()[0]})",
            file=display,
            field=f"seq {row['seq']}",
            expected="an intact ledger (run `csto ledger verify`)",
        ) from None


def verify_rows(rows: Iterable[Row[Any]]) -> VerifyReport:
    """Check every row's hash and link in order; the report names the first fault, if any."""
    checker = ChainChecker()
    for row in rows:
        fault = checker.check(
            RawRecord(
                seq=row.seq,
                stream=row.stream,
                version=row.version,
                type=row.type,
                at=row.at,
                data_json=row.data,
                prev_hash=row.prev_hash,
                hash=row.hash,
            )
        )
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
