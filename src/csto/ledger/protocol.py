"""The ``Ledger`` interface every backend implements, its ``VerifyReport`` and its error types.

Callers program against ``Ledger`` only; the SQL backend lives in ``csto.ledger.sql``. This module
must stay free of database imports so that upper layers can type against it cheaply.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import IO, Protocol, Self, runtime_checkable

from csto.errors import LedgerError
from csto.ledger.events import Event, StoredEvent

__all__ = ["ConcurrencyError", "Ledger", "LedgerError", "VerifyReport"]


class ConcurrencyError(LedgerError):
    """An append lost an optimistic-concurrency race: the stream's version was not the expected one.

    Nothing was written. Re-read the stream, re-decide, and append again with the new version.
    """


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The result of walking the hash chain.

    ``count`` is the number of events found intact (all of them when ``ok``; those before
    ``first_bad_seq`` otherwise). ``stream``/``type`` name the first bad event where it could be read,
    ``unreadable`` is true when the chain holds but this code cannot read that event (an unknown event
    type, or data that does not fit its class): a ledger written by other code, not a tampered one.
    ``head_hash`` is the hash of the last intact event (``None`` for an empty ledger): keep it
    somewhere else to detect a rewritten or truncated tail later.
    """

    ok: bool
    count: int
    first_bad_seq: int | None = None
    reason: str | None = None
    stream: str | None = None
    type: str | None = None
    head_hash: str | None = None
    unreadable: bool = False

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class EventLog(Protocol):
    """What a session needs of a store: append with optimistic concurrency, and read back in order."""

    def append(
        self, events: Sequence[Event], *, expected_version: int | None = None
    ) -> list[StoredEvent]: ...

    def read(self, stream: str | None = None, after_seq: int = 0) -> Iterator[StoredEvent]: ...


@runtime_checkable
class Ledger(Protocol):
    """An append-only, hash-chained store of events, one global order (``seq``) over many streams."""

    def append(self, events: Sequence[Event], *, expected_version: int | None = None) -> list[StoredEvent]:
        """Append ``events`` (all of one stream) atomically; return them as stored.

        With ``expected_version``, raise ``ConcurrencyError`` and write nothing unless the stream's
        current version equals it (0 for a stream that does not exist yet).
        """
        ...

    def read(self, stream: str | None = None, after_seq: int = 0) -> Iterator[StoredEvent]:
        """Events in ``seq`` order, optionally of one stream, with ``seq > after_seq``."""
        ...

    def stream_version(self, stream: str) -> int:
        """The version of the last event in ``stream`` (0 if it has none)."""
        ...

    def head(self) -> StoredEvent | None:
        """The last event (highest ``seq``), or ``None`` for an empty ledger."""
        ...

    def verify(self) -> VerifyReport:
        """Walk the chain: recompute every hash, check seq continuity, prev_hash links, stream versions."""
        ...

    def export_jsonl(self, fp: IO[str]) -> int:
        """Write the ledger as JSON lines (header, one line per event, trailer); return the event count."""
        ...

    def import_jsonl(self, fp: IO[str]) -> int:
        """Load an export into this (empty) ledger, verifying the chain; all or nothing. Return the count."""
        ...

    def close(self) -> None:
        """Release connections; the ledger cannot be used afterwards."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close the ledger."""
        ...
