"""The API's exercises: list and create them, read one, take a step in one (403 for a role that may not,
409 with the article for a refusal, 422 naming the field), and its after-action report. The room does
the work (``csto.web.steps`` → ``Room``); this router only maps it to HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from csto.errors import CstoError, InputError
from csto.report.events import describe
from csto.rules import RefusedError
from csto.web.deps import ApiViewer, State, require
from csto.web.schemas import ExerciseIn, StepIn
from csto.web.steps import create_exercise, exercise_aar, step_error, take_step
from csto.web.store import User

router = APIRouter(tags=["exercises"])


@router.get("/api/exercises")
def api_exercises(user: ApiViewer, st: State) -> list[dict[str, Any]]:
    return st.store.exercises()


@router.post("/api/exercises", status_code=201)
def api_create(
    body: ExerciseIn, user: Annotated[User, Depends(require("exercise.create"))], st: State
) -> Any:
    try:
        return create_exercise(st, user, body).state()
    except InputError as exc:
        return JSONResponse(step_error(exc)[1], status_code=422)


@router.get("/api/exercises/{ex_id}")
def api_exercise(ex_id: str, user: ApiViewer, st: State) -> dict[str, Any]:
    room = st.room(ex_id)
    room.refresh()
    return room.state()


@router.post(
    "/api/exercises/{ex_id}/steps",
    responses={
        403: {"description": "the role may not take this step"},
        409: {"description": "refused (with the article) or not possible now"},
    },
)
def api_step(ex_id: str, step: StepIn, user: ApiViewer, st: State) -> Any:
    room = st.room(ex_id)
    try:
        stored = take_step(user, room, step)
        st.anchor(room)  # an "end" step: the exercise's checkpoint is signed now
    except (CstoError, RefusedError) as exc:
        code, body = step_error(exc)
        return JSONResponse(body, status_code=code)
    return {
        "events": [{"seq": e.seq, "type": e.type, "text": describe(e.type, e.data)} for e in stored],
        "state": room.state(timeline=False),
    }


@router.get("/api/exercises/{ex_id}/aar")
def api_aar(ex_id: str, user: ApiViewer, st: State) -> dict[str, Any]:
    return exercise_aar(st, st.room(ex_id))
