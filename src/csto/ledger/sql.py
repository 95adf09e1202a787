"""The SQL backend of ``Ledger`` (SQLAlchemy Core): one schema for SQLite and PostgreSQL, ``open_ledger``.

Writers serialise on a database lock taken inside the transaction (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE MODE``), so seq and the hash chain stay gap-free across
threads and processes; unique keys on ``seq`` and ``(stream, version)`` back that up. This module
never updates or deletes an event row; ``append`` reads each event through its class (``csto.events``)
and refuses an unknown type or ill-fitting data before anything is written.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final, Literal, Self

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, Row
from sqlalchemy.pool import StaticPool

from csto.errors import InputError, LedgerError
from csto.events import serialise
from csto.ledger.chain import ChainChecker, RawRecord
from csto.ledger.events import GENESIS_HASH, Event, StoredEvent, canonical_at, canonical_json, record_hash
from csto.ledger.jsonl import event_line, header_line, read_export, trailer_line
from csto.ledger.protocol import ConcurrencyError, VerifyReport

__all__ = ["SCHEMA_VERSION", "SqlLedger", "events_table", "meta_table", "metadata", "open_ledger"]

SCHEMA_VERSION: Final = 1
PAGE_SIZE: Final = 500
IMPORT_BATCH: Final = 1000
_EXPECTED_URL: Final = "a SQLite file path, sqlite:///PATH, sqlite:// (in memory) or postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME"
_PG_SCHEMES: Final = frozenset({"postgresql", "postgres", "postgresql+psycopg"})
_SQLITE_SCHEMES: Final = frozenset({"sqlite", "sqlite+pysqlite"})
_PG_SCHEMA_LOCK_KEY: Final = 0x637374_6F4C64  # any constant: serialises schema creation between processes

metadata = sa.MetaData()

events_table = sa.Table(
    "ledger_events",
    metadata,
    # On SQLite an INTEGER PRIMARY KEY is the rowid; we still assign it ourselves (autoincrement off).
    sa.Column(
        "seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=False
    ),
    sa.Column("stream", sa.Text(), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("type", sa.Text(), nullable=False),
    sa.Column("at", sa.Text(), nullable=False),  # canonical ISO text, exactly what was hashed
    sa.Column("data", sa.Text(), nullable=False),  # canonical JSON text, exactly what was hashed
    sa.Column("recorded_at", sa.Text(), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("stream", "version", name="uq_ledger_events_stream_version"),
    sa.CheckConstraint("seq >= 1", name="ck_ledger_events_seq_positive"),
    sa.CheckConstraint("version >= 1", name="ck_ledger_events_version_positive"),
)

meta_table = sa.Table(
    "ledger_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)

Kind = Literal["sqlite", "postgresql"]


@dataclass(frozen=True, slots=True)
class _Target:
    kind: Kind
    url: URL
    display: str
    path: Path | None = None  # SQLite file; None for PostgreSQL and in-memory SQLite

    @property
    def memory(self) -> bool:
        return self.kind == "sqlite" and self.path is None


def _parse_target(url_or_path: str | os.PathLike[str]) -> _Target:
    if isinstance(url_or_path, os.PathLike):
        return _sqlite_file(Path(url_or_path))
    if not isinstance(url_or_path, str) or not url_or_path.strip():
        raise LedgerError("no ledger location given", field="db", expected=_EXPECTED_URL)
    text = url_or_path.strip()
    if text == ":memory:":
        return _Target("sqlite", URL.create("sqlite+pysqlite"), ":memory:")
    if "://" not in text:
        return _sqlite_file(Path(text))
    scheme = text.split("://", 1)[0].lower()
    try:
        url = sa.make_url(text)
    except sa_exc.ArgumentError:
        raise LedgerError(f"malformed ledger URL {text!r}", field="db", expected=_EXPECTED_URL) from None
    if scheme in _SQLITE_SCHEMES:
        if not url.database or url.database == ":memory:":
            return _Target("sqlite", URL.create("sqlite+pysqlite"), ":memory:")
        return _sqlite_file(Path(url.database))
    if scheme in _PG_SCHEMES:
        url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise LedgerError(
                f"ledger URL {url.render_as_string(hide_password=True)!r} names no database",
                field="db",
                expected=_EXPECTED_URL,
            )
        return _Target("postgresql", url, url.render_as_string(hide_password=True))
    if scheme.startswith(("postgresql+", "postgres+")):
        raise LedgerError(
            f"unsupported PostgreSQL driver in {scheme!r}", field="db", expected="postgresql:// (psycopg 3)"
        )
    raise LedgerError(f"unsupported ledger URL scheme {scheme!r}", field="db", expected=_EXPECTED_URL)


def _sqlite_file(path: Path) -> _Target:
    path = path.expanduser()
    return _Target("sqlite", URL.create("sqlite+pysqlite", database=str(path)), str(path), path)


def open_ledger(
    url_or_path: str | os.PathLike[str], *, create: bool = True, busy_timeout_s: float = 30.0
) -> SqlLedger:
    """Open (and with ``create``, make if missing) the ledger at a SQLite path or a database URL.

    ``busy_timeout_s`` bounds how long a writer waits for another writer's lock. Raises
    ``LedgerError`` naming what was expected for a bad URL, a missing file (``create=False``), a
    database that is not a ledger, or one that cannot be reached.
    """
    target = _parse_target(url_or_path)
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


def _sqlite_engine(target: _Target, busy_timeout_s: float) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout_s, "check_same_thread": False}}
    if target.memory:
        kwargs["poolclass"] = StaticPool  # one shared connection, guarded by SqlLedger's lock
    engine = sa.create_engine(target.url, **kwargs)
    busy_ms = int(busy_timeout_s * 1000)

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see on_begin)
        # A stored text that is not UTF-8 (a flipped byte: SQLite, unlike PostgreSQL, keeps it) reads back
        # with U+FFFD in place of the bad bytes, so verify() reports a hash mismatch at that event instead
        # of failing to read the whole page of rows.
        dbapi_conn.text_factory = lambda b: b.decode("utf-8", "replace")
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
            if not target.memory:
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")  # a commit is on disk before append() returns
        finally:
            cur.close()

    def on_begin(conn: Connection) -> None:
        # Writers take the write lock up front, so "read head, then insert" cannot interleave.
        write = conn.get_execution_options().get("csto_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    sa_event.listen(engine, "connect", on_connect)
    sa_event.listen(engine, "begin", on_begin)
    return engine


def _postgres_engine(target: _Target) -> Engine:
    return sa.create_engine(target.url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


@dataclass(slots=True)
class _Append:
    """One caller's append, waiting for the group commit that writes it (or fails it)."""

    stream: str
    rows: list[tuple[Event, str, str]]  # (event, canonical data JSON, canonical at)
    expected: int | None
    stored: list[StoredEvent] | None = None
    error: BaseException | None = None
    finished: bool = False


class SqlLedger:
    """A ``Ledger`` on SQLite or PostgreSQL; create it with ``open_ledger``. Safe to share between threads."""

    def __init__(self, target: _Target, *, busy_timeout_s: float = 30.0) -> None:
        self._target = target
        self._busy_ms = int(busy_timeout_s * 1000)
        self._engine = (
            _sqlite_engine(target, busy_timeout_s) if target.kind == "sqlite" else _postgres_engine(target)
        )
        # In-memory SQLite shares one connection, so calls there take turns; elsewhere the database locks.
        self._guard: AbstractContextManager[Any] = threading.RLock() if target.memory else nullcontext()
        # Writers in this process take turns here, before the database's own lock: threads then queue
        # instead of polling SQLite's busy handler (whose sleeps add tens of ms under load) or holding
        # pooled PostgreSQL connections while they wait for the table lock. Other processes still wait on
        # the database's lock.
        self._writers = threading.RLock()
        self._queue_lock = threading.Lock()
        self._queue: list[_Append] = []
        self._closed = False
        self._created = False
        self._events_name = self._engine.dialect.identifier_preparer.format_table(events_table)

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
            self._engine.dispose()

    def _error(self, message: str, **kw: Any) -> LedgerError:
        return LedgerError(message, file=self._target.display, **kw)

    @contextmanager
    def _db_errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except LedgerError:
            raise
        except sa_exc.IntegrityError as exc:
            raise ConcurrencyError(
                f"{action}: another writer changed the ledger at the same time ({_first_line(exc)})",
                file=self._target.display,
                expected="a retry after re-reading the stream",
            ) from exc
        except sa_exc.OperationalError as exc:
            raise self._error(
                f"{action} failed: {_first_line(exc)}",
                expected="a reachable database that is not locked by another writer for long",
            ) from exc
        except sa_exc.SQLAlchemyError as exc:
            raise self._error(
                f"{action} failed: {_first_line(exc)}", expected="a csto ledger database"
            ) from exc

    @contextmanager
    def _txn(self, *, write: bool, action: str) -> Iterator[Connection]:
        """One transaction; a write transaction holds the ledger's write lock from its first statement."""
        if self._closed:
            raise self._error("the ledger is closed", expected="an open ledger")
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
            if not sa.inspect(conn).has_table(events_table.name):
                if not create:
                    raise self._error(
                        "not a csto ledger (no ledger_events table)",
                        expected="a ledger written by csto (check --db or CSTO_DB)",
                    )
                metadata.create_all(conn)
                conn.execute(meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
                self._created = True
                return
            found = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).scalar_one_or_none()
            if found != str(SCHEMA_VERSION):
                raise self._error(
                    f"unknown ledger schema version {found!r}",
                    field="schema_version",
                    expected=f"schema version {SCHEMA_VERSION}",
                )

    @contextmanager
    def _schema_txn(self) -> Iterator[Connection]:
        # PostgreSQL: the table may not exist yet, so serialise schema creation on an advisory lock.
        with self._db_errors("open"), self._engine.connect() as conn, conn.begin():
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK_KEY)))
            yield conn

    # -- the Ledger interface ---------------------------------------------------------------------

    def append(self, events: Sequence[Event], *, expected_version: int | None = None) -> list[StoredEvent]:
        batch = list(events)
        for i, ev in enumerate(batch):
            if not isinstance(ev, Event):
                raise self._error(
                    f"events[{i}] is a {type(ev).__name__}",
                    field=f"events[{i}]",
                    expected="a csto.ledger.Event",
                )
        if expected_version is not None and (
            not isinstance(expected_version, int)
            or isinstance(expected_version, bool)
            or expected_version < 0
        ):
            raise self._error(
                f"bad expected_version {expected_version!r}",
                field="expected_version",
                expected="an integer >= 0",
            )
        if not batch:
            return []
        stream = batch[0].stream
        for i, ev in enumerate(batch):
            if ev.stream != stream:
                raise self._error(
                    f"events[{i}] is for stream {ev.stream!r}, events[0] for {stream!r}",
                    field=f"events[{i}].stream",
                    expected="all events of one append in one stream",
                )
        # Serialise before queueing: a bad event fails its own append only, and writes nothing.
        rows: list[tuple[Event, str, str]] = []
        for i, ev in enumerate(batch):
            try:
                row = (ev, canonical_json(ev.data), canonical_at(ev.at))
            except (ValueError, TypeError, AttributeError) as exc:
                raise self._error(
                    f"events[{i}] cannot be recorded: {exc}; nothing was written",
                    field=f"events[{i}]",
                    expected="plain JSON data and a timezone-aware 'at'",
                ) from None
            try:
                # Read through its class (csto.events): a known type, with the fields it declares.
                serialise(ev.type, ev.data)
            except InputError as exc:
                raise self._error(
                    f"events[{i}] cannot be recorded: {exc.message}; nothing was written",
                    field=f"events[{i}].{exc.field or 'data'}",
                    expected=exc.expected,
                ) from None
            rows.append(row)
        req = _Append(stream, rows, expected_version)
        with self._queue_lock:
            self._queue.append(req)
        # Group commit: whoever holds the write lock commits every append queued meanwhile in one
        # transaction (one fsync); each append still checks its own expected_version, in queue order.
        with self._writers:
            if not req.finished:
                with self._queue_lock:
                    group, self._queue = self._queue, []
                self._commit_group(group)
        if req.error is not None:
            raise req.error
        assert req.stored is not None
        return req.stored

    def _commit_group(self, group: list[_Append]) -> None:
        t = events_table
        done: list[tuple[_Append, list[StoredEvent]]] = []
        try:
            with self._txn(write=True, action="append") as conn:
                last = conn.execute(sa.select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(1)).first()
                seq, prev_hash = (int(last.seq), str(last.hash)) if last is not None else (0, GENESIS_HASH)
                recorded_at = canonical_at(datetime.now(UTC))
                versions: dict[str, int] = {}
                for req in group:
                    if req.stream not in versions:
                        versions[req.stream] = int(
                            conn.execute(
                                sa.select(sa.func.coalesce(sa.func.max(t.c.version), 0)).where(
                                    t.c.stream == req.stream
                                )
                            ).scalar_one()
                        )
                    current = versions[req.stream]
                    if req.expected is not None and current != req.expected:
                        req.error = ConcurrencyError(
                            f"stream {req.stream!r} is at version {current}, not {req.expected}; nothing was written",
                            file=self._target.display,
                            field="expected_version",
                            expected=f"expected_version={current} (re-read the stream and decide again)",
                        )
                        continue
                    stored: list[StoredEvent] = []
                    records = []
                    for k, (ev, data_json, at) in enumerate(req.rows):
                        seq += 1
                        version = current + k + 1
                        digest = record_hash(
                            seq=seq,
                            stream=req.stream,
                            version=version,
                            type=ev.type,
                            at=at,
                            data_json=data_json,
                            prev_hash=prev_hash,
                        )
                        row = {
                            "seq": seq,
                            "stream": req.stream,
                            "version": version,
                            "type": ev.type,
                            "at": at,
                            "data": data_json,
                            "recorded_at": recorded_at,
                            "prev_hash": prev_hash,
                            "hash": digest,
                        }
                        records.append(row)
                        stored.append(self._to_stored(row))
                        prev_hash = digest
                    conn.execute(t.insert(), records)
                    versions[req.stream] = current + len(req.rows)
                    done.append((req, stored))
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

    def read(self, stream: str | None = None, after_seq: int = 0) -> Iterator[StoredEvent]:
        if self._closed:
            raise self._error("the ledger is closed", expected="an open ledger")
        return (self._to_stored(row._mapping) for row in self._rows(stream, after_seq))

    def stream_version(self, stream: str) -> int:
        t = events_table
        with self._txn(write=False, action="read") as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.coalesce(sa.func.max(t.c.version), 0)).where(t.c.stream == stream)
                ).scalar_one()
            )

    def head(self) -> StoredEvent | None:
        t = events_table
        with self._txn(write=False, action="read") as conn:
            row = conn.execute(sa.select(t).order_by(t.c.seq.desc()).limit(1)).first()
        return None if row is None else self._to_stored(row._mapping)

    def verify(self) -> VerifyReport:
        checker = ChainChecker()
        for row in self._rows(None, 0):
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
        return VerifyReport(
            ok=True, count=checker.count, head_hash=checker.last_hash if checker.count else None
        )

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
        t = events_table
        count = 0
        with self._txn(write=True, action="import") as conn:
            if conn.execute(sa.select(t.c.seq).limit(1)).first() is not None:
                raise self._error(
                    "the ledger already holds events; nothing was imported",
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

    # -- helpers ----------------------------------------------------------------------------------

    def read_prefix(self, prefix: str, after_seq: int = 0) -> Iterator[StoredEvent]:
        """Events whose stream starts with ``prefix``, in ``seq`` order, with ``seq > after_seq``."""
        if self._closed:
            raise self._error("the ledger is closed", expected="an open ledger")
        return (self._to_stored(row._mapping) for row in self._rows(None, after_seq, prefix=prefix))

    def _rows(self, stream: str | None, after_seq: int, *, prefix: str | None = None) -> Iterator[Row[Any]]:
        """Rows in seq order, fetched a page at a time (no connection is held between pages)."""
        t = events_table
        last = int(after_seq)
        while True:
            query = sa.select(t).where(t.c.seq > last)
            if stream is not None:
                query = query.where(t.c.stream == stream)
            if prefix is not None:
                query = query.where(sa.func.substr(t.c.stream, 1, len(prefix)) == prefix)
            with self._txn(write=False, action="read") as conn:
                rows = conn.execute(query.order_by(t.c.seq).limit(PAGE_SIZE)).all()
            yield from rows
            if len(rows) < PAGE_SIZE:
                return
            last = int(rows[-1].seq)

    def _to_stored(self, row: Any) -> StoredEvent:
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
            raise self._error(
                f"stored event seq {row['seq']} cannot be read ({str(exc).splitlines()[0]})",
                field=f"seq {row['seq']}",
                expected="an intact ledger (run `csto ledger verify`)",
            ) from None
