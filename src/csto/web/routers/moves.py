"""The crisis game's moves over HTTP: the legal moves of the seats a user acts for (API), and playing one
(API and the room's forms). What is offered comes from the game's ``legal_moves``; who may act for a seat
from ``roles.seats_for``; refusals carry the article (409), bad parameters name the field (422).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from csto.errors import CstoError, InputError
from csto.report.events import describe
from csto.rules import RefusedError
from csto.web import roles
from csto.web.deps import State, check_csrf, require
from csto.web.moves import acting_seats, offered, play, read_form
from csto.web.render import render
from csto.web.room import refusal_dict
from csto.web.routers.room_pages import room_ctx
from csto.web.schemas import MoveIn
from csto.web.steps import step_error
from csto.web.store import User

router = APIRouter(tags=["exercises"])

Mover = Annotated[User, Depends(require("exercise.move"))]
PageMover = Annotated[User, Depends(require("exercise.move", via="session"))]


@router.get("/api/exercises/{ex_id}/moves")
def api_moves(ex_id: str, user: Mover, st: State) -> dict[str, Any]:
    """The legal moves of every seat the user acts for, the ones the crisis waits on first."""
    room = st.room(ex_id)
    room.refresh()
    return {
        "seats": acting_seats(user, room),
        "moves": [{**m.option.to_dict(), "model_seat": m.for_model} for m in offered(user, room)],
    }


@router.post(
    "/api/exercises/{ex_id}/moves",
    responses={
        403: {"description": "the user does not act for this seat"},
        409: {"description": "refused (with the article) or not possible now"},
        422: {"description": "not a legal move of this seat now, or a bad parameter (named)"},
    },
)
def api_move(ex_id: str, body: MoveIn, user: Mover, st: State) -> Any:
    room = st.room(ex_id)
    try:
        stored = play(user, room, body.seat, str(body.kind), body.case, body.params)
        st.anchor(room)  # the exercise may have ended: its checkpoint is signed now
    except roles.Forbidden as exc:
        return JSONResponse({"error": "forbidden", "detail": exc.reason}, status_code=403)
    except (CstoError, RefusedError) as exc:
        code, out = step_error(exc)
        if isinstance(exc, RefusedError):
            out.update(seat=body.seat, move=str(body.kind), case=body.case)
        return JSONResponse(out, status_code=code)
    return {
        "events": [{"seq": e.seq, "type": e.type, "text": describe(e.type, e.data)} for e in stored],
        "state": room.state(timeline=False),
    }


@router.post("/exercises/{ex_id}/move", include_in_schema=False)
async def page_move(request: Request, ex_id: str, user: PageMover, st: State) -> Response:
    """A move from one of the room's forms; the panel comes back with any error or refusal inline."""
    await check_csrf(request)
    room = st.room(ex_id)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str) and k != "csrf_token"}
    seat, kind, case = form.pop("_seat", ""), form.pop("_kind", ""), form.pop("_case", "")
    key = f"{kind}@{case}" if case else kind
    errors: dict[str, str] = {}
    refusal = None
    forbidden = False
    try:
        with room.lock:
            room.refresh()
            option = room.state_.option(seat, kind, case)
            params = read_form(option, form)
        play(user, room, seat, kind, case, params)
        st.anchor(room)
    except RefusedError as exc:
        refusal = {**refusal_dict(exc.refused), "seat": seat, "move": kind}
    except InputError as exc:
        expected = f" (expected {exc.expected})" if exc.expected else ""
        errors = {f"{key}.{exc.field or '_'}": exc.message + expected}
    except CstoError as exc:
        errors = {f"{key}._": exc.message}
    except roles.Forbidden as exc:
        errors = {f"{key}._": exc.reason}
        forbidden = True
    if not request.headers.get("hx-request") and not errors and refusal is None:
        return RedirectResponse(f"/exercises/{ex_id}", status_code=303)
    tpl = "_room_panel.html" if request.headers.get("hx-request") else "room.html"
    # htmx swaps only 2xx responses: the panel (with the error inline) always comes back as 200 to it
    status = 409 if refusal else 403 if forbidden else 422 if errors else 200
    if request.headers.get("hx-request"):
        status = 200
    return render(
        request,
        tpl,
        user,
        status=status,
        **room_ctx(room, user),
        errors=errors,
        refusal=refusal,
        form={"_key": key, **form},
    )
