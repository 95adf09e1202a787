"""The SQL backend of ``Ledger`` (SQLAlchemy Core, SQLite and PostgreSQL): ``SqlLedger`` and ``open_ledger``.

Writers serialise on a database lock taken inside the transaction (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE MODE``), so seq and the hash chain stay gap-free across
threads and processes; unique keys on ``seq`` and ``(stream, version)`` back that up. This module
never updates or deletes an event row; ``append`` reads each event through its class (``csto.events``)
and refuses an unknown type or ill-fitting data before anything is written.

``SqlLedger`` holds the connections, locks and the append queue; the parts live beside it: the tables
(``schema``), URL parsing and each dialect's engine (``dialect``), the checks and group commit
(``writer``) and paging, reading and verifying rows (``reading``). Why SQLAlchemy Core and not the
``eventsourcing`` library: see ``csto.ledger``'s docstring.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Self

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine

from csto.errors import LedgerError
from csto.ledger.dialect import Kind, Target, parse_target, postgres_engine, sqlite_engine
from csto.ledger.events import Event, StoredEvent
from csto.ledger.jsonl import event_line, header_line, trailer_line
from csto.ledger.protocol import ConcurrencyError, VerifyReport
from csto.ledger.reading import event_rows, fetch_all, to_stored, verify_rows
from csto.ledger.schema import (
    PG_SCHEMA_LOCK_KEY,
    SCHEMA_VERSION,
    events_table,
    meta_table,
    metadata,
    prepare_schema,
    statements,
)
from csto.ledger.writer import IMPORT_BATCH as IMPORT_BATCH  # re-exported: it was defined here
from csto.ledger.writer import Append, commit_group, encode_append, insert_export

__all__ = ["SCHEMA_VERSION", "SqlLedger", "events_table", "meta_table", "metadata", "open_ledger"]

PAGE_SIZE: Final = 500  # rows per read page, looked up here by each read (tests patch it on this module)
VERIFY_PAGE_SIZE: Final = 5000  # rows per page of verify(): fewer transactions on a long walk (a few MB)


def open_ledger(
    url_or_path: str | os.PathLike[str], *, create: bool = True, busy_timeout_s: float = 30.0
) -> SqlLedger:
    """Open (and with ``create``, make if missing) the ledger at a SQLite path or a database URL.

    ``busy_timeout_s`` bounds how long a writer waits for another writer's lock. Raises
    ``LedgerError`` naming what was expected for a bad URL, a missing file (``create=False``), a
    database that is not a ledger, or one that cannot be reached.
    """
    target = parse_target(url_or_path)
    if target.path is not None:
        if target.path.is_dir():
            raise LedgerError("is a folder", file=target.display, expected="a SQLite ledger file path")
        if not target.path.exists():
            if not create:
                raise LedgerError(
                    "no ledger here",
                    file=target.display,
                    expected="an existing ledger (check --db or CSTO_DB)",
                )
            if not target.path.parent.is_dir():
                raise LedgerError(
                    f"folder {str(target.path.parent)!r} does not exist",
                    file=target.display,
                    expected="a path inside an existing folder",
                )
    elif target.memory and not create:
        raise LedgerError(
            "an in-memory ledger never exists beforehand", file=":memory:", expected="create=True"
        )
    ledger = SqlLedger(target, busy_timeout_s=busy_timeout_s)
    try:
        ledger._prepare(create=create)
    except BaseException:
        ledger.close()
        raise
    return ledger


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


class SqlLedger:
    """A ``Ledger`` on SQLite or PostgreSQL; create it with ``open_ledger``. Safe to share between threads."""

    def __init__(self, target: Target, *, busy_timeout_s: float = 30.0) -> None:
        self._target = target
        self._busy_ms = int(busy_timeout_s * 1000)
        self._engine = (
            sqlite_engine(target, busy_timeout_s) if target.kind == "sqlite" else postgres_engine(target)
        )
        # In-memory SQLite shares one connection, so calls there take turns; elsewhere the database locks.
        self._guard: AbstractContextManager[Any] = threading.RLock() if target.memory else nullcontext()
        # Writers in this process take turns here, before the database's own lock: threads then queue
        # instead of polling SQLite's busy handler (whose sleeps add tens of ms under load) or holding
        # pooled PostgreSQL connections while they wait for the table lock. Other processes still wait on
        # the database's lock.
        self._writers = threading.RLock()
        self._queue_lock = threading.Lock()
        self._queue: list[Append] = []
        self._closed = False
        self._created = False
        self._write_conn: Connection | None = None  # SQLite files: the writers' connection (see _txn)
        self._events_name = self._engine.dialect.identifier_preparer.format_table(events_table)
        self._sql = statements(self._engine.dialect.paramstyle)
        self._dbapi: Any = self._engine.dialect.loaded_dbapi  # its errors, raised by the driver SQL

    # -- plumbing ---------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for maintenance and tests; append through ``append`` only)."""
        return self._engine

    @property
    def kind(self) -> Kind:
        return self._target.kind

    @property
    def path(self) -> Path | None:
        """The SQLite file, or ``None`` (PostgreSQL, in-memory)."""
        return self._target.path

    @property
    def created(self) -> bool:
        """Whether opening this ledger created its tables (it was new)."""
        return self._created

    @property
    def location(self) -> str:
        """Where the ledger lives, password hidden."""
        return self._target.display

    def __repr__(self) -> str:
        return f"SqlLedger({self._target.display!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with self._writers:
                if self._write_conn is not None:
                    self._write_conn.close()
                    self._write_conn = None
            self._engine.dispose()

    def _error(self, message: str, **kw: Any) -> LedgerError:
        return LedgerError(message, file=self._target.display, **kw)

    @contextmanager
    def _db_errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except LedgerError:
            raise
        except (sa_exc.IntegrityError, self._dbapi.IntegrityError) as exc:
            raise ConcurrencyError(
                f"{action}: another writer changed the ledger at the same time ({_first_line(exc)})",
                file=self._target.display,
                expected="a retry after re-reading the stream",
            ) from exc
        except (sa_exc.OperationalError, self._dbapi.OperationalError) as exc:
            raise self._error(
                f"{action} failed: {_first_line(exc)}",
                expected="a reachable database that is not locked by another writer for long",
            ) from exc
        except (sa_exc.SQLAlchemyError, self._dbapi.Error) as exc:
            raise self._error(
                f"{action} failed: {_first_line(exc)}", expected="a csto ledger database"
            ) from exc

    @contextmanager
    def _txn(self, *, write: bool, action: str) -> Iterator[Connection]:
        """One transaction; a write transaction holds the ledger's write lock from its first statement."""
        if self._closed:
            raise self._error("the ledger is closed", expected="an open ledger")
        if write and self._target.path is not None:
            # A SQLite file: the writers (who take turns on _writers) share one connection kept open, so an
            # append does not check one out of the pool and reset it each time; a failed transaction drops it.
            with self._writers, self._db_errors(action):
                conn = self._write_conn
                if conn is None or conn.closed or conn.invalidated:
                    conn = self._write_conn = self._engine.connect()
                    conn.execution_options(csto_write=True)
                try:
                    with conn.begin():
                        yield conn
                except BaseException:
                    self._write_conn = None
                    conn.close()
                    raise
            return
        writers: AbstractContextManager[Any] = self._writers if write else nullcontext()
        with writers, self._guard, self._db_errors(action), self._engine.connect() as conn:
            if write and self._target.kind == "sqlite":
                conn.execution_options(csto_write=True)
            with conn.begin():
                if write and self._target.kind == "postgresql":
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {self._busy_ms}")
                    conn.exec_driver_sql(f"LOCK TABLE {self._events_name} IN EXCLUSIVE MODE")
                yield conn

    def _prepare(self, *, create: bool) -> None:
        txn = self._txn(write=True, action="open") if self.kind == "sqlite" else self._schema_txn()
        with txn as conn:
            if prepare_schema(conn, create=create, display=self._target.display):
                self._created = True

    @contextmanager
    def _schema_txn(self) -> Iterator[Connection]:
        # PostgreSQL: the table may not exist yet, so serialise schema creation on an advisory lock.
        with self._db_errors("open"), self._engine.connect() as conn, conn.begin():
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(PG_SCHEMA_LOCK_KEY)))
            yield conn

    # -- the Ledger interface ---------------------------------------------------------------------

    def append(self, events: Sequence[Event], *, expected_version: int | None = None) -> list[StoredEvent]:
        req = encode_append(events, expected_version, display=self._target.display)
        if req is None:
            return []
        with self._queue_lock:
            self._queue.append(req)
        # Group commit: whoever holds the write lock commits every append queued meanwhile in one
        # transaction (one fsync); each append still checks its own expected_version, in queue order.
        with self._writers:
            if not req.finished:
                with self._queue_lock:
                    group, self._queue = self._queue, []
                commit_group(
                    group,
                    lambda: self._txn(write=True, action="append"),
                    self._sql,
                    display=self._target.display,
                )
        if req.error is not None:
            raise req.error
        assert req.stored is not None
        return req.stored

    def read(self, stream: str | None = None, after_seq: int = 0) -> Iterator[StoredEvent]:
        if self._closed:
            raise self._error("the ledger is closed", expected="an open ledger")
        display = self._target.display
        return (to_stored(row, display=display) for row in self._rows(stream, after_seq))

    def stream_version(self, stream: str) -> int:
        t = events_table
        with self._txn(write=False, action="read") as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.coalesce(sa.func.max(t.c.version), 0)).where(t.c.stream == stream)
                ).scalar_one()
            )

    def head(self) -> StoredEvent | None:
        with self._txn(write=False, action="read") as conn:
            rows = fetch_all(conn, self._sql.last, ())
        return self._to_stored(rows[0]) if rows else None

    def verify(self) -> VerifyReport:
        return verify_rows(self._rows(None, 0, page_size=VERIFY_PAGE_SIZE))

    def export_jsonl(self, fp: IO[str]) -> int:
        fp.write(header_line())
        count, head_hash = 0, None
        for ev in self.read():
            fp.write(event_line(ev))
            count, head_hash = count + 1, ev.hash
        fp.write(trailer_line(count, head_hash))
        return count

    def import_jsonl(self, fp: IO[str]) -> int:
        name = str(getattr(fp, "name", "<import>"))
        with self._txn(write=True, action="import") as conn:
            return insert_export(conn, fp, name=name, display=self._target.display)

    # -- helpers ----------------------------------------------------------------------------------

    def read_prefix(self, prefix: str, after_seq: int = 0) -> Iterator[StoredEvent]:
        """Events whose stream starts with ``prefix``, in ``seq`` order, with ``seq > after_seq``."""
        if self._closed:
            raise self._error("the ledger is closed", expected="an open ledger")
        return (self._to_stored(row) for row in self._rows(None, after_seq, prefix=prefix))

    def _rows(
        self, stream: str | None, after_seq: int, *, prefix: str | None = None, page_size: int | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Rows in seq order, ``PAGE_SIZE`` at a time (no connection is held between pages)."""
        return event_rows(
            lambda: self._txn(write=False, action="read"),
            self._sql,
            stream,
            after_seq,
            prefix=prefix,
            page_size=page_size or PAGE_SIZE,
        )

    def _to_stored(self, row: tuple[Any, ...]) -> StoredEvent:
        return to_stored(row, display=self._target.display)
