"""The base of every event class: a frozen Pydantic body, its one-line ``describe`` and its plain data.

An event body is what a procedure records in ``data``; ``to_data`` gives back exactly the plain JSON it
was read from (same keys, same values), so the ledger can store it without changing a byte. This
module must not import the procedures, the ledger or anything above ``csto.model``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, JsonValue

__all__ = ["ActorEvent", "EventBody", "Number", "contrib", "generic_line", "num"]

Number = int | float
"""A JSON number as the procedure wrote it (an ``int`` stays an ``int``, a ``float`` a ``float``)."""


def num(v: Any) -> str:
    """A number with thousands separators (ints only), anything else as text."""
    return f"{v:,}" if isinstance(v, int) else str(v)


def contrib(d: dict[str, Any]) -> str:
    """``KAZ 100 · RUS 3,000``: a contribution per state."""
    return " · ".join(f"{k} {num(v)}" for k, v in d.items())


def generic_line(type_name: str, data: Mapping[str, Any]) -> str:
    """``Type (field=value, ...)``: the plain (non-list, non-dict) fields other than the actor."""
    extras = ", ".join(
        f"{k}={v}" for k, v in data.items() if k != "actor" and not isinstance(v, (dict, list))
    )
    return type_name + (f" ({extras})" if extras else "")


class EventBody(BaseModel):
    """The data of one event type. Subclasses are named after the type (past tense: ``VoteCast``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    #: The event type, as stored in the ledger's ``type`` column (set by ``__pydantic_init_subclass__``).
    type: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.type = cls.__name__

    def to_data(self) -> dict[str, JsonValue]:
        """The plain JSON data: the keys that were given, in declaration order, under their stored names."""
        data: dict[str, JsonValue] = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return data

    def describe(self) -> str:
        """One line for people: the type and its plain (non-list, non-dict) fields other than the actor."""
        return generic_line(self.type, self.to_data())


class ActorEvent(EventBody):
    """An event caused by an action: ``actor`` is who took it (a state's ISO3 code or a body's role)."""

    actor: str
