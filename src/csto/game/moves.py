"""Moves: what a seat does in the crisis game, and the legal moves a state offers a seat.

A ``Move`` is a seat's choice (an engine action on a case, or the clock). A ``MoveOption`` is a legal
move as the state offers it: what is already fixed, and what the mover still chooses (``Ask``), with
the allowed values taken from the procedure's own parameter specification. No rule lives here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from csto.errors import InputError
from csto.procedures import ActionSpec, Param

#: The game's own move kind (not a procedure step): the clock moves forward.
ADVANCE_CLOCK = "advance_clock"


@dataclass(frozen=True)
class Move:
    """A seat's move: ``kind`` on ``case`` with ``params`` (for the clock, ``hours`` or ``to``)."""

    seat: str
    kind: str
    case: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        where = f" on {self.case}" if self.case else ""
        return f"{self.seat} {self.kind.replace('_', ' ')}{where}"


@dataclass(frozen=True)
class Ask(Param):
    """A parameter the mover chooses: the procedure's own ``Param`` (type, required, choices, help), named,
    with ``default`` holding the value the game proposes (the crisis sequence's, or the procedure's)."""

    name: str = ""


@dataclass(frozen=True)
class MoveOption:
    """A legal move as offered: its parameters (with the values the game proposes) and a label."""

    seat: str
    kind: str
    case: str
    label: str
    asks: tuple[Ask, ...] = ()
    #: True when the crisis sequence waits on this move now (the room highlights it).
    expected: bool = False
    #: True when the move opens a new case of a procedure.
    opens: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}@{self.case}" if self.case else self.kind

    def move(self, **chosen: Any) -> Move:
        """The move with the mover's choices over the proposed values (unknown parameters, missing
        required ones and values outside the allowed ones are refused, naming the field)."""
        names = {a.name for a in self.asks}
        for name in chosen:
            if name not in names:
                raise InputError(
                    f"'{self.kind}' takes no parameter '{name}'",
                    field=name,
                    expected="one of: " + (", ".join(sorted(names)) or "none"),
                )
        params: dict[str, Any] = {}
        for a in self.asks:
            v = chosen.get(a.name)
            if v is None or v == "":
                v = a.default
            if v is None or v == "":
                if a.required:
                    raise InputError(f"'{self.kind}' needs '{a.name}'", field=a.name, expected=a.type)
                continue
            if a.choices and v not in a.choices:
                raise InputError(
                    f"bad value {v!r} for '{a.name}'",
                    field=a.name,
                    expected="one of: " + ", ".join(a.choices),
                )
            params[a.name] = v
        return Move(self.seat, self.kind, self.case, params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seat": self.seat,
            "kind": self.kind,
            "case": self.case,
            "key": self.key,
            "label": self.label,
            "asks": [
                {
                    "name": a.name,
                    "type": a.type,
                    "required": a.required,
                    "choices": list(a.choices),
                    "help": a.help,
                    "default": a.default,
                }
                for a in self.asks
            ],
            "expected": self.expected,
            "opens": self.opens,
        }


def asks_of(spec: ActionSpec, proposed: Mapping[str, Any]) -> tuple[Ask, ...]:
    """Every parameter of ``spec`` as the procedure specifies it, with the game's proposed values."""
    return tuple(
        Ask(p.type, p.required, p.choices, p.help, proposed.get(name, p.default), name=name)
        for name, p in spec.params.items()
    )
