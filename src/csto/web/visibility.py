"""What the ledger browser may show a user: an intelligence report's events only to those the engine lets read it.

It holds no releasability rule of its own. Each exercise's events (one scope of the shared ledger) are
replayed into an ``Engine``, and ``Engine.may_read`` judges the user against the report under the rule
in ``csto.rules`` and the statuses of the played world: a suspension or freeze played in the exercise
counts, whatever the static data says. Control sees everything; a delegation reads as its state; any
other role reads as a non-member (unclassified reports only). Everything else in the ledger is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from csto.errors import CstoError
from csto.ledger import StoredEvent
from csto.ledger.scoped import SEP, ScopedLedger
from csto.ledger.sql import SqlLedger
from csto.model import Dataset
from csto.procedures import Engine
from csto.report.events import describe
from csto.session import from_ledger
from csto.web.store import User

INTEL_EVENTS = frozenset({"ReportFiled", "ReportRead", "ReleaseExtended"})
RESTRICTED = "Restricted intelligence report (not released to you)"


def scope_of(stream: str) -> str | None:
    """The exercise a stored stream belongs to ('<scope>:<stream>'), or None for an unscoped stream."""
    scope, sep, _ = stream.partition(SEP)
    return scope if sep else None


def _scope_events(ledger: SqlLedger, scope: str | None) -> Iterator[StoredEvent]:
    if scope is not None:
        return ScopedLedger(ledger, scope).read()
    return (e for e in ledger.read() if scope_of(e.stream) is None)


def played(ledger: SqlLedger, ds: Dataset, scope: str | None) -> Engine | None:
    """The engine of one exercise, replayed from its events (None if they do not replay)."""
    engine = Engine(ds)
    try:
        engine.replay(from_ledger(e) for e in _scope_events(ledger, scope))
    except CstoError:
        return None
    return engine if engine.opened else None


def reader_of(user: User) -> str:
    """Who the user reads as: its state for a delegation, else its role (never a member's code)."""
    return user.state if user.role == "delegation" and user.state else user.role


def may_see(user: User, engine: Engine | None, stream: str) -> bool:
    """Whether ``user`` may see the events of the report in ``stream`` (inner name ``intel/<case>``)."""
    if user.role == "control":
        return True
    if engine is None:
        return False
    _, _, case = stream.partition("/")
    try:
        return engine.may_read(reader_of(user), case).ok
    except CstoError:
        return False


def visible(
    events: Iterable[StoredEvent], user: User, ledger: SqlLedger, ds: Dataset
) -> list[dict[str, Any]]:
    """The events as rows for ``user``: a restricted one keeps its place, type and hash, not its content."""
    engines: dict[str | None, Engine | None] = {}
    out = []
    for e in events:
        row: dict[str, Any] = {
            "seq": e.seq,
            "stream": e.stream,
            "type": e.type,
            "at": e.at.isoformat(),
            "hash": e.hash,
            "restricted": False,
            "text": describe(e.type, e.data),
        }
        if e.type in INTEL_EVENTS and user.role != "control":
            scope = scope_of(e.stream)
            if scope not in engines:
                engines[scope] = played(ledger, ds, scope)
            inner = e.stream.partition(SEP)[2] if scope is not None else e.stream
            if not may_see(user, engines[scope], inner):
                row["text"], row["restricted"] = RESTRICTED, True
        out.append(row)
    return out
