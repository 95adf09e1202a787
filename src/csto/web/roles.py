"""The role × action matrix of the exercise room, defined and enforced here and nowhere else.

A user holds one role (Control, the Secretary-General, a member state's delegation, or an observer).
``authorize`` says whether the role may take an action and, if so, which engine actor takes it: the
procedures know actors (``KAZ``, ``secretariat``, ``joint_staff``, ``control``); only this module maps
people to them. The treaty's own checks (who is a member today, frozen seats) stay in the engine. Each
route names the grant it needs with ``csto.web.deps.require``; room steps need the grant of their kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["control", "secretary_general", "delegation", "observer"]
ROLES: tuple[Role, ...] = ("control", "secretary_general", "delegation", "observer")
ROLE_NAMES: dict[Role, str] = {
    "control": "Control (facilitator)",
    "secretary_general": "Secretary-General",
    "delegation": "Delegation",
    "observer": "Observer (read-only)",
}

#: The engine actor each role acts as, per action ("own" = the delegation's own state).
Actor = str


@dataclass(frozen=True)
class Grant:
    """Who may take an action, and as which engine actor."""

    action: str
    help: str
    actors: dict[Role, Actor]


GRANTS: tuple[Grant, ...] = (
    Grant(
        "view",
        "Read pages, the exercise, the ledger and reports",
        {"control": "-", "secretary_general": "-", "delegation": "-", "observer": "-"},
    ),
    Grant("exercise.create", "Create an exercise from a scenario", {"control": "control"}),
    Grant("exercise.inject", "Inject an event", {"control": "control"}),
    Grant("exercise.clock", "Move the exercise clock forward", {"control": "control"}),
    Grant("exercise.end", "End the exercise", {"control": "control"}),
    Grant("seat.take", "Take (or leave) one's state's seat", {"delegation": "own"}),
    Grant(
        "request.lodge",
        "Lodge the scenario's request (Control only for a seat the model holds)",
        {"delegation": "own", "control": "model-seat"},
    ),
    Grant("statement.make", "Make a statement to the room", {"delegation": "own"}),
    Grant(
        "council.convene",
        "Convene the Council on the request",
        {"control": "secretariat", "secretary_general": "secretariat"},
    ),
    Grant(
        "council.propose",
        "Table a proposal on the response ladder",
        {"control": "secretariat", "secretary_general": "secretariat", "delegation": "own"},
    ),
    Grant("vote.cast", "State one's state's position with a reason", {"delegation": "own"}),
    Grant(
        "council.close",
        "Close the round: the rule computes the outcome",
        {"control": "secretariat", "secretary_general": "secretariat"},
    ),
    Grant("forces.task", "Task forces after a decision to deploy", {"control": "joint_staff"}),
    Grant(
        "scenario.run",
        "Run a scenario's Monte Carlo",
        {"control": "-", "secretary_general": "-", "delegation": "-"},
    ),
    Grant(
        "exercise.move",
        "Make a legal move of the game for a seat one acts for (see seats_for)",
        {"control": "-", "secretary_general": "-", "delegation": "-"},
    ),
    Grant(
        "server.details",
        "Read the server's details on /api/health (database, schema, ledger head, counts)",
        {"control": "-"},
    ),
    Grant(
        "ledger.verify",
        "Verify the ledger's hash chain",
        {"control": "-", "secretary_general": "-", "delegation": "-", "observer": "-"},
    ),
)

MATRIX: dict[str, Grant] = {g.action: g for g in GRANTS}
ACTIONS: tuple[str, ...] = tuple(MATRIX)

#: Each room step → the grant that allows it.
STEP_GRANT: dict[str, str] = {
    "take_seat": "seat.take",
    "leave_seat": "seat.take",
    "statement": "statement.make",
    "inject": "exercise.inject",
    "lodge_request": "request.lodge",
    "convene": "council.convene",
    "propose": "council.propose",
    "vote": "vote.cast",
    "close": "council.close",
    "task_forces": "forces.task",
    "advance_clock": "exercise.clock",
    "end": "exercise.end",
}


class Forbidden(Exception):
    """A user's role does not allow an action (HTTP 403)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def allowed(role: str, action: str) -> bool:
    """Whether ``role`` may take ``action`` at all (before any check on the state it acts for)."""
    g = MATRIX.get(action)
    return g is not None and role in g.actors


def authorize(role: str, state: str | None, action: str, for_state: str | None = None) -> Actor:
    """The engine actor for ``role`` taking ``action`` (for ``for_state`` where the action names one).

    Raises ``Forbidden`` with the reason; a delegation acts only for its own state.
    """
    g = MATRIX.get(action)
    if g is None:
        raise Forbidden(f"unknown action '{action}'")
    if role not in g.actors:
        who = ROLE_NAMES.get(role, role)  # type: ignore[call-overload]
        raise Forbidden(f"{who} may not {g.help[0].lower() + g.help[1:]}")
    actor = g.actors[role]
    if actor == "own":
        if not state:
            raise Forbidden("this delegation account is not attached to a state")
        if for_state is not None and for_state != state:
            raise Forbidden(f"the delegation of {state} acts only for {state}, not for {for_state}")
        return state
    if actor == "model-seat":
        if for_state is None:
            raise Forbidden("name the state whose seat the model holds")
        return for_state
    return actor


def matrix_table() -> list[dict[str, object]]:
    """The matrix as rows (for the docs page and the tests)."""
    return [{"action": g.action, "help": g.help, **{r: g.actors.get(r, "") for r in ROLES}} for g in GRANTS]


#: The seats each role moves for in the crisis game, besides a delegation's own state; Control also moves
#: for the member seats the model holds (as it lodges a model seat's request).
ROLE_SEATS: dict[Role, tuple[str, ...]] = {
    "control": ("control", "secretariat", "joint_staff"),
    "secretary_general": ("secretariat",),
    "delegation": (),
    "observer": (),
}


def seats_for(role: str, state: str | None, model_held: list[str]) -> list[str]:
    """The seats of the crisis game a person moves for: a delegation its own state; Control its offices and
    the member seats the model holds (``model_held``); the Secretary-General the Secretariat; observers none."""
    own = list(ROLE_SEATS.get(role, ()))  # type: ignore[call-overload]
    if role == "delegation":
        return [state] if state else []
    if role == "control":
        return own + [s for s in model_held if s not in own]
    return own
