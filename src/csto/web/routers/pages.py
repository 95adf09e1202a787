"""The pages outside an exercise room: the dashboard (the map on a day), the list of exercises with the form
that creates one, and the scenario runner (a Monte Carlo with its plots). Forms carry the CSRF token;
a bad form comes back with its errors by field.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from csto.errors import InputError
from csto.model import view_at
from csto.web.deps import PageViewer, State, check_csrf, require
from csto.web.geo import map_data
from csto.web.render import form_errors, render
from csto.web.schemas import ExerciseIn, RunIn
from csto.web.steps import create_exercise
from csto.web.store import User

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, user: PageViewer, st: State, at: dt.date | None = None) -> HTMLResponse:
    day = at or dt.date.today()
    data = map_data(st.ds, day)
    view = view_at(st.ds, day)
    return render(
        request, "dashboard.html", user, day=day, data=data, view=view, exercises=st.store.exercises()[:10]
    )


@router.get("/map.json")
def dash_map(user: PageViewer, st: State, at: dt.date | None = None) -> dict[str, Any]:
    return map_data(st.ds, at or dt.date.today())


@router.get("/exercises", response_class=HTMLResponse)
def exercises_page(request: Request, user: PageViewer, st: State) -> HTMLResponse:
    return render(
        request,
        "exercises.html",
        user,
        exercises=st.store.exercises(),
        scenarios=list(st.scenarios.values()),
        errors={},
        form={},
    )


@router.post("/exercises")
async def exercises_create(
    request: Request, user: Annotated[User, Depends(require("exercise.create", via="session"))], st: State
) -> Response:
    await check_csrf(request)
    form = await request.form()
    data = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    errors: dict[str, str] = {}
    try:
        body = ExerciseIn.model_validate(
            {
                "scenario": data.get("scenario", ""),
                "title": data.get("title", "").strip(),
                "seed": data.get("seed") or 0,
            }
        )
    except (ValueError, TypeError) as exc:
        errors = form_errors(exc)
    else:
        try:
            room = create_exercise(st, user, body)
        except InputError as exc:
            errors = {exc.field or "scenario": exc.message}
        else:
            return RedirectResponse(f"/exercises/{room.id}", status_code=303)
    return render(
        request,
        "exercises.html",
        user,
        status=422,
        exercises=st.store.exercises(),
        scenarios=list(st.scenarios.values()),
        errors=errors,
        form=data,
    )


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request, user: PageViewer, st: State) -> HTMLResponse:
    return render(
        request,
        "scenarios.html",
        user,
        scenarios=list(st.scenarios.values()),
        result=None,
        images={},
        errors={},
        form={},
    )


@router.post("/scenarios", response_class=HTMLResponse)
async def scenarios_run(
    request: Request, user: Annotated[User, Depends(require("scenario.run", via="session"))], st: State
) -> HTMLResponse:
    await check_csrf(request)
    form = await request.form()
    data = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    errors: dict[str, str] = {}
    result, images = None, {}
    try:
        body = RunIn.model_validate({"trials": data.get("trials") or 0, "seed": data.get("seed") or 0})
    except (ValueError, TypeError) as exc:
        errors = form_errors(exc)
    else:
        if data.get("scenario") not in st.scenarios:
            errors = {"scenario": "pick one of the scenarios"}
        else:
            from csto.report.crisis import odds_png, votes_png

            result = await asyncio.to_thread(st.run_scenario, data["scenario"], body.trials, body.seed)
            images = {
                "odds": base64.b64encode(odds_png(result)).decode(),
                "votes": base64.b64encode(votes_png(result)).decode(),
            }
    tpl = "_scenario_result.html" if request.headers.get("hx-request") else "scenarios.html"
    return render(
        request,
        tpl,
        user,
        status=200 if not errors or request.headers.get("hx-request") else 422,
        scenarios=list(st.scenarios.values()),
        result=result,
        images=images,
        errors=errors,
        form=data,
    )
