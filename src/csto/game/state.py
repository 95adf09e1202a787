"""The crisis game: ``CrisisGame`` (static: dataset, scenario, policy, rules) and ``CrisisState`` (the
evolving play: seats, legal moves, the clock, ``apply``, terminal and outcome).

Every step is an engine action, decided by the procedures and the rules, so every refusal cites its
article. The state is rebuilt from events alone (a ledger replay gives the same state). Chance is the
``Draw`` handed to the state: its delays set when the sequence's next beat falls due. Time passes
only by clock moves, which also land the airlift's arrivals and the scenario's injects that fall due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from csto.errors import InputError
from csto.game import sequence
from csto.game.arrivals import Arrival, schedule
from csto.game.chance import Delays, delays
from csto.game.features import crisis_features, with_injects
from csto.game.legal import CRISIS_OPENERS, legal_steps
from csto.game.moves import ADVANCE_CLOCK, Move, MoveOption, asks_of
from csto.game.scenario import Scenario
from csto.game.seats import CONTROL, JOINT_STAFF, OFFICES, SEATED_STATUSES, is_state
from csto.game.tasking import tasking
from csto.model import Dataset
from csto.policy import CrisisFeatures, Draw, PolicyParams, load_policy, nominal_draw
from csto.procedures import Action, DomainEvent, Engine, starters
from csto.procedures.floor import MAX_CLOCK_STEP_H
from csto.rules import RefusedError, RulesConfig

#: The exercise floor's case id (seats, statements, injects, the clock, the airlift schedule).
FLOOR = "room"


class IllegalMove(InputError):
    """A move no seat of that name can make here (not a treaty refusal, which cites its article)."""


@dataclass(frozen=True)
class Refusal:
    """A refused move: who, what, where, under which article, and how far the play had gone."""

    seat: str
    kind: str
    case: str
    params: dict[str, Any]
    article: str
    reason: str
    rule: str
    after: int  # number of engine events when it was refused

    def to_dict(self) -> dict[str, str]:
        return {"action": self.kind, "actor": self.seat, "article": self.article, "reason": self.reason}


Commit = Callable[[Action], Any]


class CrisisGame:
    """The static game: the alliance's data, the scenario, the policy and the rules configuration."""

    def __init__(
        self,
        dataset: Dataset,
        scenario: Scenario,
        params: PolicyParams | None = None,
        config: RulesConfig | None = None,
        scripted_injects: bool = True,
    ) -> None:
        self.dataset = dataset
        self.scenario = scenario
        self.params = params or load_policy(dataset)
        self.config = config
        self.scripted_injects = scripted_injects

    def opening(self, title: str | None = None, seed: int = 0) -> list[Action]:
        """The floor's opening at the request's time (after the world's own opening event)."""
        sc = self.scenario
        params = {"title": title or sc.title, "scenario": sc.id, "seed": seed}
        return [Action("open_exercise", CONTROL, sc.request_time, FLOOR, params)]

    def new_engine(self) -> Engine:
        engine = Engine(self.dataset, self.config)
        engine.replay([engine.open(self.scenario.start, self.config)])
        return engine

    def new_initial_state(
        self, draw: Draw | None = None, title: str | None = None, seed: int = 0
    ) -> CrisisState:
        """A fresh play without a ledger (a trial): the world and the floor opened."""
        state = CrisisState(self, self.new_engine(), draw)
        for action in self.opening(title, seed):
            state.commit(action)
        return state


class CrisisState:
    """One play of the game over ``engine`` (rebuilt from events; ``commit`` may store them first)."""

    def __init__(
        self, game: CrisisGame, engine: Engine, draw: Draw | None = None, commit: Commit | None = None
    ) -> None:
        self.game = game
        self.engine = engine
        self.draw = draw or nominal_draw(game.params)
        self._commit = commit or engine.handle
        self._schedule: tuple[DomainEvent, list[Arrival]] | None = None
        #: Refused moves: those refused in this play, and those recorded in the events (``StepRefused``).
        self.refusals: list[Refusal] = []
        #: Steps of own initiative a model seat chose not to take (a trial's choice, not an event).
        self.declined: set[tuple[str, str]] = set()
        # An index of the events, caught up incrementally (the events only grow): where each event is,
        # the injects played, the last event of each (stream, type).
        self._seen = 0
        self._position: dict[int, int] = {}
        self._injects: list[DomainEvent] = []
        self._last: dict[tuple[str, str], int] = {}
        self._catch_up()

    def _catch_up(self) -> None:
        events = self.engine.events
        for i in range(self._seen, len(events)):
            e = events[i]
            self._position[id(e)] = i
            self._last[(e.stream, e.type)] = i
            if e.type == "InjectMade":
                self._injects.append(e)
            elif e.type == "StepRefused":
                d = e.data
                self.refusals.append(
                    Refusal(
                        str(d.get("refused")),
                        str(d.get("step")),
                        "",
                        {},
                        str(d.get("article")),
                        str(d.get("reason")),
                        "",
                        i,
                    )
                )
        self._seen = len(events)

    def last_index(self, stream: str, *types: str) -> int:
        """The position of the last event of one of ``types`` in ``stream`` (-1 when there is none)."""
        self._catch_up()
        return max((self._last.get((stream, t), -1) for t in types), default=-1)

    @property
    def injects(self) -> list[DomainEvent]:
        """The injects played so far, in order."""
        self._catch_up()
        return self._injects

    # ------------------------------------------------------------------ the static parts
    @property
    def scenario(self) -> Scenario:
        return self.game.scenario

    @property
    def params(self) -> PolicyParams:
        return self.game.params

    @property
    def dataset(self) -> Dataset:
        return self.game.dataset

    @cached_property
    def delays(self) -> Delays:
        return delays(self.params, self.draw)

    # ------------------------------------------------------------------ the evolving parts
    @property
    def clock(self) -> dt.datetime:
        return self.engine.world.now

    @property
    def t0(self) -> dt.datetime:
        return self.scenario.request_time.astimezone(dt.UTC)

    def hours(self, at: dt.datetime) -> float:
        return round((at - self.t0).total_seconds() / 3600.0, 2)

    @property
    def events(self) -> list[DomainEvent]:
        return self.engine.events

    def _case(self, case: str) -> Any:
        return self.engine.cases.get(case)

    @property
    def case(self) -> Any:
        """The crisis case (a request, consultations or a draft statement), once lodged."""
        return self._case(sequence.CASE)

    @property
    def deployment(self) -> Any:
        return self._case(sequence.DEPLOY)

    @property
    def floor(self) -> Any:
        return self._case(FLOOR)

    def chair(self) -> str | None:
        world = self.engine.world
        return world.chair(world.situation().top_council())

    def seats(self) -> list[str]:
        """Every seat: the member states seated that day, the offices, and Control."""
        states = sorted(s for s, status in self.engine.world.statuses.items() if status in SEATED_STATUSES)
        return [*states, *OFFICES, CONTROL]

    def has_seat(self, seat: str) -> bool:
        """Offices, Control, and any state of the dataset (a third state may apply, or be refused)."""
        return seat in (*OFFICES, CONTROL) or (is_state(seat) and self.dataset.state(seat) is not None)

    def refused(self, seat: str, kind: str, case: str) -> bool:
        """Whether ``seat``'s ``kind`` on ``case`` was refused since the case last moved."""
        self._catch_up()
        proc = self._case(case)
        since = self._position[id(proc.history[-1])] + 1 if proc is not None and proc.history else 0
        return any(
            r.seat == seat and r.kind == kind and (r.case in (case, "")) and r.after >= since
            for r in self.refusals
        )

    def inject_seen(self, kind: str) -> bool:
        return any(e.data.get("kind") == kind for e in self.injects)

    def features(self) -> CrisisFeatures:
        """The crisis as the member models see it now (with the injects played so far)."""
        chair = self.chair()
        c = self.case
        at = c.opened_at if c is not None and c.opened_at else self.clock
        shown = chair if sequence.convener(self) == chair else None
        base = crisis_features(self.engine, self.scenario, at, sequence.lodged_article(self), shown)
        return with_injects(base, self.injects)

    def tasking(self) -> tuple[str, dict[str, int]] | None:
        """What the adopted deployment tasks: the supporters' standing offers, the lead state filling in."""
        c = self.case
        adopted = c.ballot.adopted if c is not None else None
        supporters = list(adopted.get("support", [])) if adopted else []
        return tasking(self.engine.world.view().forces, self.params, self.scenario, supporters)

    def schedule(self) -> list[Arrival]:
        """The airlift schedule recorded when the deployment was ordered."""
        floor = self.floor
        planned = (
            next((e for e in reversed(floor.history) if e.type == "ArrivalsPlanned"), None) if floor else None
        )
        if planned is None:
            return []
        if self._schedule is None or self._schedule[0] is not planned:
            rows = [(dt.datetime.fromisoformat(t), s, int(n)) for t, s, n in planned.data["schedule"]]
            self._schedule = (planned, rows)
        return self._schedule[1]

    def arrival_params(self, state: str, personnel: int) -> dict[str, Any]:
        veh = round(personnel * self.params.timing.vehicles_per_person)
        return {
            "state": state,
            "personnel": personnel,
            "vehicles": veh,
            "airfield": self.scenario.destination_airfield,
        }

    # ------------------------------------------------------------------ the game interface
    def pending(self) -> sequence.Beat | None:
        """The step the crisis sequence waits on (None when the crisis is over)."""
        if self.floor is not None and self.floor.is_terminal:
            return None
        return sequence.next_beat(self)

    @property
    def is_terminal(self) -> bool:
        return self.pending() is None

    @property
    def outcome(self) -> str:
        """The rung adopted on the crisis case ('none' when nothing was)."""
        c = self.case
        if c is None or c.ballot.adopted is None:
            return "none"
        return str(c.ballot.adopted.get("level") or sequence.ceiling(self))

    def legal_moves(self, seat: str) -> list[MoveOption]:
        """The moves ``seat`` may make now (each passes the procedure's sequence; rules may still refuse)."""
        if not self.has_seat(seat):
            return []
        beat = self.pending()
        out: list[MoveOption] = []
        if seat == CONTROL and (self.floor is None or not self.floor.is_terminal):
            out.append(
                MoveOption(
                    seat,
                    ADVANCE_CLOCK,
                    FLOOR,
                    "Advance the clock",
                    asks=asks_of(self.engine.cases[FLOOR].specs["advance_clock"], self._until_due(beat)),
                    expected=beat is not None
                    and beat.not_before is not None
                    and beat.not_before > self.clock,
                )
            )
        if self.case is None:
            for who, kind, params in sequence.lodging(self):
                if who == seat:
                    out.append(self._option(seat, kind, sequence.CASE, params, beat, opens=True))
        held = self.floor.seats if self.floor is not None else {}
        for step in legal_steps(self.engine, seat, sequence.convener(self), CRISIS_OPENERS):
            if (step.kind, seat in held) in (("take_seat", True), ("leave_seat", False)):
                continue  # a seat is taken while free and left while held
            proposed = (
                {"level": self._next_rung()} if (step.kind, step.case) == ("propose", sequence.CASE) else {}
            )
            out.append(self._option(seat, step.kind, step.case, proposed, beat, opens=step.opens))
        return out

    def _next_rung(self) -> str | None:
        """The highest rung not yet put to the Council in this case (what a proposal form proposes)."""
        c = self.case
        tabled = (
            {str(e.data["proposal"].get("level")) for e in c.history if e.type == "ProposalTabled"}
            if c
            else set()
        )
        return next((lv for lv in sequence.ladder(self) if lv not in tabled), None)

    def _until_due(self, beat: sequence.Beat | None) -> dict[str, Any]:
        """The clock step that brings the sequence's next beat due (none when it is due already)."""
        if beat is None or beat.not_before is None or beat.not_before <= self.clock:
            return {}
        return {"hours": round((beat.not_before - self.clock) / dt.timedelta(hours=1), 2)}

    def _option(
        self,
        seat: str,
        kind: str,
        case: str,
        proposed: dict[str, Any],
        beat: sequence.Beat | None,
        opens: bool = False,
    ) -> MoveOption:
        proc = self._case(case)
        spec = (proc.specs if proc is not None else starters()[kind].specs)[kind]
        if beat is not None and (beat.kind, beat.case) == (kind, case):
            proposed = {**beat.params, **proposed}  # the sequence's values, whoever takes the step
        expected = beat is not None and (beat.seat, beat.kind, beat.case) == (seat, kind, case)
        b = getattr(proc, "ballot", None)
        if kind == "vote" and b is not None and b.proposal and seat not in b.positions:
            expected = seat in b.entitled and seat not in b.frozen  # every voter is awaited at once
        label = spec.help.rstrip(".") if spec.help else kind.replace("_", " ").capitalize()
        return MoveOption(seat, kind, case, label, asks_of(spec, proposed), expected, opens)

    def option(self, seat: str, kind: str, case: str) -> MoveOption:
        """The legal move ``kind`` on ``case`` for ``seat``, or an ``IllegalMove`` naming both."""
        for o in self.legal_moves(seat):
            if o.kind == kind and (o.case == case or (o.opens and not case)):
                return o
        if not self.has_seat(seat):
            raise IllegalMove(
                f"there is no seat '{seat}' at this table", field="seat", expected=", ".join(self.seats())
            )
        proc = self._case(case)
        if proc is not None and kind in proc.specs:
            why = "it is closed" if proc.is_terminal else proc.allowed_now(kind, seat)
            if why is not None:  # out of the procedure's order: refused under the article that sets it
                raise RefusedError(
                    proc.refusal(f"{seat} cannot {kind.replace('_', ' ')} on '{case}' now: {why}")
                )
        offered = sorted({o.key for o in self.legal_moves(seat)})
        raise IllegalMove(
            f"{seat} cannot {kind.replace('_', ' ')}" + (f" on '{case}'" if case else "") + " now",
            field="kind",
            expected="one of: " + (", ".join(offered) or "no move"),
        )

    def apply(self, move: Move) -> list[DomainEvent]:
        """Play ``move``; returns the events it caused. A refusal raises ``RefusedError`` (and is recorded)."""
        before = len(self.events)
        if move.kind == ADVANCE_CLOCK:
            self._advance(move)
            return self.events[before:]
        if not self.has_seat(move.seat):
            self.option(move.seat, move.kind, move.case)  # raises IllegalMove naming the seat
        action = Action(move.kind, move.seat, self.clock, move.case, dict(move.params))
        try:
            self.commit(action)
        except RefusedError as err:
            r = err.refused
            self._catch_up()
            self.refusals.append(
                Refusal(
                    move.seat, move.kind, move.case, dict(move.params), r.article, r.reason, r.rule, before
                )
            )
            raise
        if move.kind == "order_deployment":
            self._plan_arrivals()
        return self.events[before:]

    def commit(self, action: Action) -> None:
        self._commit(action)

    # ------------------------------------------------------------------ time
    def _advance(self, move: Move) -> None:
        if move.seat != CONTROL:
            raise IllegalMove(
                f"{move.seat} cannot move the clock: it is Control's", field="seat", expected=CONTROL
            )
        now = self.clock
        if "to" in move.params:
            target = move.params["to"]
            target = dt.datetime.fromisoformat(target) if isinstance(target, str) else target
        else:
            try:
                hours = float(move.params.get("hours"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise InputError("bad hours", field="hours", expected="a number of hours, e.g. 6") from None
            if not 0 < hours <= MAX_CLOCK_STEP_H:
                self.commit(
                    Action("advance_clock", CONTROL, now, FLOOR, {"hours": hours})
                )  # the floor refuses
                return
            target = now + dt.timedelta(hours=hours)
        for at, action in self._due(target):
            self.commit(Action(action.kind, action.actor, max(at, self.clock), action.case, action.params))
        while target > self.clock:
            left = min((target - self.clock) / dt.timedelta(hours=1), MAX_CLOCK_STEP_H)
            self.commit(Action("advance_clock", CONTROL, self.clock, FLOOR, {"hours": left}))

    def _due(self, target: dt.datetime) -> list[tuple[dt.datetime, Action]]:
        """Arrivals and scripted injects that fall due up to ``target``, in time order."""
        due: list[tuple[dt.datetime, int, Action]] = []
        d = self.deployment
        if d is not None and not d.is_terminal:
            done = sum(1 for e in d.history if e.type == "UnitsArrived")
            for i, (at, state, n) in enumerate(self.schedule()[done:]):
                if at <= target:
                    due.append(
                        (
                            at,
                            i,
                            Action("arrive", JOINT_STAFF, at, sequence.DEPLOY, self.arrival_params(state, n)),
                        )
                    )
        if self.game.scripted_injects:
            played = [(e.data.get("text"), e.data.get("kind")) for e in self.events if e.type == "InjectMade"]
            for i, inj in enumerate(sorted(self.scenario.injects, key=lambda j: j.t_hours)):
                key = (inj.text, inj.kind)
                if key in played:
                    played.remove(key)
                    continue
                at = self.t0 + dt.timedelta(hours=inj.t_hours)
                if at <= target:
                    params: dict[str, Any] = {"text": inj.text, "kind": inj.kind}
                    if inj.kind in ("intensity", "framing") and inj.value is not None:
                        params["value"] = (
                            float(inj.value) if inj.kind == "intensity" else float(bool(inj.value))
                        )
                    due.append((at, 1000 + i, Action("inject", CONTROL, at, FLOOR, params)))
        return [(at, a) for at, _, a in sorted(due, key=lambda x: (x[0], x[1]))]

    def _plan_arrivals(self) -> None:
        d = self.deployment
        if d is None or not d.tasked or d.force is None:
            return
        rows, _ = schedule(
            self.dataset,
            self.params,
            self.scenario,
            dict(d.tasked),
            d.force,
            self.clock,
            self.delays.readiness_shift,
        )
        data = [[t.isoformat(), s, n] for t, s, n in rows]
        self.commit(Action("plan_arrivals", JOINT_STAFF, self.clock, FLOOR, {"schedule": data}))
