"""A session: the engine bound to a ledger, so that every step taken is recorded before it counts.

``act`` decides, appends the events to the ledger with optimistic concurrency on the case's stream,
and only then folds them into the engine: a refused action or a failed append changes nothing.
``open_session`` resumes from the events already in the ledger, or writes the opening event.
Layer: above procedures and ledger (like sim and web); the CLI and the web room use it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.errors import InputError, ScriptError
from csto.events import serialise
from csto.ledger import Event, EventLog, StoredEvent
from csto.model import Dataset
from csto.procedures import Action, DomainEvent, Engine
from csto.rules import RulesConfig


def to_ledger(e: DomainEvent) -> Event:
    return Event(stream=e.stream, type=e.type, at=e.at, data=dict(e.data))


def from_ledger(e: StoredEvent) -> DomainEvent:
    return DomainEvent(type=e.type, at=e.at, stream=e.stream, data=dict(e.data))


class Session:
    """An engine whose every committed event is in ``ledger``."""

    def __init__(self, ledger: EventLog, engine: Engine) -> None:
        self.ledger = ledger
        self.engine = engine

    def act(self, action: Action) -> list[StoredEvent]:
        """Take ``action``: refusals raise ``RefusedError`` and write nothing."""
        proc, events = self.engine.decide(action)
        if not events:
            return []
        for e in events:  # an event its class cannot hold is this step's bad input, refused before the ledger
            try:
                serialise(e.type, e.data)
            except InputError as err:
                raise InputError(
                    f"'{action.kind}' would record data its event cannot hold: {err.message}",
                    field=err.field,
                    expected=err.expected,
                ) from None
        expected = len(proc.history)
        stored = self.ledger.append([to_ledger(e) for e in events], expected_version=expected)
        self.engine.commit(proc, [from_ledger(s) for s in stored])
        return stored


def open_session(
    ledger: EventLog, dataset: Dataset, start: dt.datetime | None, config: RulesConfig | None = None
) -> tuple[Session, StoredEvent | None]:
    """Resume the world in ``ledger``, or open it at ``start``. Returns the session and the opening event written."""
    engine = Engine(dataset, config)
    existing = [from_ledger(e) for e in ledger.read()]
    if existing:
        if existing[0].type != "WorldOpened":
            raise ScriptError(
                "the ledger does not start with a WorldOpened event; it was not written by csto play"
            )
        if existing[0].data.get("alliance") != dataset.info.id:
            raise ScriptError(
                f"the ledger holds a {existing[0].data.get('alliance')} world, not {dataset.info.id}",
                expected="a ledger of the same alliance, or a new --db",
            )
        engine.replay(existing)
        return Session(ledger, engine), None
    if start is None:
        raise ScriptError("the ledger is empty and no start time was given", field="start")
    opening = engine.open(start, config)
    stored = ledger.append([to_ledger(opening)], expected_version=0)
    engine.replay([from_ledger(stored[0])])
    return Session(ledger, engine), stored[0]


def replay_snapshot(ledger: EventLog, dataset: Dataset) -> dict[str, Any]:
    """The engine state rebuilt from the ledger alone (the projection of record)."""
    engine = Engine(dataset)
    engine.replay(from_ledger(e) for e in ledger.read())
    return engine.snapshot()
