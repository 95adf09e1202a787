"""The room's moves for people: which seats a user acts for, the legal moves offered to them (from the
game's ``legal_moves``), form values read as the parameters' types, and playing a chosen move.

No step is named here: what may be done comes from the game, who may do it from ``roles.seats_for``.
It must not decide whether a step is allowed (the engine does, citing the article).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csto.errors import InputError
from csto.game import Ask, MoveOption
from csto.ledger import StoredEvent
from csto.web import roles
from csto.web.room import Room
from csto.web.store import User

#: Moves that cannot be undone ask the person to confirm first.
CONFIRM = {"end_exercise": "End the exercise? Nothing can be added afterwards."}


@dataclass(frozen=True)
class Offered:
    """A legal move as a page shows it: the option, a unique element id, whether the model holds the
    seat (Control acting for it), and the question to confirm it by, if any."""

    option: MoveOption
    id: str
    for_model: bool
    confirm: str | None = None


def acting_seats(user: User, room: Room) -> list[str]:
    """The seats ``user`` may move for in ``room`` (their own first)."""
    states = [s["state"] for s in room.seats()]
    return roles.seats_for(user.role, user.state, [s for s in states if room.model_holds(s)])


def offered(user: User, room: Room) -> list[Offered]:
    """The legal moves of every seat ``user`` acts for, the expected first, each with a unique id."""
    seats = acting_seats(user, room)
    own = set(roles.seats_for(user.role, user.state, []))
    out: list[Offered] = []
    used: dict[str, int] = {}
    rank = {seat: i for i, seat in enumerate(seats)}
    ordered = sorted(
        room.legal_moves(seats), key=lambda o: (not o.expected, o.seat not in own, rank[o.seat], o.opens)
    )
    for o in ordered:
        base = f"move-{o.kind}"
        n = used.get(base, 0)
        used[base] = n + 1
        out.append(Offered(o, base if n == 0 else f"{base}-{n + 1}", o.seat not in own, CONFIRM.get(o.kind)))
    return out


def read_form(option: MoveOption, form: Mapping[str, str]) -> dict[str, Any]:
    """The form's values for ``option``'s parameters, read as their types (empty fields left out)."""
    out: dict[str, Any] = {}
    for a in option.asks:
        raw = form.get(a.name)
        if raw is None or raw.strip() == "":
            continue
        out[a.name] = read_value(a, raw.strip())
    return out


def read_value(a: Ask, raw: str) -> Any:
    """One form value as the parameter's type, or an ``InputError`` naming the field."""
    try:
        if a.type == "int":
            return int(raw)
        if a.type == "float":
            return float(raw)
        if a.type == "bool":
            if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(raw)
            return raw.lower() in ("true", "yes", "1")
        if a.type == "date":
            return dt.date.fromisoformat(raw).isoformat()
        if a.type in ("list[str]", "states"):
            return [x.strip() for x in raw.split(",") if x.strip()]
        if a.type == "json" or a.type.startswith("dict"):
            return json.loads(raw)
    except (ValueError, json.JSONDecodeError):
        raise InputError(f"bad value {raw!r} for '{a.name}'", field=a.name, expected=a.type) from None
    return raw


def form_value(a: Ask) -> str:
    """An ask's proposed value as a form shows it."""
    v = a.default
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)) and a.type in ("list[str]", "states"):
        return ", ".join(str(x) for x in v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def play(
    user: User, room: Room, seat: str, kind: str, case: str, params: Mapping[str, Any]
) -> list[StoredEvent]:
    """Play ``user``'s move: ``roles.Forbidden`` for a seat they do not act for, ``IllegalMove`` for a move
    the game does not offer that seat now, the engine's ``RefusedError`` (with the article) otherwise."""
    seats = acting_seats(user, room)
    if seat not in seats:
        raise roles.Forbidden(f"{roles.ROLE_NAMES.get(user.role, user.role)} does not act for {seat}")  # type: ignore[call-overload]
    with room.lock:
        room.refresh()
        option = room.state_.option(seat, kind, case)
        chosen = dict(params)
        if kind == "take_seat":
            chosen["user"] = user.username  # a seat is taken by the one who asks, for no one else
        return room.move(option.move(**chosen), user.username, refreshed=True)
