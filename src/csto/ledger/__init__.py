"""The ledger: an append-only, hash-chained event store behind one ``Ledger`` interface, and projections.

Events go in with ``open_ledger(url_or_path).append([...])`` and come out in one global order (``seq``);
the SQLite (default) and PostgreSQL backends share one SQLAlchemy Core schema. This package may import
only the standard library, pydantic, SQLAlchemy, psycopg, ``csto.errors`` and the event classes
(``csto.events``, whose registry every append and ``verify`` reads through): never a layer above it.

Why SQLAlchemy Core and not the ``eventsourcing`` library (evaluated from its 9.x documentation;
``benchmarks/bench_ledger.py`` measures this ledger beside its SQLite recorder): its recorders
store ``StoredEvent(originator_id, originator_version, topic, state: bytes)`` per aggregate and let
the database number the application-wide ``notification_id`` during the insert. Our chain hashes
``seq`` and ``prev_hash`` into each row, so both must be known inside the locked transaction *before*
the row is written; the recorders have no hook for that, so we
would be rewriting their SQL for both backends anyway. Its opaque (optionally compressed or
encrypted) ``state`` bytes also work against what we need: canonical JSON that is hashed, exported and
checked byte for byte, and tamper tests through plain SQL. Its aggregate/application layers are not how
our procedures emit events, and it would be one more dependency. SQLAlchemy Core is already a
dependency and gives one schema, one code path and each dialect's own locking (SQLite
``BEGIN IMMEDIATE``, PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE MODE``) in a few hundred lines. We keep
eventsourcing's good ideas: immutable events, a backend chosen by configuration (the URL), and one
contract test class run against every backend.

The hash of an event is SHA-256 over the canonical JSON (sorted keys, no whitespace, UTF-8) of
``{"at", "data", "prev_hash", "recorded_at", "seq", "stream", "type", "version"}``, the times as
``canonical_at`` text; the first ``prev_hash`` is 64 zeros (``GENESIS_HASH``). Ledgers written before
``recorded_at`` was hashed may begin with events hashed without it (``csto.ledger.chain``). ``verify()``
proves the stored chain is self-consistent; a rewritten or cut tail shows only against a signed checkpoint
kept somewhere else (``csto.ledger.checkpoint``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csto.errors import LedgerError
from csto.ledger.events import (
    GENESIS_HASH,
    JSON,
    Event,
    StoredEvent,
    canonical_at,
    canonical_json,
    record_hash,
)
from csto.ledger.projections import Projection, catch_up, counts_by_type, project, replay, stream_versions
from csto.ledger.protocol import ConcurrencyError, EventLog, Ledger, VerifyReport

if TYPE_CHECKING:  # pragma: no cover
    from csto.ledger.sql import SqlLedger, open_ledger

__all__ = [
    "GENESIS_HASH",
    "JSON",
    "ConcurrencyError",
    "Event",
    "EventLog",
    "Ledger",
    "LedgerError",
    "Projection",
    "SqlLedger",
    "StoredEvent",
    "VerifyReport",
    "canonical_at",
    "canonical_json",
    "catch_up",
    "counts_by_type",
    "open_ledger",
    "project",
    "record_hash",
    "replay",
    "stream_versions",
]


def __getattr__(name: str) -> Any:
    # SQLAlchemy loads only when a ledger is opened, so code that just builds Events stays light.
    if name in ("open_ledger", "SqlLedger"):
        from csto.ledger import sql

        return getattr(sql, name)
    raise AttributeError(f"module 'csto.ledger' has no attribute {name!r}")
