"""What the ledger browser may show a user: intelligence reports only to those they are released to.

The engine refuses a read of a report that was not released to the reader (``classified-2004``); the
browser must not leak the same report by showing its stored events. Control sees everything; a
delegation sees a classified report's events if its state filed it or it was released to it, unless the
state is frozen (classified only) or suspended (nothing) that day per the data; the Secretary-General and
observers see unclassified reports only. Everything else in the ledger is shown to every user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from csto.ledger import StoredEvent
from csto.ledger.sql import SqlLedger
from csto.model import Dataset
from csto.report.events import describe
from csto.web.store import User

INTEL_EVENTS = frozenset({"ReportFiled", "ReportRead", "ReleaseExtended"})
RESTRICTED = "Restricted intelligence report (not released to you)"


@dataclass
class Release:
    """A report's originator, classification and the states it is released to (all releases so far)."""

    originator: str
    classification: str
    to: set[str] = field(default_factory=set)


def releases(ledger: SqlLedger, stream: str) -> Release | None:
    rel: Release | None = None
    for e in ledger.read(stream):
        if e.type == "ReportFiled":
            rel = Release(
                str(e.data["originator"]), str(e.data["classification"]), _states(e.data["releasable_to"])
            )
        elif e.type == "ReleaseExtended" and rel is not None:
            rel.to |= _states(e.data["to"])
    return rel


def _states(value: Any) -> set[str]:
    return {str(x) for x in value} if isinstance(value, list) else set()


def may_see(user: User, rel: Release | None, ds: Dataset, e: StoredEvent) -> bool:
    if user.role == "control":
        return True
    if rel is None:
        return False
    state = user.state if user.role == "delegation" else None
    status = None
    if state is not None:
        st = ds.state(state)
        status = st.status_at(e.at.date()) if st is not None else None
    if status == "suspended":
        return False
    if rel.classification == "unclassified":
        return True
    if state is None or status == "frozen":
        return False
    return state == rel.originator or state in rel.to


def visible(
    events: Iterable[StoredEvent], user: User, ledger: SqlLedger, ds: Dataset
) -> list[dict[str, Any]]:
    """The events as rows for ``user``: a restricted one keeps its place, type and hash, not its content."""
    cache: dict[str, Release | None] = {}
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
        if e.type in INTEL_EVENTS:
            if e.stream not in cache:
                cache[e.stream] = releases(ledger, e.stream)
            if not may_see(user, cache[e.stream], ds, e):
                row["text"], row["restricted"] = RESTRICTED, True
        out.append(row)
    return out
