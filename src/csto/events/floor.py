"""Events of an exercise floor (the room): opened, seats taken and left, statements, injects, the clock,
the model's recorded expectations, the airlift schedule, refused steps, and the end.

They record the exercise beside the treaty procedures. It must not import the procedures, the web or
the ledger.
"""

from __future__ import annotations

from pydantic import Field, JsonValue

from csto.events.base import ActorEvent, Number

__all__ = [
    "ArrivalsPlanned",
    "ClockAdvanced",
    "ExerciseEnded",
    "ExerciseOpened",
    "InjectMade",
    "ModelExpected",
    "SeatLeft",
    "SeatTaken",
    "StatementMade",
    "StepRefused",
]


class ExerciseOpened(ActorEvent):
    """Control opens an exercise on a scenario, with the seed of its chance draws."""

    title: str
    scenario: str
    seed: int

    def describe(self) -> str:
        return f"Exercise '{self.title}' opened on scenario {self.scenario}"


class SeatTaken(ActorEvent):
    """A person (``user``) takes a state's seat."""

    state: str
    user: str

    def describe(self) -> str:
        return f"{self.user} takes the seat of {self.state}"


class SeatLeft(ActorEvent):
    """A person leaves a state's seat to the model."""

    state: str
    user: str

    def describe(self) -> str:
        return f"{self.user} leaves the seat of {self.state} to the model"


class StatementMade(ActorEvent):
    """A delegation's statement to the room."""

    state: str
    text: str

    def describe(self) -> str:
        return f"{self.state} states: {self.text}"


class InjectMade(ActorEvent):
    """Something Control puts into the exercise (``kind``: note, intensity, framing, ...)."""

    text: str
    kind: str
    value: Number | None

    def describe(self) -> str:
        value = f" (value {self.value})" if self.value is not None else ""
        return f"Inject: {self.text}{value}"


class ClockAdvanced(ActorEvent):
    """The exercise clock moves forward ``hours`` from ``from`` (ISO time); the event is stamped at the end."""

    hours: Number
    from_: str = Field(alias="from")

    def describe(self) -> str:
        return f"Clock moved forward {float(self.hours):g} h"


class ModelExpected(ActorEvent):
    """What the decision model expects of each seat on a proposal: one record per seat (the room's shape)."""

    round: int
    level: str
    expectations: list[dict[str, JsonValue]]

    def describe(self) -> str:
        return f"The model's expectations recorded for the {self.level} proposal (round {self.round})"


class ArrivalsPlanned(ActorEvent):
    """The airlift schedule of a deployment: (ISO time, state, personnel) per arrival."""

    schedule: list[tuple[str, str, int]]

    def describe(self) -> str:
        return f"Airlift schedule recorded: {len(self.schedule)} arrivals"


class StepRefused(ActorEvent):
    """A refused step, recorded (the refused step itself wrote nothing)."""

    step: str
    refused: str
    article: str
    reason: str

    def describe(self) -> str:
        return f"{self.refused} {self.step.replace('_', ' ')} refused under {self.article}: {self.reason}"


class ExerciseEnded(ActorEvent):
    """Control ends the exercise."""

    summary: str

    def describe(self) -> str:
        return "Exercise ended" + (f": {self.summary}" if self.summary else "")


EVENTS = (
    ExerciseOpened,
    SeatTaken,
    SeatLeft,
    StatementMade,
    InjectMade,
    ClockAdvanced,
    ModelExpected,
    ArrivalsPlanned,
    StepRefused,
    ExerciseEnded,
)
