"""Projections: state folded from events by a pure ``apply(state, event) -> state``, plus generic built-ins.

``replay`` folds any iterable of stored events; ``project`` folds a ledger; ``catch_up`` continues a
fold from the last seq it saw; ``troops_curve`` folds movements (time, ± personnel, state) into the curve of
personnel on the ground. Domain projections (membership status and the like) belong to the layers above and
are built on this; nothing here may know what an event type means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Generic, TypeVar

from csto.ledger.events import StoredEvent
from csto.ledger.protocol import Ledger

__all__ = [
    "OnGround",
    "Projection",
    "catch_up",
    "counts_by_type",
    "project",
    "replay",
    "stream_versions",
    "troops_curve",
]

S = TypeVar("S")
T = TypeVar("T", float, datetime)


@dataclass(frozen=True, slots=True)
class Projection(Generic[S]):
    """A named fold: start from ``initial`` and apply each event in seq order.

    ``apply`` must be pure: it returns a new state and never mutates the one it is given (so
    ``initial`` can be shared, and replaying twice gives equal results).
    """

    name: str
    initial: S
    apply: Callable[[S, StoredEvent], S]


def replay(events: Iterable[StoredEvent], projection: Projection[S], *, until: datetime | None = None) -> S:
    """Fold ``events`` (in the order given) from the projection's initial state.

    With ``until``, only events that happened at or before that moment (``event.at <= until``) count:
    the state of the modelled world as it stood then, as far as the ledger knows.
    """
    state = projection.initial
    apply = projection.apply
    for event in events:
        if until is None or event.at <= until:
            state = apply(state, event)
    return state


def project(
    ledger: Ledger, projection: Projection[S], *, stream: str | None = None, until: datetime | None = None
) -> S:
    """Fold the whole ledger (or one stream) in seq order; see ``replay`` for ``until``."""
    return replay(ledger.read(stream=stream), projection, until=until)


def catch_up(ledger: Ledger, projection: Projection[S], state: S, *, after_seq: int) -> tuple[S, int]:
    """Continue a fold: apply the events after ``after_seq`` to ``state``; return the state and the last seq.

    ``catch_up(l, p, p.initial, after_seq=0)`` equals ``project(l, p)``; a reader that keeps the pair
    only reads what is new each time.
    """
    last = after_seq
    apply = projection.apply
    for event in ledger.read(after_seq=after_seq):
        state = apply(state, event)
        last = event.seq
    return state, last


def _with(state: Mapping[str, int], key: str, value: int) -> Mapping[str, int]:
    new = dict(state)
    new[key] = value
    return MappingProxyType(new)


stream_versions: Projection[Mapping[str, int]] = Projection(
    name="stream_versions",
    initial=MappingProxyType({}),
    apply=lambda state, event: _with(state, event.stream, event.version),
)
"""Each stream's current version (the version of its last event)."""

counts_by_type: Projection[Mapping[str, int]] = Projection(
    name="counts_by_type",
    initial=MappingProxyType({}),
    apply=lambda state, event: _with(state, event.type, state.get(event.type, 0) + 1),
)
"""How many events of each type the ledger holds."""


@dataclass(frozen=True, slots=True)
class OnGround(Generic[T]):
    """One step of the curve: at ``at``, ``change`` personnel arrived (or left), leaving ``on_ground``."""

    at: T
    change: int
    on_ground: int
    state: str | None = None


def troops_curve(movements: Iterable[tuple[T, int, str | None]]) -> list[OnGround[T]]:
    """Personnel on the ground over time: each movement (time, ± personnel, state) in time order (a stable
    sort: movements at the same time keep their given order), with the running total after it.

    The one computation of the curve for the room, the after-action report and the crisis report; it starts
    from nobody on the ground and never clamps (more departures than arrivals give a negative total)."""
    out: list[OnGround[T]] = []
    total = 0
    for at, change, state in sorted(movements, key=lambda m: m[0]):
        total += change
        out.append(OnGround(at, change, total, state))
    return out
