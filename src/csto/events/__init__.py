"""Typed events: one frozen Pydantic class per event type the engine records, and the registry by name.

``EVENT_TYPES`` maps each stored ``type`` (``"VoteCast"``) to its class; ``parse(type, data)`` reads a
stored event's data through it and ``body.to_data()`` gives the same plain JSON back, so the ledger can
check and store events without changing a byte. ``describe`` on each class is its one line for people.
Layer: just above ``csto.model``; it must not import the procedures, the ledger or anything above them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from pydantic import ValidationError

from csto.errors import InputError
from csto.events import bases, budget, cooperation, council, defence, floor, membership, world
from csto.events.base import ActorEvent, EventBody

__all__ = [
    "EVENT_TYPES",
    "ActorEvent",
    "EventBody",
    "EventDataError",
    "UnknownEventType",
    "event_type_enum",
    "parse",
    "register",
    "serialise",
]

EVENT_TYPES: Final[dict[str, type[EventBody]]] = {
    cls.type: cls
    for module in (world, membership, council, defence, bases, cooperation, budget, floor)
    for cls in module.EVENTS
}
"""Every event type the engine records, by the name stored in the ledger (add one with ``register``)."""


def register(cls: type[EventBody]) -> type[EventBody]:
    """Add an event class to ``EVENT_TYPES`` under its name (a class decorator); a name is never reused."""
    known = EVENT_TYPES.get(cls.type)
    if known is not None and known is not cls:
        raise ValueError(
            f"event type {cls.type!r} is already registered ({known.__module__}.{known.__name__})"
        )
    if not cls.type or cls.type.startswith("_"):
        raise ValueError(f"{cls.__name__} is not an event type name")
    EVENT_TYPES[cls.type] = cls
    return cls


class UnknownEventType(InputError):
    """An event whose ``type`` is not in ``EVENT_TYPES`` (a ledger written by other code, or a typo)."""

    def __init__(self, type_name: str, **where: Any) -> None:
        super().__init__(
            f"unknown event type {type_name!r}",
            field=where.pop("field", "type"),
            expected=where.pop("expected", "an event type of csto.events.EVENT_TYPES"),
            **where,
        )
        self.type_name = type_name


class EventDataError(InputError):
    """An event whose data does not fit its class (a missing, extra or mistyped field)."""


def parse(type_name: str, data: Mapping[str, Any]) -> EventBody:
    """The typed body of a ``type_name`` event with ``data``; ``UnknownEventType`` or ``EventDataError``."""
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        raise UnknownEventType(type_name)
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EventDataError(
            f"{type_name} event data: {first['msg']}",
            field=f"data.{where}" if where else "data",
            expected=f"the fields of {type_name}: {', '.join(_field_names(cls))}",
        ) from None


def serialise(type_name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` read through its class and written back: the same keys and values, or ``EventDataError``.

    A value the class would change on the way (an ``int`` where the class holds a ``float``, say) is
    refused rather than stored changed, so what the ledger keeps is what the procedure recorded.
    """
    body = parse(type_name, data)
    out = body.to_data()
    if _text(out) != _text(data):
        changed = sorted(k for k in set(out) | set(data) if _text(out.get(k)) != _text(data.get(k)))
        raise EventDataError(
            f"{type_name} event data would change when read through its class ({', '.join(changed)})",
            field="data." + changed[0] if changed else "data",
            expected=f"values of the types {type_name} declares",
        )
    return out


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def _field_names(cls: type[EventBody]) -> list[str]:
    return [f.alias or name for name, f in cls.model_fields.items()]


def event_type_enum(name: str = "EventType") -> type[StrEnum]:
    """A ``StrEnum`` of every registered event type (for an API's schema)."""
    return StrEnum(name, {t: t for t in sorted(EVENT_TYPES)})  # type: ignore[return-value]


def describe(type_: str, data: Mapping[str, Any]) -> str:
    """A short sentence for an event: its class tells itself; data no class reads (an unknown type, or
    fields that do not fit) is told the generic way, ``Type (field=value, ...)``, so a display never fails."""
    from csto.errors import InputError
    from csto.events.base import generic_line

    try:
        body = parse(type_, data)
    except InputError:
        return generic_line(type_, data)
    if type(body).describe is EventBody.describe:
        # Told the generic way: list the fields in the order they came (as written, or as stored).
        return generic_line(type_, data)
    return body.describe()
