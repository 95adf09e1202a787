"""The floor of a tabletop exercise: seats, statements, injects, the clock and the model's expectations.

One ``Floor`` case per exercise records what is not a treaty procedure but must be in the record: who
holds which seat, what delegations said, what Control injected, how the clock moved, what the decision
model expected of each seat, and the airlift schedule of a deployment. Treaty steps stay in their own
procedures; the floor only refuses seats and statements of members that take no part (with the article).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.rules import Refused, RefusedError
from csto.rules.decisions import may_vote

CONTROL = "control"
#: The longest single step of the clock, in hours (a month).
MAX_CLOCK_STEP_H = 720.0
INJECT_KINDS = ("note", "intensity", "framing", "request_withdrawn")


class Floor(Procedure):
    """The exercise's own record beside the treaty procedures."""

    kind = "floor"
    title = "Exercise floor"
    article = ("charter", "12")
    starts = frozenset({"open_exercise"})
    specs = {
        "open_exercise": ActionSpec(
            "open_exercise",
            "'control'",
            "Open an exercise on a scenario.",
            {
                "title": Param("str", required=True),
                "scenario": Param("str", required=True, help="scenario id"),
                "seed": Param("int", default=0),
            },
        ),
        "take_seat": ActionSpec(
            "take_seat",
            "a member state (ISO3)",
            "A delegation takes its state's seat (the model holds every seat nobody takes).",
            {"user": Param("str", required=True, help="the account holding the seat")},
        ),
        "leave_seat": ActionSpec(
            "leave_seat", "a member state (ISO3)", "A delegation leaves its seat to the model."
        ),
        "make_statement": ActionSpec(
            "make_statement",
            "a member state (ISO3)",
            "A delegation's statement to the room.",
            {"text": Param("str", required=True)},
        ),
        "inject": ActionSpec(
            "inject",
            "'control'",
            "An event Control puts into the exercise.",
            {
                "text": Param("str", required=True),
                "kind": Param("str", choices=INJECT_KINDS, default="note"),
                "value": Param("float", help="new intensity (0-1) for an 'intensity' inject"),
            },
        ),
        "advance_clock": ActionSpec(
            "advance_clock",
            "'control'",
            "Move the exercise clock forward.",
            {"hours": Param("float", required=True, help=f"0 < hours <= {MAX_CLOCK_STEP_H:g}")},
        ),
        "expect": ActionSpec(
            "expect",
            "'model'",
            "Record what the decision model expects of each seat on a proposal.",
            {
                "round": Param("int", required=True),
                "level": Param("str", required=True),
                "expectations": Param("json", required=True, help="one record per seat"),
            },
        ),
        "plan_arrivals": ActionSpec(
            "plan_arrivals",
            "'joint_staff'",
            "Record the airlift schedule of a deployment.",
            {"schedule": Param("json", required=True, help="[ISO time, state, personnel] per arrival")},
        ),
        "note_refusal": ActionSpec(
            "note_refusal",
            "'room'",
            "Record a refused step (the refused step itself wrote nothing).",
            {
                "step": Param("str", required=True),
                "refused_actor": Param("str", required=True),
                "article": Param("str", required=True),
                "reason": Param("str", required=True),
            },
        ),
        "end_exercise": ActionSpec(
            "end_exercise", "'control'", "End the exercise.", {"summary": Param("str")}
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.title_text = ""
        self.scenario = ""
        self.seed = 0
        self.seats: dict[str, str] = {}

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"ended"})

    def refuse_control(self, kind: str) -> Refused:
        return Refused(
            article="exercise rules",
            reason=f"'{kind}' is Control's step, not a delegation's",
            rule="floor-control",
        )

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "open_exercise":
            return None if self.step == "new" else "the exercise is already open"
        if self.step == "new":
            return "the exercise has not been opened"
        return None

    # ------------------------------------------------------------------ decide
    def _control(self, action: Action) -> None:
        if action.actor != CONTROL:
            raise RefusedError(self.refuse_control(action.kind))

    def on_open_exercise(self, action: Action) -> list[DomainEvent]:
        self._control(action)
        return [
            self.event(
                "ExerciseOpened",
                action,
                title=action.get("title"),
                scenario=action.get("scenario"),
                seed=int(action.get("seed") or 0),
            )
        ]

    def on_take_seat(self, action: Action) -> list[DomainEvent]:
        self.check(may_vote(self.world.situation(action.at), action.actor))
        holder = self.seats.get(action.actor)
        user = str(action.get("user"))
        if holder is not None and holder != user:
            raise RefusedError(
                Refused(
                    article="exercise rules",
                    reason=f"{action.actor}'s seat is held by {holder}",
                    rule="floor-seat",
                )
            )
        return [self.event("SeatTaken", action, state=action.actor, user=user)]

    def on_leave_seat(self, action: Action) -> list[DomainEvent]:
        if action.actor not in self.seats:
            raise RefusedError(
                Refused(
                    article="exercise rules",
                    reason=f"nobody holds {action.actor}'s seat",
                    rule="floor-seat",
                )
            )
        return [self.event("SeatLeft", action, state=action.actor, user=self.seats[action.actor])]

    def on_make_statement(self, action: Action) -> list[DomainEvent]:
        self.check(may_vote(self.world.situation(action.at), action.actor))
        return [self.event("StatementMade", action, state=action.actor, text=action.get("text"))]

    def on_inject(self, action: Action) -> list[DomainEvent]:
        self._control(action)
        kind = str(action.get("kind") or "note")
        value = action.get("value")
        if kind == "intensity" and (value is None or not 0 <= float(value) <= 1):
            raise RefusedError(
                Refused(
                    article="exercise rules",
                    reason="an intensity inject needs a value between 0 and 1",
                    rule="floor-inject",
                )
            )
        return [self.event("InjectMade", action, text=action.get("text"), kind=kind, value=value)]

    def on_advance_clock(self, action: Action) -> list[DomainEvent]:
        self._control(action)
        hours = float(action.get("hours"))
        if not 0 < hours <= MAX_CLOCK_STEP_H:
            raise RefusedError(
                Refused(
                    article="exercise rules",
                    reason=f"the clock moves forward by more than 0 and at most {MAX_CLOCK_STEP_H:g} hours",
                    rule="floor-clock",
                )
            )
        to = action.at + dt.timedelta(hours=hours)
        return [
            DomainEvent(
                "ClockAdvanced",
                to,
                self.stream,
                {"actor": action.actor, "hours": hours, "from": action.at.isoformat()},
            )
        ]

    def on_expect(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "ModelExpected",
                action,
                round=action.get("round"),
                level=action.get("level"),
                expectations=list(action.get("expectations")),
            )
        ]

    def on_plan_arrivals(self, action: Action) -> list[DomainEvent]:
        return [self.event("ArrivalsPlanned", action, schedule=list(action.get("schedule")))]

    def on_note_refusal(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "StepRefused",
                action,
                step=action.get("step"),
                refused=action.get("refused_actor"),
                article=action.get("article"),
                reason=action.get("reason"),
            )
        ]

    def on_end_exercise(self, action: Action) -> list[DomainEvent]:
        self._control(action)
        return [self.event("ExerciseEnded", action, summary=action.get("summary") or "")]

    # ------------------------------------------------------------------ evolve
    def ev_ExerciseOpened(self, e: DomainEvent) -> None:
        self.title_text = str(e.data["title"])
        self.scenario = str(e.data["scenario"])
        self.seed = int(e.data.get("seed") or 0)
        self.step = "open"

    def ev_SeatTaken(self, e: DomainEvent) -> None:
        self.seats[str(e.data["state"])] = str(e.data["user"])

    def ev_SeatLeft(self, e: DomainEvent) -> None:
        self.seats.pop(str(e.data["state"]), None)

    def ev_ExerciseEnded(self, e: DomainEvent) -> None:
        self.step = "ended"

    def snapshot(self) -> dict[str, Any]:
        return {**super().snapshot(), "scenario": self.scenario, "seats": dict(sorted(self.seats.items()))}
