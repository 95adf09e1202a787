"""Exercise: a joint exercise of the collective forces, planned, joined, conducted and reviewed.

The series, the host, the forces exercised and the contingents are judged by the rules in
``csto.rules.cooperation`` and ``csto.rules.defence``; this module keeps only the order of the steps
and who takes each. Only the ``ev_*`` handlers change state. Nothing here touches the ledger or the web.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.params import (
    param_day,
    param_int,
    param_str,
    param_strs,
    param_text,
)
from csto.rules import RefusedError
from csto.rules.cooperation import (
    CSTO_EXERCISE_SERIES,
    contingents_taking_part,
    exercise_contingents,
    exercise_participation,
    exercise_series,
)
from csto.rules.defence import collective_forces_exist

#: Who plans and runs an exercise: the Joint Staff, the Council of Defence Ministers or the Secretariat.
EXERCISE_PLANNERS = ("joint_staff", "cdm", "secretariat")


class Exercise(Procedure):
    """A joint exercise of the collective forces: planned → (contingents join) → conducted → recorded."""

    kind = "exercise"
    title = "Joint exercise"
    article = ("forces-2010", "whole")
    starts = frozenset({"plan"})
    specs = {
        "plan": ActionSpec(
            "plan",
            "'joint_staff', 'cdm' or 'secretariat'",
            "Plan an exercise in one of the CSTO's own series.",
            {
                "name": Param("str", required=True, help="e.g. Interaction-2023"),
                "series": Param("str", required=True, help=", ".join(CSTO_EXERCISE_SERIES)),
                "host": Param("state", required=True, help="the member on whose territory it is held"),
                "start": Param("date", required=True),
                "end": Param("date", required=True),
                "forces": Param("list[str]", help="collective forces exercised, e.g. crrf, peacekeeping"),
                "scenario": Param("str"),
            },
        ),
        "join": ActionSpec(
            "join",
            "a member taking part",
            "Send a contingent to the exercise.",
            {"personnel": Param("int", required=True), "units": Param("str")},
        ),
        "conduct": ActionSpec(
            "conduct", "'joint_staff'", "Record that the exercise took place (on or after start)."
        ),
        "record_aar": ActionSpec(
            "record_aar",
            "'joint_staff'",
            "Record the after-action review.",
            {"findings": Param("str", required=True), "lessons": Param("list[str]")},
        ),
        "cancel": ActionSpec(
            "cancel", "'joint_staff', 'cdm' or 'secretariat'", "Cancel.", {"reason": Param("str")}
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.name: str | None = None
        self.series: str | None = None
        self.host: str | None = None
        self.start: dt.date | None = None
        self.end: dt.date | None = None
        self.forces: list[str] = []
        self.participants: dict[str, dict[str, Any]] = {}
        self.conducted: dict[str, Any] = {}
        self.findings: str | None = None
        self.lessons: list[str] = []

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"recorded", "cancelled"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "plan":
            if self.step != "new":
                return "the exercise is already planned"
            if actor not in EXERCISE_PLANNERS:
                return f"exercises are planned by {', '.join(EXERCISE_PLANNERS)}, not {actor}"
            return None
        if self.step == "new":
            return "no exercise has been planned: start with 'plan'"
        if kind == "join":
            if self.step != "planned":
                return "contingents join before the exercise is conducted"
            return f"{actor} has already joined" if actor in self.participants else None
        if kind == "conduct":
            if actor != "joint_staff":
                return "the Joint Staff records that an exercise took place"
            return None if self.step == "planned" else "the exercise has already been conducted"
        if kind == "record_aar":
            if actor != "joint_staff":
                return "the Joint Staff records the after-action review"
            return None if self.step == "conducted" else "the after-action review follows the exercise"
        if kind == "cancel":
            if actor not in EXERCISE_PLANNERS:
                return f"an exercise is cancelled by {', '.join(EXERCISE_PLANNERS)}, not {actor}"
            return None if self.step == "planned" else "only a planned exercise can be cancelled"
        return f"'{kind}' does not apply here"

    def on_plan(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        series = param_str(action, "series")
        self.check(exercise_series(sit, series))
        host = param_str(action, "host")
        self.check(exercise_participation(sit, host))
        start, end = param_day(action, "start"), param_day(action, "end")
        if end < start:
            raise RefusedError(self.refusal(f"the exercise ends ({end}) before it starts ({start})"))
        forces = param_strs(action, "forces")
        self.check(collective_forces_exist(sit, forces))
        return [
            self.event(
                "ExercisePlanned",
                action,
                name=param_str(action, "name"),
                series=series,
                host=host,
                start=start.isoformat(),
                end=end.isoformat(),
                forces=forces,
                scenario=param_text(action, "scenario"),
                citation=sit.cite(*self.article),
            )
        ]

    def on_join(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        personnel = param_int(action, "personnel")
        self.check(exercise_participation(sit, action.actor, personnel))
        return [
            self.event(
                "ParticipantJoined",
                action,
                state=action.actor,
                personnel=personnel,
                units=param_text(action, "units"),
            )
        ]

    def on_conduct(self, action: Action) -> list[DomainEvent]:
        assert self.start is not None and self.host is not None
        if action.at.date() < self.start:
            raise RefusedError(self.refusal(f"the exercise starts on {self.start.isoformat()}, not before"))
        sit = self.world.situation(action.at)
        self.check(exercise_participation(sit, self.host))
        self.check(exercise_contingents(sit, self.participants))
        present = contingents_taking_part(sit, self.participants)
        dropped = sorted(s for s in self.participants if s not in present)
        return [
            self.event(
                "ExerciseConducted",
                action,
                participants=present,
                dropped_out=dropped,
                personnel=sum(int(self.participants[s]["personnel"]) for s in present),
            )
        ]

    def on_record_aar(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "AfterActionRecorded",
                action,
                findings=param_str(action, "findings"),
                lessons=param_strs(action, "lessons"),
            )
        ]

    def on_cancel(self, action: Action) -> list[DomainEvent]:
        return [self.event("ExerciseCancelled", action, reason=param_text(action, "reason"))]

    def ev_ExercisePlanned(self, e: DomainEvent) -> None:
        d = e.data
        self.name, self.series, self.host = d["name"], d["series"], d["host"]
        self.start, self.end = dt.date.fromisoformat(d["start"]), dt.date.fromisoformat(d["end"])
        self.forces = list(d["forces"])
        self.step = "planned"

    def ev_ParticipantJoined(self, e: DomainEvent) -> None:
        self.participants[e.data["state"]] = {"personnel": int(e.data["personnel"]), "units": e.data["units"]}

    def ev_ExerciseConducted(self, e: DomainEvent) -> None:
        self.conducted = {
            "at": e.at.isoformat(),
            "participants": list(e.data["participants"]),
            "dropped_out": list(e.data["dropped_out"]),
            "personnel": int(e.data["personnel"]),
        }
        self.step = "conducted"

    def ev_AfterActionRecorded(self, e: DomainEvent) -> None:
        self.findings = e.data["findings"]
        self.lessons = list(e.data["lessons"])
        self.step = "recorded"

    def ev_ExerciseCancelled(self, e: DomainEvent) -> None:
        self.step = "cancelled"

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "name": self.name,
            "series": self.series,
            "host": self.host,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "forces": list(self.forces),
            "participants": {k: dict(v) for k, v in sorted(self.participants.items())},
            "conducted": dict(self.conducted),
            "findings": self.findings,
            "lessons": list(self.lessons),
        }
