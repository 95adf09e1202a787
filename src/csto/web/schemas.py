"""The JSON API's bodies (pydantic models, hence its OpenAPI schemas) and the error responses every route
documents. Choices (step kinds, positions, levels, …) are enums of the room's and the procedures' own
constants, so nothing is written twice. Models only: no route and no rule.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Literal

from pydantic import BaseModel, Field

from csto.actions import action_kind_enum, choices_enum, param_choices
from csto.web.room import STEPS


class ErrorOut(BaseModel):
    """Every error the API returns: what kind, and the detail (a message, or for 422 one entry per field)."""

    error: str
    detail: Any = None


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "the body could not be parsed"},
    401: {"model": ErrorOut, "description": "no valid bearer token (POST /api/token)"},
    403: {"model": ErrorOut, "description": "the role may not do this (csto.web.roles)"},
    404: {"model": ErrorOut, "description": "no such exercise or scenario"},
}


class TokenIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class UserOut(BaseModel):
    username: str
    role: str
    state: str | None = None


class TokenOut(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: dt.datetime
    user: UserOut


class Health(BaseModel):
    """That the server is up; the other fields only for Control (absent for anyone else)."""

    status: Literal["ok"]
    version: str | None = None
    alliance: str | None = None
    database: str | None = None
    schema_version: int | None = None
    ledger_events: int | None = None
    ledger_head: str | None = None
    exercises: int | None = None


class ExerciseIn(BaseModel):
    scenario: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1, max_length=200)
    seed: int = Field(0, ge=0, le=2**31 - 1)


def _choices(name: str, values: tuple[str, ...]) -> type[enum.StrEnum]:
    """An enum of the room's own named steps, so the API schema lists them and nothing is written twice."""
    return enum.StrEnum(name, {v: v for v in values})  # type: ignore[return-value]


# The values of the actions' parameters come from the action classes (csto.actions), never a second list.
StepKind = _choices("StepKind", STEPS)
Position = choices_enum("Position", "vote", "position")
#: A proposal's rung ("none" is no proposal, so the room's API leaves it out).
Level = _choices("Level", tuple(lv for lv in param_choices("propose", "level") if lv != "none"))
InjectKind = choices_enum("InjectKind", "inject", "kind")
SessionFormat = choices_enum("SessionFormat", "convene", "format")
ActionKind = action_kind_enum()


class StepIn(BaseModel):
    """One step in an exercise room; which fields a step needs is in the room's docs (``/docs``)."""

    kind: StepKind  # type: ignore[valid-type]
    state: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="the state acted for (ISO3)")
    position: Position | None = None  # type: ignore[valid-type]
    reason: str | None = Field(None, max_length=2000)
    text: str | None = Field(None, max_length=4000)
    level: Level | None = None  # type: ignore[valid-type]
    summary: str | None = Field(None, max_length=2000)
    hours: float | None = Field(None, gt=0, le=720)
    inject_kind: InjectKind | None = None  # type: ignore[valid-type]
    value: float | None = Field(None, ge=0, le=1)
    format: SessionFormat | None = None  # type: ignore[valid-type]


class RunIn(BaseModel):
    trials: int = Field(1000, ge=10, le=20000)
    seed: int = Field(0, ge=0, le=2**31 - 1)


class MoveIn(BaseModel):
    """A legal move of the crisis game (``GET /api/exercises/{id}/moves`` lists them): the seat moved for,
    the move's kind and case, and its parameters (the proposed values stand for any left out)."""

    seat: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z_]+$")
    kind: ActionKind  # type: ignore[valid-type]
    case: str = Field("", max_length=64, pattern=r"^[A-Za-z0-9_.-]*$")
    params: dict[str, Any] = Field(default_factory=dict)
