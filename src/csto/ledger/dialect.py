"""Where a ledger lives and how each dialect connects: URL/path parsing and the SQLite/PostgreSQL engines.

``parse_target`` turns a path or URL into a ``Target`` (or a ``LedgerError`` naming what was expected);
``sqlite_engine`` sets SQLite's pragmas and ``BEGIN IMMEDIATE`` for writers. It must not touch the
tables or take the ledger's locks: ``SqlLedger`` does that.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.pool import StaticPool

from csto.errors import LedgerError
from csto.extras import require_extra

EXPECTED_URL: Final = "a SQLite file path, sqlite:///PATH, sqlite:// (in memory) or postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME"
PG_SCHEMES: Final = frozenset({"postgresql", "postgres", "postgresql+psycopg"})
SQLITE_SCHEMES: Final = frozenset({"sqlite", "sqlite+pysqlite"})

Kind = Literal["sqlite", "postgresql"]


@dataclass(frozen=True, slots=True)
class Target:
    """Where a ledger lives: its dialect, SQLAlchemy URL and how messages name it (password hidden)."""

    kind: Kind
    url: URL
    display: str
    path: Path | None = None  # SQLite file; None for PostgreSQL and in-memory SQLite

    @property
    def memory(self) -> bool:
        return self.kind == "sqlite" and self.path is None


def parse_target(url_or_path: str | os.PathLike[str]) -> Target:
    """The ledger a path or URL names; a ``LedgerError`` (field ``db``) names what was expected instead."""
    if isinstance(url_or_path, os.PathLike):
        return sqlite_file(Path(url_or_path))
    if not isinstance(url_or_path, str) or not url_or_path.strip():
        raise LedgerError("no ledger location given", field="db", expected=EXPECTED_URL)
    text = url_or_path.strip()
    if text == ":memory:":
        return Target("sqlite", URL.create("sqlite+pysqlite"), ":memory:")
    if "://" not in text:
        return sqlite_file(Path(text))
    scheme = text.split("://", 1)[0].lower()
    try:
        url = sa.make_url(text)
    except sa_exc.ArgumentError:
        raise LedgerError(f"malformed ledger URL {text!r}", field="db", expected=EXPECTED_URL) from None
    if scheme in SQLITE_SCHEMES:
        if not url.database or url.database == ":memory:":
            return Target("sqlite", URL.create("sqlite+pysqlite"), ":memory:")
        return sqlite_file(Path(url.database))
    if scheme in PG_SCHEMES:
        url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise LedgerError(
                f"ledger URL {url.render_as_string(hide_password=True)!r} names no database",
                field="db",
                expected=EXPECTED_URL,
            )
        return Target("postgresql", url, url.render_as_string(hide_password=True))
    if scheme.startswith(("postgresql+", "postgres+")):
        raise LedgerError(
            f"unsupported PostgreSQL driver in {scheme!r}", field="db", expected="postgresql:// (psycopg 3)"
        )
    raise LedgerError(f"unsupported ledger URL scheme {scheme!r}", field="db", expected=EXPECTED_URL)


def sqlite_file(path: Path) -> Target:
    path = path.expanduser()
    return Target("sqlite", URL.create("sqlite+pysqlite", database=str(path)), str(path), path)


#: bytes -> str with bad UTF-8 replaced by U+FFFD, for ``lenient_text``.
_LENIENT: Final = functools.partial(str, encoding="utf-8", errors="replace")


def is_bad_text(exc: BaseException) -> bool:
    """Whether ``exc`` is sqlite3 refusing a stored text that is not UTF-8 (SQLite, unlike PostgreSQL, keeps it)."""
    return "Could not decode to UTF-8" in str(exc)


@contextmanager
def lenient_text(dbapi_conn: Any) -> Iterator[None]:
    """Read texts that are not UTF-8 with U+FFFD in place of the bad bytes (sqlite3), for one query.

    Only for the query that ``is_bad_text`` refused: a Python decoder on every text value halves the
    speed of reading rows, so sqlite3's own strict one reads them otherwise. Then ``verify()`` reports a
    hash mismatch at a flipped byte's event instead of failing to read the whole page of rows.
    """
    dbapi_conn.text_factory = _LENIENT
    try:
        yield
    finally:
        dbapi_conn.text_factory = str


def sqlite_engine(target: Target, busy_timeout_s: float) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"timeout": busy_timeout_s, "check_same_thread": False}}
    if target.memory:
        kwargs["poolclass"] = StaticPool  # one shared connection, guarded by SqlLedger's lock
    engine = sa.create_engine(target.url, **kwargs)
    busy_ms = int(busy_timeout_s * 1000)

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see on_begin)
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
        # Straight to the driver: a statement through SQLAlchemy costs more than the BEGIN itself; an error
        # (the lock not had within busy_timeout) reaches SqlLedger as the driver's OperationalError.
        write = conn.get_execution_options().get("csto_write", False)
        conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")  # type: ignore[union-attr]

    sa_event.listen(engine, "connect", on_connect)
    sa_event.listen(engine, "begin", on_begin)
    return engine


def postgres_engine(target: Target) -> Engine:
    require_extra("postgres", "a PostgreSQL ledger")
    return sa.create_engine(target.url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
