"""A scoped view of a shared ledger: one exercise's streams, named ``<scope>:<stream>`` in the store.

Many exercises share one database and one hash chain (so one ``verify`` covers them all); each sees
only its own events, with the scope stripped from the stream names, and appends with the same
optimistic concurrency per stream. It holds no state of its own beyond the scope's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from csto.errors import LedgerError
from csto.ledger.events import Event, StoredEvent
from csto.ledger.sql import SqlLedger

SCOPE_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
SEP = ":"


class ScopedLedger:
    """The events of one scope in a shared ``SqlLedger``."""

    def __init__(self, ledger: SqlLedger, scope: str) -> None:
        if not SCOPE_RE.fullmatch(scope):
            raise LedgerError(
                f"bad scope {scope!r}", field="scope", expected="lower-case letters, digits and '-' (1-40)"
            )
        self.ledger = ledger
        self.scope = scope
        self.prefix = scope + SEP

    def _inner(self, e: StoredEvent) -> StoredEvent:
        return e.model_copy(update={"stream": e.stream[len(self.prefix) :]})

    def append(self, events: Sequence[Event], *, expected_version: int | None = None) -> list[StoredEvent]:
        outer = [e.model_copy(update={"stream": self.prefix + e.stream}) for e in events]
        return [self._inner(s) for s in self.ledger.append(outer, expected_version=expected_version)]

    def read(self, stream: str | None = None, after_seq: int = 0) -> Iterator[StoredEvent]:
        if stream is not None:
            return (self._inner(e) for e in self.ledger.read(self.prefix + stream, after_seq))
        return (self._inner(e) for e in self.ledger.read_prefix(self.prefix, after_seq))

    def stream_version(self, stream: str) -> int:
        return self.ledger.stream_version(self.prefix + stream)
