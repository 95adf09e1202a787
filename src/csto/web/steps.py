"""What the routes ask of a ``Room``: open one for a scenario, take a person's step (the role matrix picks the
engine actor, then ``Room.act``), turn a step's error into an HTTP status and body, the after-action report,
and the map of an exercise's day. The API and the room's pages both call these; the engine decides.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from csto.errors import CstoError, InputError
from csto.report.aar_record import AarRecord
from csto.rules import RefusedError
from csto.web import roles
from csto.web.geo import map_data
from csto.web.moves import acting_seats
from csto.web.room import Room, RoomError, refusal_dict
from csto.web.schemas import ExerciseIn, StepIn
from csto.web.state import AppState
from csto.web.store import User


def create_exercise(st: AppState, user: User, body: ExerciseIn) -> Room:
    """A new exercise of a bundled scenario, opened and indexed (``InputError`` for an unknown scenario)."""
    sc = st.scenarios.get(body.scenario)
    if sc is None:
        raise InputError(
            f"no scenario '{body.scenario}'",
            field="scenario",
            expected="one of: " + ", ".join(st.scenarios),
        )
    ex_id = "x" + secrets.token_hex(4)
    room = Room.create(ex_id, st.ledger, st.ds, st.params, sc, body.title, body.seed)
    st.store.add_exercise(ex_id, body.title, sc.id, user.username)
    with st.lock:
        st.rooms[ex_id] = room
    return room


def room_params(step: StepIn) -> dict[str, Any]:
    """The step's parameters as ``Room.act`` takes them (the inject's kind under ``kind``)."""
    p = step.model_dump(mode="json", exclude_none=True, exclude={"kind", "state"})
    if "inject_kind" in p:
        p["kind"] = p.pop("inject_kind")
    return p


def take_step(user: User, room: Room, step: StepIn) -> list[Any]:
    """``user``'s step in ``room``: ``roles.Forbidden`` unless the role holds the step's grant, else the
    stored events (or the engine's ``RefusedError`` / ``CstoError``)."""
    grant = roles.STEP_GRANT[str(step.kind)]
    actor = roles.authorize(user.role, user.state, grant, step.state)
    if actor == step.state and user.role != "delegation" and actor not in acting_seats(user, room):
        # the one rule of who acts for a state's seat (roles.seats_for): Control only for the model's seats
        raise roles.Forbidden(
            f"{actor}'s seat is held by {room.floor.seats.get(actor)}: its delegation acts for it"
        )
    return room.act(str(step.kind), actor, room_params(step), user.username)


def step_error(exc: Exception) -> tuple[int, dict[str, Any]]:
    """An error of a room step as (HTTP status, JSON body)."""
    if isinstance(exc, RefusedError):
        return 409, {"error": "refused", **refusal_dict(exc.refused)}
    if isinstance(exc, InputError):
        return 422, {
            "error": "invalid",
            "detail": [
                {
                    "loc": ["body", exc.field or "kind"],
                    "msg": exc.message,
                    "type": "value_error",
                    "expected": exc.expected,
                }
            ],
        }
    if isinstance(exc, RoomError):
        return 409, {"error": "conflict", "detail": exc.message, "field": exc.field}
    if isinstance(exc, CstoError):
        return 409, {"error": "conflict", "detail": exc.message, "field": exc.field}
    raise exc


def exercise_aar(st: AppState, room: Room) -> dict[str, Any]:
    """The after-action report of ``room`` as JSON, with the ledger verified now."""
    return exercise_record(st, room).to_dict()


def exercise_record(st: AppState, room: Room) -> AarRecord:
    """The typed record of ``room`` for the after-action report, with the ledger verified now and, once the
    exercise has ended, the checkpoint signed at its end."""
    rep = st.ledger.verify()
    cp = st.anchor(room)
    with room.lock:
        return room.aar_record(rep.ok, rep.head_hash, None if cp is None else cp.to_dict())


def exercise_map(st: AppState, exercise: str | None) -> dict[str, Any]:
    """The map on an exercise's current day (with its deployments), or today's map without one."""
    if exercise:
        room = st.room(exercise)
        return map_data(st.ds, room.now.date(), room)
    return map_data(st.ds, dt.date.today())
