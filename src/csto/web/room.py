"""One exercise room: the crisis game on the exercise's scope of the ledger, with people in some seats.

The room is a ``CrisisState`` whose moves are stored before they count (``Session.act``, with the
ledger's optimistic concurrency). People's moves arrive already authorised (``csto.web.roles``); the
decision model records what it expects of every seat when a proposal is tabled, and plays the seats no
delegation holds, as in a trial. The room writes no crisis sequence of its own: what is expected next
and what may be done come from the game (``pending``, ``legal_moves``). Views are in ``room_views``.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from csto.actions import param_choices
from csto.errors import CstoError, InputError
from csto.game import (
    ADVANCE_CLOCK,
    CASE,
    CONTROL,
    DEPLOY,
    FLOOR,
    JOINT_STAFF,
    CrisisGame,
    CrisisState,
    ModelPlayer,
    Move,
    MoveOption,
)
from csto.game import sequence as seq
from csto.game.scenario import Scenario
from csto.game.seats import is_state
from csto.ledger import ConcurrencyError, StoredEvent
from csto.ledger.scoped import ScopedLedger
from csto.ledger.sql import SqlLedger
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import PolicyParams, nominal_draw
from csto.procedures import Action, Engine
from csto.procedures.floor import MAX_CLOCK_STEP_H
from csto.rules import Refused, RefusedError
from csto.session import Session, from_ledger, open_session
from csto.web.room_views import RoomViews

#: A proposal's rungs and a vote's positions, as the action classes give them.
LEVELS = tuple(
    lv for lv in reversed(RESPONSE_LADDER) if lv in param_choices("propose", "level") and lv != "none"
)
POSITIONS = param_choices("vote", "position")
#: How often a step is decided again after another process wrote to the same exercise first.
ATTEMPTS = 8


class RoomError(CstoError):
    """A step the room cannot take now (HTTP 409), with the reason; not a treaty refusal."""


class Room(RoomViews):
    """An exercise: its game state, its slice of the ledger, and the lock that orders its steps."""

    def __init__(
        self, ex_id: str, ledger: SqlLedger, ds: Dataset, params: PolicyParams, sc: Scenario
    ) -> None:
        self.id = ex_id
        self.ds, self.params, self.sc = ds, params, sc
        self.game = CrisisGame(ds, sc, params)
        self.model = ModelPlayer(params, nominal_draw(params))
        self.log = ScopedLedger(ledger, ex_id)
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.session: Session | None = None
        self._state: CrisisState | None = None
        self._stored: list[StoredEvent] = []
        self.last_seq = 0
        self.version = 0

    # ------------------------------------------------------------------ opening and catching up
    @classmethod
    def create(
        cls,
        ex_id: str,
        ledger: SqlLedger,
        ds: Dataset,
        params: PolicyParams,
        sc: Scenario,
        title: str,
        seed: int = 0,
    ) -> Room:
        room = cls(ex_id, ledger, ds, params, sc)
        with room.lock:
            session, opening = open_session(room.log, ds, sc.start)
            room._bind(session)
            if opening is not None:
                room.last_seq = opening.seq
            for action in room.game.opening(title, seed):
                room._act(action)
        return room

    @classmethod
    def load(cls, ex_id: str, ledger: SqlLedger, ds: Dataset, params: PolicyParams, sc: Scenario) -> Room:
        room = cls(ex_id, ledger, ds, params, sc)
        room.refresh()
        return room

    def _bind(self, session: Session) -> None:
        self.session = session
        self._state = CrisisState(self.game, session.engine, self.model.draw, commit=self._act)

    def refresh(self) -> None:
        """Fold in events other processes appended since we last looked (or everything, the first time)."""
        with self.lock:
            if self.session is None:
                engine = Engine(self.ds)
                events = list(self.log.read())
                if not events:
                    raise RoomError(f"exercise '{self.id}' has no events in the ledger")
                engine.replay(from_ledger(e) for e in events)
                self._bind(Session(self.log, engine))
                self.last_seq = events[-1].seq
                self.version = len(engine.events)
                return
            new = list(self.log.read(after_seq=self.last_seq))
            if new:
                self.session.engine.replay(from_ledger(e) for e in new)
                self.last_seq = new[-1].seq
                self.version = len(self.session.engine.events)
                self.changed.notify_all()

    @property
    def state_(self) -> CrisisState:
        assert self._state is not None
        return self._state

    @property
    def engine(self) -> Engine:
        assert self.session is not None
        return self.session.engine

    @property
    def now(self) -> dt.datetime:
        if self.session is None or not self.engine.opened:
            return self.sc.start.astimezone(dt.UTC)
        return self.engine.world.now

    def _act(self, action: Action) -> list[StoredEvent]:
        """Store ``action``'s events, deciding again if another process wrote to this exercise first."""
        assert self.session is not None
        for attempt in range(ATTEMPTS):
            try:
                stored = self.session.act(action)
                break
            except ConcurrencyError:
                if attempt == ATTEMPTS - 1:
                    raise
                self.refresh()
                action = Action(
                    action.kind, action.actor, max(action.at, self.now), action.case, action.params
                )
        if stored:
            self.last_seq = max(self.last_seq, stored[-1].seq)
        self._stored += stored
        self.version = len(self.engine.events)
        self.changed.notify_all()
        return stored

    # ------------------------------------------------------------------ parts of the state
    @property
    def floor(self) -> Any:
        return self.state_.floor

    @property
    def case(self) -> Any:
        return self.state_.case

    @property
    def deployment(self) -> Any:
        return self.state_.deployment

    @property
    def ended(self) -> bool:
        return bool(self.floor.step == "ended")

    def model_holds(self, seat: str) -> bool:
        """The model plays member seats nobody holds, and the Joint Staff's deployment steps."""
        return seat == JOINT_STAFF or (is_state(seat) and seat not in self.floor.seats)

    # ------------------------------------------------------------------ moves
    def legal_moves(self, seats: list[str]) -> list[MoveOption]:
        """The legal moves of ``seats`` (those a person may act for), the expected ones first."""
        with self.lock:
            if self.ended:
                return []
            out = [o for s in seats for o in self.state_.legal_moves(s)]
            return sorted(out, key=lambda o: (not o.expected, o.seat, o.opens, o.kind))

    def move(self, move: Move, user: str, refreshed: bool = False) -> list[StoredEvent]:
        """Play ``move`` for ``user`` (already authorised to act for ``move.seat``), then the model's turns
        (``refreshed``: the caller caught up with the ledger under this lock already)."""
        with self.lock:
            if not refreshed:
                self.refresh()
            if self.ended:
                raise RoomError("the exercise has ended", field="exercise")
            self._stored = []
            try:
                self._play(move, user)
            except RefusedError as err:
                r = err.refused
                note = {
                    "step": move.kind,
                    "refused_actor": move.seat,
                    "article": r.article,
                    "reason": r.reason,
                }
                self._act(Action("note_refusal", "room", self.now, FLOOR, note))
                raise
            return list(self._stored)

    def _play(self, move: Move, user: str) -> None:
        st = self.state_
        if move.kind == "vote" and not str(move.params.get("reason") or "").strip():
            # the room's own rule: a delegation says why (the model always gives its reasons)
            raise InputError("a vote needs a reason", field="reason", expected="why, in a sentence")
        if is_state(move.seat) and move.kind not in ("take_seat",):
            holder = self.floor.seats.get(move.seat)
            if holder is not None and holder != user:
                raise RoomError(
                    f"{move.seat}'s seat is held by {holder}: its delegation acts for it", field="state"
                )
        if move.kind == ADVANCE_CLOCK and move.seat == CONTROL:
            self._advance(move)
        else:
            st.apply(move)
        self.autoplay()

    def _advance(self, move: Move) -> None:
        """Control's clock move: the model's beats that fall due on the way (arrivals, the start of
        operations, ...) are played at their own times, then the clock lands where it was sent."""
        st = self.state_
        try:
            hours = float(move.params.get("hours"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            hours = 0.0
        if not 0 < hours <= MAX_CLOCK_STEP_H:
            st.apply(move)  # the game refuses it, naming the field or citing the exercise rules
            return
        target = st.clock + dt.timedelta(hours=hours)
        for _ in range(10_000):
            beat = st.pending()
            if beat is None or not beat.automatic or not self.model_holds(beat.seat):
                break
            due = beat.not_before or st.clock
            if due > target:
                break
            if due > st.clock:
                st.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"to": due}))
                continue  # the clock move may have played it (an arrival lands on its own): look again
            try:
                st.apply(self.model.choose(st, beat))
            except RefusedError:
                break
        if target > st.clock:
            st.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"to": target}))

    def autoplay(self) -> None:
        """Record the model's expectations of a new proposal, then play the model's due beats."""
        st = self.state_
        c = st.case
        if c is not None and c.ballot.proposal and not self._expected(c.ballot.rounds):
            level = self.model.current_level(st)
            records = self.model.expectations(st, level, self.floor.seats)
            params = {"round": c.ballot.rounds, "level": level, "expectations": records}
            self._act(Action("expect", "model", self.now, FLOOR, params))
        for case, proc in sorted(st.engine.cases.items()):
            b = getattr(proc, "ballot", None)
            if b is None or not b.open or not b.proposal or proc.is_terminal:
                continue
            # the model's seats vote at once in every open round, whatever order the sequence would take
            for seat in [s for s in b.entitled if s not in b.frozen]:
                if self.model_holds(seat) and seat not in b.positions and not st.refused(seat, "vote", case):
                    try:
                        st.apply(self.model.choose(st, seq.Beat(seat, "vote", case)))
                    except RefusedError:
                        continue
        for _ in range(1000):
            beat = st.pending()
            if beat is None or not beat.automatic or not self.model_holds(beat.seat):
                return
            if beat.not_before is not None and beat.not_before > self.now:
                return
            try:
                st.apply(self.model.choose(st, beat))
            except RefusedError:
                return

    def _expected(self, rnd: int) -> bool:
        """Whether the model's expectations of the round on the table are recorded."""
        st = self.state_
        opened = st.last_index(st.case.stream, "ProposalTabled", "SessionConvened")
        return st.last_index(st.floor.stream, "ModelExpected") > opened

    # ------------------------------------------------------------------ the room's named steps (API)
    def act(self, kind: str, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        """Take the room step ``kind`` as the engine ``actor`` (already authorised for ``user``)."""
        with self.lock:
            self.refresh()
            if self.ended:
                raise RoomError("the exercise has ended", field="exercise")
            builder = STEP_MOVES.get(kind)
            if builder is None:
                raise InputError(f"unknown step '{kind}'", field="kind", expected=", ".join(STEPS))
            return self.move(builder(self, actor, params, user), user, refreshed=True)

    def requester(self) -> str:
        sc = self.sc
        return (sc.request.state if sc.request.article in ("art4", "art2") else None) or sc.location.state

    def phase(self) -> str:
        if self.ended:
            return "ended"
        beat = self.state_.pending()
        d = self.deployment
        if d is not None:
            return f"deployment {d.step}"
        if beat is not None and beat.kind in seq.PHASES:
            return beat.phase
        c = self.case
        if c is None:
            return "awaiting request"
        return f"case {c.step} ({c.outcome})"


# ---------------------------------------------------------------------- the named steps, as moves
def _text(params: dict[str, Any], what: str, expected: str) -> str:
    text = str(params.get("text") or "").strip()
    if not text:
        raise InputError(f"{what} needs text", field="text", expected=expected)
    return text


def _lodge(room: Room, actor: str, params: dict[str, Any], user: str) -> Move:
    requester = room.requester()
    if actor != requester:
        raise RoomError(
            f"in this scenario the request is {requester}'s to lodge, not {actor}'s", field="state"
        )
    if room.case is not None:
        raise RoomError("the request has already been lodged", field="kind")
    option = next((o for o in room.state_.legal_moves(requester) if o.case == CASE and o.opens), None)
    if option is None:
        raise RoomError(f"{requester} has no request to lodge in this scenario", field="state")
    return option.move()


def _council(kind: str) -> Any:
    def build(room: Room, actor: str, params: dict[str, Any], user: str) -> Move:
        if room.case is None:
            raise RoomError("nothing has been requested yet: lodge the request first", field="kind")
        p: dict[str, Any] = {}
        if kind == "convene":
            p = {"body": room.engine.world.situation().top_council()}
            p["format"] = params.get("format") or room.sc.context.session_format
        elif kind == "propose":
            level = params.get("level")
            if level not in LEVELS:
                raise InputError(
                    f"bad level {level!r}", field="level", expected="one of: " + ", ".join(LEVELS)
                )
            p = {"level": level, **({"summary": str(params["summary"])} if params.get("summary") else {})}
        return Move(actor, kind, CASE, p)

    return build


def _vote(room: Room, actor: str, params: dict[str, Any], user: str) -> Move:
    position = params.get("position")
    if position not in POSITIONS:
        raise InputError(
            f"bad position {position!r}", field="position", expected="one of: " + ", ".join(POSITIONS)
        )
    reason = str(params.get("reason") or "").strip()
    if not reason:
        raise InputError("a vote needs a reason", field="reason", expected="why, in a sentence")
    if actor not in room.floor.seats:
        raise RoomError(f"take {actor}'s seat before voting", field="state")
    return Move(actor, "vote", CASE, {"position": position, "reason": reason})


def _task(room: Room, actor: str, params: dict[str, Any], user: str) -> Move:
    c = room.case
    if c is None or c.step != "to_task":
        raise RoomError("forces are tasked only after a decision to deploy", field="kind")
    plan = room.state_.tasking()
    if plan is None or not plan[1]:
        raise RoomError("no member offers forces for this deployment", field="kind")
    return Move(actor, "task_forces", CASE, {"force": plan[0], "contributions": plan[1]})


def _clock(room: Room, actor: str, params: dict[str, Any], user: str) -> Move:
    try:
        hours = float(params.get("hours"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError("bad hours", field="hours", expected="a number of hours, e.g. 6") from None
    if not 0 < hours <= 720:
        raise InputError(f"bad hours {hours:g}", field="hours", expected="more than 0 and at most 720")
    return Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"hours": hours})


def _inject(room: Room, actor: str, params: dict[str, Any], user: str) -> Move:
    p: dict[str, Any] = {
        "text": _text(params, "an inject", "what happens"),
        "kind": params.get("kind") or "note",
    }
    if params.get("value") is not None:
        p["value"] = params["value"]
    return Move(actor, "inject", FLOOR, p)


STEP_MOVES: dict[str, Any] = {
    "take_seat": lambda r, a, p, u: Move(a, "take_seat", FLOOR, {"user": u}),
    "leave_seat": lambda r, a, p, u: Move(a, "leave_seat", FLOOR, {}),
    "statement": lambda r, a, p, u: Move(
        a, "make_statement", FLOOR, {"text": _text(p, "a statement", "a sentence or more")}
    ),
    "inject": _inject,
    "lodge_request": _lodge,
    "convene": _council("convene"),
    "propose": _council("propose"),
    "vote": _vote,
    "close": _council("close"),
    "task_forces": _task,
    "advance_clock": _clock,
    "end": lambda r, a, p, u: Move(a, "end_exercise", FLOOR, {"summary": p.get("summary") or ""}),
}
STEPS = tuple(STEP_MOVES)


def refusal_dict(r: Refused) -> dict[str, Any]:
    return {"article": r.article, "reason": r.reason, "rule": r.rule, "uncertain": r.uncertain}


__all__ = [
    "CASE",
    "DEPLOY",
    "FLOOR",
    "LEVELS",
    "POSITIONS",
    "STEPS",
    "RefusedError",
    "Room",
    "RoomError",
]
