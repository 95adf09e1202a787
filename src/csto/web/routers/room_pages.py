"""The exercise room in the browser: the room page and its panel (htmx; its forms are the game's legal moves,
played through ``routers.moves``), live updates over server-sent events, the room's map, and the after-action
report as a page, an HTML file and a PDF. The room does the work (``csto.web.steps`` → ``Room``).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from csto.web import roles
from csto.web.deps import PageViewer, State
from csto.web.render import render
from csto.web.room import Room
from csto.web.steps import exercise_map, exercise_record
from csto.web.store import User

router = APIRouter(include_in_schema=False)


def room_ctx(room: Room, user: User) -> dict[str, Any]:
    """What the room's templates render: the room's state and the moves offered to ``user``."""
    from csto.web.moves import form_value, offered

    s = room.state()
    return {
        "room": room,
        "s": s,
        "moves": offered(user, room) if roles.allowed(user.role, "exercise.move") else [],
        "value": form_value,
        "hidden_params": ("user",),
        "may": lambda a: roles.allowed(user.role, a),
    }


@router.get("/exercises/{ex_id}", response_class=HTMLResponse)
def room_page(request: Request, ex_id: str, user: PageViewer, st: State) -> HTMLResponse:
    room = st.room(ex_id)
    room.refresh()
    return render(request, "room.html", user, **room_ctx(room, user), errors={}, refusal=None, form={})


@router.get("/exercises/{ex_id}/panel", response_class=HTMLResponse)
def room_panel(request: Request, ex_id: str, user: PageViewer, st: State) -> HTMLResponse:
    room = st.room(ex_id)
    room.refresh()
    return render(request, "_room_panel.html", user, **room_ctx(room, user), errors={}, refusal=None, form={})


@router.get("/exercises/{ex_id}/stream")
async def room_stream(request: Request, ex_id: str, user: PageViewer, st: State) -> StreamingResponse:
    room = st.room(ex_id)

    async def events() -> AsyncIterator[str]:
        seen = -1
        ticks = 0
        while not await request.is_disconnected():
            if ticks % 4 == 0:
                await asyncio.to_thread(room.refresh)
            if room.version != seen:
                seen = room.version
                yield f"event: update\ndata: {seen}\n\n"
            elif ticks % 30 == 0:
                yield ": keep-alive\n\n"
            ticks += 1
            await asyncio.sleep(0.25)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@router.get("/exercises/{ex_id}/map.json")
def room_map(ex_id: str, user: PageViewer, st: State) -> dict[str, Any]:
    return exercise_map(st, ex_id)


@router.get("/exercises/{ex_id}/aar", response_class=HTMLResponse)
def aar_page(request: Request, ex_id: str, user: PageViewer, st: State) -> HTMLResponse:
    from csto.report.aar import troop_curve_png

    room = st.room(ex_id)
    room.refresh()
    record = exercise_record(st, room)
    curve = base64.b64encode(troop_curve_png(record)).decode()
    return render(
        request,
        "aar.html",
        user,
        a=record.to_dict(),
        room=room,
        curve=curve,
        checkpoint=record.exercise.checkpoint,
    )


@router.get("/exercises/{ex_id}/aar.html")
def aar_html(ex_id: str, user: PageViewer, st: State) -> Response:
    from csto.report.aar import render_html

    return Response(
        render_html(exercise_record(st, st.room(ex_id))),
        media_type="text/html",
        headers={"Content-Disposition": f'attachment; filename="aar-{ex_id}.html"'},
    )


@router.get("/exercises/{ex_id}/aar.pdf")
def aar_pdf(ex_id: str, user: PageViewer, st: State) -> Response:
    from csto.report.aar import render_pdf

    return Response(
        render_pdf(exercise_record(st, st.room(ex_id))),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="aar-{ex_id}.pdf"'},
    )
