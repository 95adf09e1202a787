"""The ledger's SQLAlchemy Core schema (one for SQLite and PostgreSQL) and the check that opens it.

Holds the two tables, the schema version and ``prepare_schema`` (create the tables, or check an
existing database is a ledger of this version). It must not read or write events: that is the
writer's and the reader's, inside ``SqlLedger``'s transactions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from csto.errors import LedgerError

SCHEMA_VERSION: Final = 1
PG_SCHEMA_LOCK_KEY: Final = 0x637374_6F4C64  # any constant: serialises schema creation between processes

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


#: The event columns in table order: what the statements below read and write, and a row's tuple order.
COLUMNS: Final = tuple(c.name for c in events_table.columns)


@dataclass(frozen=True, slots=True)
class Statements:
    """The hot statements as driver SQL for one dialect's parameter style (run on the DBAPI cursor,
    inside the caller's transaction: no per-statement compilation or result wrapping)."""

    insert: str
    head: str  # the last event's seq and hash
    stream_version: str  # one parameter: the stream
    select: str  # every column, seq > parameter; the caller appends filters and ORDER BY/LIMIT
    last: str  # every column of the last event
    param: str  # the placeholder ('?' or '%s')


def statements(paramstyle: str) -> Statements:
    """The statements for a DBAPI ``paramstyle`` (``qmark`` for sqlite3, ``format``/``pyformat`` for psycopg)."""
    p = "?" if paramstyle == "qmark" else "%s"
    name, cols = events_table.name, ", ".join(COLUMNS)
    return Statements(
        insert=f"INSERT INTO {name} ({cols}) VALUES ({', '.join([p] * len(COLUMNS))})",
        head=f"SELECT seq, hash FROM {name} ORDER BY seq DESC LIMIT 1",
        stream_version=f"SELECT coalesce(max(version), 0) FROM {name} WHERE stream = {p}",
        select=f"SELECT {cols} FROM {name} WHERE seq > {p}",
        last=f"SELECT {cols} FROM {name} ORDER BY seq DESC LIMIT 1",
        param=p,
    )


def prepare_schema(conn: Connection, *, create: bool, display: str) -> bool:
    """Create the tables if missing (with ``create``) and say so, or check the schema version found.

    Runs inside the caller's locked transaction. Raises ``LedgerError`` naming ``display`` for a
    database without a ledger (``create=False``) or with another schema version.
    """
    if not sa.inspect(conn).has_table(events_table.name):
        if not create:
            raise LedgerError(
                "not a csto ledger (no ledger_events table)",
                file=display,
                expected="a ledger written by csto (check --db or CSTO_DB)",
            )
        metadata.create_all(conn)
        conn.execute(meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        return True
    found = conn.execute(
        sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
    ).scalar_one_or_none()
    if found != str(SCHEMA_VERSION):
        raise LedgerError(
            f"unknown ledger schema version {found!r}",
            file=display,
            field="schema_version",
            expected=f"schema version {SCHEMA_VERSION}",
        )
    return False
