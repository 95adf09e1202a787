"""The API's reference data: the members and the map on a day (or an exercise's day), the bundled scenarios,
and a scenario's Monte Carlo. Read-only for the ledger; the figures come from the model and the simulator.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from csto.errors import InputError
from csto.game.scenario import Scenario
from csto.web.deps import ApiViewer, State, require
from csto.web.geo import map_data
from csto.web.schemas import RunIn
from csto.web.steps import exercise_map
from csto.web.store import User

router = APIRouter()


@router.get("/api/members", tags=["data"])
def members(user: ApiViewer, st: State, at: dt.date | None = None) -> dict[str, Any]:
    day = at or dt.date.today()
    try:
        return map_data(st.ds, day)
    except InputError as exc:
        return JSONResponse(
            {
                "error": "invalid",
                "detail": [{"loc": ["query", "at"], "msg": exc.message, "type": "value_error"}],
            },
            status_code=422,
        )  # type: ignore[return-value]


@router.get("/api/map", tags=["data"])
def api_map(
    user: ApiViewer, st: State, exercise: Annotated[str | None, Query(max_length=40)] = None
) -> dict[str, Any]:
    return exercise_map(st, exercise)


@router.get("/api/scenarios", tags=["scenarios"])
def api_scenarios(user: ApiViewer, st: State) -> list[dict[str, Any]]:
    return [_scenario_row(s) for s in st.scenarios.values()]


def _scenario_row(s: Scenario) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "hypothetical": s.hypothetical,
        "start": s.start.isoformat(),
        "requester": s.request.state,
        "kind": s.kind,
    }


@router.post("/api/scenarios/{scenario_id}/run", tags=["scenarios"])
def api_run(
    scenario_id: str, body: RunIn, user: Annotated[User, Depends(require("scenario.run"))], st: State
) -> dict[str, Any]:
    out: dict[str, Any] = st.run_scenario(scenario_id, body.trials, body.seed).to_dict()
    return out
