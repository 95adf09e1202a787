"""The FastAPI application: the JSON API (bearer tokens), the server-rendered pages (signed cookies + CSRF),
live updates over SSE, and one error policy (no traceback ever reaches a client).

Every step a person takes goes ``roles.authorize`` → ``Room.act`` → ``Session.act``: the role matrix
decides who may act as which engine actor, and the engine decides what the treaty allows. This module
holds routes and rendering only; it re-implements no rule.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import enum
import functools
import logging
import secrets
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from csto import __version__
from csto.errors import CstoError, InputError
from csto.ledger.sql import SqlLedger, open_ledger
from csto.model import Dataset, load_dataset
from csto.policy import PolicyParams, load_policy
from csto.procedures.council import SESSION_FORMATS
from csto.procedures.floor import INJECT_KINDS
from csto.report.events import describe
from csto.rules import RefusedError
from csto.sim.catalog import bundled
from csto.sim.scenario import Scenario
from csto.web import roles
from csto.web.geo import map_data
from csto.web.room import LEVELS, POSITIONS, STEPS, Room, RoomError, refusal_dict
from csto.web.store import Store, User, migrate, schema_version
from csto.web.visibility import visible

HERE = Path(__file__).parent
log = logging.getLogger("csto.web")
SESSION_TTL_S = 8 * 3600
TOKEN_TTL = dt.timedelta(hours=12)


@dataclass
class AppState:
    """What the app holds between requests: the database, the data, and the open rooms."""

    ledger: SqlLedger
    store: Store
    ds: Dataset
    params: PolicyParams
    scenarios: dict[str, Scenario]
    session_ttl_s: int
    rooms: dict[str, Room] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def room(self, ex_id: str) -> Room:
        with self.lock:
            room = self.rooms.get(ex_id)
            if room is not None:
                return room
            meta = self.store.exercise(ex_id)
            if meta is None:
                raise NotFound(f"no exercise '{ex_id}'")
            sc = self.scenarios[meta["scenario"]]
            room = Room.load(ex_id, self.ledger, self.ds, self.params, sc)
            self.rooms[ex_id] = room
            return room


class NotFound(CstoError):
    """Something named in the URL does not exist (HTTP 404)."""


class Unauthenticated(Exception):
    """No valid session cookie or bearer token (HTTP 401, or a redirect to the login page)."""


# ---------------------------------------------------------------------- API models
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
    status: Literal["ok"]
    version: str
    alliance: str
    database: str
    schema_version: int
    ledger_events: int
    ledger_head: str | None
    exercises: int


class ExerciseIn(BaseModel):
    scenario: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1, max_length=200)
    seed: int = Field(0, ge=0, le=2**31 - 1)


def _choices(name: str, values: tuple[str, ...]) -> type[enum.StrEnum]:
    """An enum of the room's own constants, so the API schema lists them and nothing is written twice."""
    return enum.StrEnum(name, {v: v for v in values})  # type: ignore[return-value]


StepKind = _choices("StepKind", STEPS)
Position = _choices("Position", POSITIONS)
Level = _choices("Level", LEVELS)
InjectKind = _choices("InjectKind", INJECT_KINDS)
SessionFormat = _choices("SessionFormat", SESSION_FORMATS)


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


def _room_params(step: StepIn) -> dict[str, Any]:
    p = step.model_dump(mode="json", exclude_none=True, exclude={"kind", "state"})
    if "inject_kind" in p:
        p["kind"] = p.pop("inject_kind")
    return p


# ---------------------------------------------------------------------- who is asking
def bearer_user(request: Request) -> User:
    """The user of a bearer token (API routes)."""
    st: AppState = request.app.state.csto
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send Authorization: Bearer <token> (POST /api/token)")
    user = st.store.token_user(token.strip())
    if user is None:
        raise Unauthenticated("the token is unknown or has expired")
    _enforce(request, user)
    return user


def _enforce(request: Request, user: User) -> None:
    """The role matrix, checked for every request before its handler runs."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    roles.check_endpoint(user.role, user.state, request.method, path)


def page_user(request: Request) -> User:
    """The user of a signed session cookie (pages), allowed by the role matrix to open this page."""
    user = session_user(request)
    _enforce(request, user)
    return user


def session_user(request: Request) -> User:
    """The user of a signed session cookie; a session older than its lifetime is over."""
    st: AppState = request.app.state.csto
    name = request.session.get("user")
    issued = request.session.get("issued", 0)
    now = int(dt.datetime.now(dt.UTC).timestamp())
    if not name:
        raise Unauthenticated("log in")
    if now - int(issued) > st.session_ttl_s:
        _logout(request)
        raise Unauthenticated("the session has expired: log in again")
    user = st.store.user(str(name))
    if user is None:
        _logout(request)
        raise Unauthenticated("log in")
    return user


def _logout(request: Request) -> None:
    """End the login but keep the CSRF token, so that a login form already on screen still works."""
    request.session.pop("user", None)
    request.session.pop("issued", None)


ApiUser = Annotated[User, Depends(bearer_user)]
PageUser = Annotated[User, Depends(page_user)]


# ---------------------------------------------------------------------- the app
def create_app(
    db: str,
    *,
    alliance: str = "csto",
    data_dir: str | Path | None = None,
    secret: str | None = None,
    session_ttl_s: int = SESSION_TTL_S,
) -> FastAPI:
    """The exercise room on the ledger at ``db`` (a SQLite path or a PostgreSQL URL)."""
    ds, params, scenarios = _data(alliance, None if data_dir is None else str(data_dir))
    ledger = open_ledger(db)
    migrate(ledger.engine)
    store = Store(ledger.engine)
    key = secret or store.setting("session_secret", lambda: secrets.token_urlsafe(48))
    st = AppState(
        ledger=ledger,
        store=store,
        ds=ds,
        params=params,
        scenarios=scenarios,
        session_ttl_s=session_ttl_s,
    )
    app = FastAPI(
        title="csto exercise room",
        version=__version__,
        description="Delegations sit at the Council; the engine holds everyone to the treaty. "
        "Authenticate with POST /api/token, then send `Authorization: Bearer <token>`.",
        responses=COMMON_RESPONSES,
    )
    app.state.csto = st
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        max_age=session_ttl_s,
        same_site="strict",
        session_cookie="csto_session",
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["version"] = __version__
    templates.env.filters["describe"] = lambda e: describe(e.type, e.data)

    # ------------------------------------------------------------------ who is asking
    def csrf_token(request: Request) -> str:
        tok = request.session.get("csrf")
        if not tok:
            tok = secrets.token_urlsafe(32)
            request.session["csrf"] = tok
        return str(tok)

    async def check_csrf(request: Request) -> None:
        expected = request.session.get("csrf")
        sent = request.headers.get("x-csrf-token")
        if sent is None:
            form = await request.form()
            v = form.get("csrf_token")
            sent = v if isinstance(v, str) else None
        if not expected or not sent or not secrets.compare_digest(str(expected), sent):
            raise roles.Forbidden("the form's CSRF token is missing or wrong: reload the page and try again")

    def render(request: Request, name: str, user: User | None, status: int = 200, **ctx: Any) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            name,
            {"user": user, "csrf": csrf_token(request), "roles": roles, "alliance": ds.info, **ctx},
            status_code=status,
        )

    # ------------------------------------------------------------------ errors: no traceback, ever
    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path in ("/openapi.json",)

    @app.exception_handler(Unauthenticated)
    async def _unauth(request: Request, exc: Unauthenticated) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"error": "unauthenticated", "detail": str(exc)},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login?next=" + request.url.path, status_code=303)

    @app.exception_handler(roles.Forbidden)
    async def _forbidden(request: Request, exc: roles.Forbidden) -> Response:
        if wants_json(request):
            return JSONResponse({"error": "forbidden", "detail": exc.reason}, status_code=403)
        return render(
            request, "error.html", _maybe_user(request), status=403, title="Not allowed", message=exc.reason
        )

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        if wants_json(request):
            return JSONResponse({"error": "not_found", "detail": exc.message}, status_code=404)
        return render(
            request, "error.html", _maybe_user(request), status=404, title="Not found", message=exc.message
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        if wants_json(request):
            return JSONResponse({"error": "invalid", "detail": errors}, status_code=422)
        msg = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in errors)
        return render(request, "error.html", _maybe_user(request), status=422, title="Bad input", message=msg)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"error": "http", "detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
            )
        return render(
            request,
            "error.html",
            _maybe_user(request),
            status=exc.status_code,
            title=f"Error {exc.status_code}",
            message=str(exc.detail),
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        if wants_json(request):
            return JSONResponse(
                {"error": "internal", "detail": "internal error (logged on the server)"}, status_code=500
            )
        return render(
            request,
            "error.html",
            None,
            status=500,
            title="Internal error",
            message="Something went wrong; it was logged on the server.",
        )

    def _maybe_user(request: Request) -> User | None:
        try:
            return session_user(request)
        except Unauthenticated:
            return None

    def step_error(exc: Exception) -> tuple[int, dict[str, Any]]:
        """An error of a room step as (HTTP status, JSON body)."""
        if isinstance(exc, RefusedError):
            return 409, {"error": "refused", **refusal_dict(exc.refused)}
        if isinstance(exc, InputError):
            return 422, {
                "error": "invalid",
                "detail": [
                    {
                        "loc": ["body", exc.field or "kind"],
                        "msg": exc.message,
                        "type": "value_error",
                        "expected": exc.expected,
                    }
                ],
            }
        if isinstance(exc, RoomError):
            return 409, {"error": "conflict", "detail": exc.message, "field": exc.field}
        if isinstance(exc, CstoError):
            return 409, {"error": "conflict", "detail": exc.message, "field": exc.field}
        raise exc

    def take_step(user: User, room: Room, step: StepIn) -> list[Any]:
        grant = roles.STEP_GRANT[str(step.kind)]
        actor = roles.authorize(user.role, user.state, grant, step.state)
        if grant == "request.lodge" and user.role == "control":
            holder = room.floor.seats.get(actor)
            if holder is not None:
                raise roles.Forbidden(
                    f"{actor}'s seat is held by {holder}: its delegation lodges the request"
                )
        return room.act(str(step.kind), actor, _room_params(step), user.username)

    # ------------------------------------------------------------------ API
    @app.get("/api/health", response_model=Health, tags=["app"])
    def health() -> Health:
        head = ledger.head()
        return Health(
            status="ok",
            version=__version__,
            alliance=ds.info.id,
            database=ledger.kind,
            schema_version=schema_version(ledger.engine),
            ledger_events=head.seq if head else 0,
            ledger_head=head.hash if head else None,
            exercises=len(store.exercises()),
        )

    @app.post(
        "/api/token",
        response_model=TokenOut,
        tags=["auth"],
        responses={401: {"description": "bad credentials"}},
    )
    def token(body: TokenIn) -> TokenOut | JSONResponse:
        user = store.check_password(body.username, body.password)
        if user is None:
            return JSONResponse(
                {"error": "unauthenticated", "detail": "wrong user name or password"}, status_code=401
            )
        tok, exp = store.issue_token(user.username, TOKEN_TTL)
        return TokenOut(
            token=tok, expires_at=exp, user=UserOut(username=user.username, role=user.role, state=user.state)
        )

    @app.get("/api/me", response_model=UserOut, tags=["auth"])
    def me(user: ApiUser) -> UserOut:
        return UserOut(username=user.username, role=user.role, state=user.state)

    @app.get("/api/roles", tags=["auth"])
    def role_matrix(user: ApiUser) -> list[dict[str, object]]:
        return roles.matrix_table()

    @app.get("/api/members", tags=["data"])
    def members(user: ApiUser, at: dt.date | None = None) -> dict[str, Any]:
        day = at or dt.date.today()
        try:
            return map_data(ds, day)
        except InputError as exc:
            return JSONResponse(
                {
                    "error": "invalid",
                    "detail": [{"loc": ["query", "at"], "msg": exc.message, "type": "value_error"}],
                },
                status_code=422,
            )  # type: ignore[return-value]

    @app.get("/api/map", tags=["data"])
    def api_map(
        user: ApiUser, exercise: Annotated[str | None, Query(max_length=40)] = None
    ) -> dict[str, Any]:
        return _map(exercise)

    def _map(exercise: str | None) -> dict[str, Any]:
        if exercise:
            room = st.room(exercise)
            return map_data(ds, room.now.date(), room)
        return map_data(ds, dt.date.today())

    @app.get("/api/scenarios", tags=["scenarios"])
    def api_scenarios(user: ApiUser) -> list[dict[str, Any]]:
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

    @app.post("/api/scenarios/{scenario_id}/run", tags=["scenarios"])
    def api_run(scenario_id: str, body: RunIn, user: ApiUser) -> dict[str, Any]:
        out: dict[str, Any] = _run(scenario_id, body.trials, body.seed).to_dict()
        return out

    def _run(scenario_id: str, trials: int, seed: int) -> Any:
        from csto.sim.montecarlo import run_crisis

        sc = st.scenarios.get(scenario_id)
        if sc is None:
            raise NotFound(f"no scenario '{scenario_id}'")
        return run_crisis(ds, sc, trials=trials, seed=seed)

    @app.get("/api/exercises", tags=["exercises"])
    def api_exercises(user: ApiUser) -> list[dict[str, Any]]:
        return store.exercises()

    def _create(user: User, body: ExerciseIn) -> Room:
        sc = st.scenarios.get(body.scenario)
        if sc is None:
            raise InputError(
                f"no scenario '{body.scenario}'",
                field="scenario",
                expected="one of: " + ", ".join(st.scenarios),
            )
        ex_id = "x" + secrets.token_hex(4)
        room = Room.create(ex_id, ledger, ds, params, sc, body.title, body.seed)
        store.add_exercise(ex_id, body.title, sc.id, user.username)
        with st.lock:
            st.rooms[ex_id] = room
        return room

    @app.post("/api/exercises", status_code=201, tags=["exercises"])
    def api_create(body: ExerciseIn, user: ApiUser) -> Any:
        try:
            return _create(user, body).state()
        except InputError as exc:
            return JSONResponse(step_error(exc)[1], status_code=422)

    @app.get("/api/exercises/{ex_id}", tags=["exercises"])
    def api_exercise(ex_id: str, user: ApiUser) -> dict[str, Any]:
        room = st.room(ex_id)
        room.refresh()
        return room.state()

    @app.post(
        "/api/exercises/{ex_id}/steps",
        tags=["exercises"],
        responses={
            403: {"description": "the role may not take this step"},
            409: {"description": "refused (with the article) or not possible now"},
        },
    )
    def api_step(ex_id: str, step: StepIn, user: ApiUser) -> Any:
        room = st.room(ex_id)
        try:
            stored = take_step(user, room, step)
        except (CstoError, RefusedError) as exc:
            code, body = step_error(exc)
            return JSONResponse(body, status_code=code)
        return {
            "events": [{"seq": e.seq, "type": e.type, "text": describe(e.type, e.data)} for e in stored],
            "state": room.state(timeline=False),
        }

    def _aar(room: Room) -> dict[str, Any]:
        rep = ledger.verify()
        return room.aar(rep.ok, rep.head_hash, {})

    @app.get("/api/exercises/{ex_id}/aar", tags=["exercises"])
    def api_aar(ex_id: str, user: ApiUser) -> dict[str, Any]:
        return _aar(st.room(ex_id))

    @app.get("/api/ledger", tags=["ledger"])
    def api_ledger(
        user: ApiUser,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        events = []
        for e in ledger.read(after_seq=after):
            events.append(e)
            if len(events) >= limit:
                break
        return visible(events, user, ledger, ds)

    @app.get("/api/ledger/verify", tags=["ledger"])
    def api_verify(user: ApiUser) -> dict[str, object]:
        return ledger.verify().to_dict()

    # ------------------------------------------------------------------ pages
    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> HTMLResponse:
        return render(request, "login.html", None, next=next if next.startswith("/") else "/", error=None)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        await check_csrf(request)
        form = await request.form()
        username, password = str(form.get("username") or ""), str(form.get("password") or "")
        nxt = str(form.get("next") or "/")
        user = store.check_password(username, password) if username and password else None
        if user is None:
            return render(
                request,
                "login.html",
                None,
                status=401,
                next=nxt,
                error="Wrong user name or password.",
                username=username,
            )
        request.session.clear()
        request.session["user"] = user.username
        request.session["issued"] = int(dt.datetime.now(dt.UTC).timestamp())
        request.session["csrf"] = secrets.token_urlsafe(32)
        return RedirectResponse(
            nxt if nxt.startswith("/") and not nxt.startswith("//") else "/", status_code=303
        )

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        await check_csrf(request)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(request: Request, user: PageUser, at: dt.date | None = None) -> HTMLResponse:
        day = at or dt.date.today()
        data = map_data(ds, day)
        from csto.model import view_at

        view = view_at(ds, day)
        return render(
            request, "dashboard.html", user, day=day, data=data, view=view, exercises=store.exercises()[:10]
        )

    @app.get("/exercises", response_class=HTMLResponse, include_in_schema=False)
    def exercises_page(request: Request, user: PageUser) -> HTMLResponse:
        return render(
            request,
            "exercises.html",
            user,
            exercises=store.exercises(),
            scenarios=list(st.scenarios.values()),
            errors={},
            form={},
        )

    @app.post("/exercises", include_in_schema=False)
    async def exercises_create(request: Request, user: PageUser) -> Response:
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
            errors = _form_errors(exc)
        else:
            try:
                room = _create(user, body)
            except InputError as exc:
                errors = {exc.field or "scenario": exc.message}
            else:
                return RedirectResponse(f"/exercises/{room.id}", status_code=303)
        return render(
            request,
            "exercises.html",
            user,
            status=422,
            exercises=store.exercises(),
            scenarios=list(st.scenarios.values()),
            errors=errors,
            form=data,
        )

    def _room_ctx(room: Room, user: User) -> dict[str, Any]:
        s = room.state()
        return {
            "room": room,
            "s": s,
            "levels": LEVELS,
            "positions": POSITIONS,
            "inject_kinds": INJECT_KINDS,
            "may": lambda a: roles.allowed(user.role, a),
        }

    @app.get("/exercises/{ex_id}", response_class=HTMLResponse, include_in_schema=False)
    def room_page(request: Request, ex_id: str, user: PageUser) -> HTMLResponse:
        room = st.room(ex_id)
        room.refresh()
        return render(request, "room.html", user, **_room_ctx(room, user), errors={}, refusal=None, form={})

    @app.get("/exercises/{ex_id}/panel", response_class=HTMLResponse, include_in_schema=False)
    def room_panel(request: Request, ex_id: str, user: PageUser) -> HTMLResponse:
        room = st.room(ex_id)
        room.refresh()
        return render(
            request, "_room_panel.html", user, **_room_ctx(room, user), errors={}, refusal=None, form={}
        )

    @app.post("/exercises/{ex_id}/step/{kind}", include_in_schema=False)
    async def room_step(request: Request, ex_id: str, kind: str, user: PageUser) -> Response:
        await check_csrf(request)
        room = st.room(ex_id)
        form = await request.form()
        data = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token" and v != ""}
        errors: dict[str, str] = {}
        refusal = None
        forbidden = False
        try:
            step = StepIn.model_validate({"kind": kind, **data})
        except (ValueError, TypeError) as exc:
            errors = _form_errors(exc)
        else:
            try:
                take_step(user, room, step)
            except RefusedError as exc:
                refusal = refusal_dict(exc.refused)
            except InputError as exc:
                errors = {
                    exc.field or "kind": exc.message + (f" (expected {exc.expected})" if exc.expected else "")
                }
            except CstoError as exc:
                errors = {"_": exc.message}
            except roles.Forbidden as exc:
                errors = {"_": exc.reason}
                forbidden = True
        if not request.headers.get("hx-request") and not errors and refusal is None:
            return RedirectResponse(f"/exercises/{ex_id}", status_code=303)
        status = 200 if not errors and refusal is None else (409 if refusal else 403 if forbidden else 422)
        if request.headers.get("hx-request"):
            # htmx swaps only 2xx responses by default: the panel (with the error inline) always comes back as 200
            status = 200
        tpl = "_room_panel.html" if request.headers.get("hx-request") else "room.html"
        return render(
            request,
            tpl,
            user,
            status=status,
            **_room_ctx(room, user),
            errors={f"{kind}.{k}": v for k, v in errors.items()},
            refusal=refusal,
            form={"kind": kind, **data},
        )

    @app.get("/exercises/{ex_id}/stream", include_in_schema=False)
    async def room_stream(request: Request, ex_id: str, user: PageUser) -> StreamingResponse:
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

        return StreamingResponse(
            events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    @app.get("/exercises/{ex_id}/map.json", include_in_schema=False)
    def room_map(ex_id: str, user: PageUser) -> dict[str, Any]:
        return _map(ex_id)

    @app.get("/map.json", include_in_schema=False)
    def dash_map(user: PageUser, at: dt.date | None = None) -> dict[str, Any]:
        return map_data(ds, at or dt.date.today())

    @app.get("/exercises/{ex_id}/aar", response_class=HTMLResponse, include_in_schema=False)
    def aar_page(request: Request, ex_id: str, user: PageUser) -> HTMLResponse:
        from csto.report.aar import troop_curve_png

        room = st.room(ex_id)
        room.refresh()
        a = _aar(room)
        curve = base64.b64encode(troop_curve_png(a)).decode()
        return render(request, "aar.html", user, a=a, room=room, curve=curve)

    @app.get("/exercises/{ex_id}/aar.html", include_in_schema=False)
    def aar_html(ex_id: str, user: PageUser) -> Response:
        from csto.report.aar import render_html

        room = st.room(ex_id)
        return Response(
            render_html(_aar(room)),
            media_type="text/html",
            headers={"Content-Disposition": f'attachment; filename="aar-{ex_id}.html"'},
        )

    @app.get("/exercises/{ex_id}/aar.pdf", include_in_schema=False)
    def aar_pdf(ex_id: str, user: PageUser) -> Response:
        from csto.report.aar import render_pdf

        room = st.room(ex_id)
        return Response(
            render_pdf(_aar(room)),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="aar-{ex_id}.pdf"'},
        )

    @app.get("/scenarios", response_class=HTMLResponse, include_in_schema=False)
    def scenarios_page(request: Request, user: PageUser) -> HTMLResponse:
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

    @app.post("/scenarios", response_class=HTMLResponse, include_in_schema=False)
    async def scenarios_run(request: Request, user: PageUser) -> HTMLResponse:
        await check_csrf(request)
        form = await request.form()
        data = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        errors: dict[str, str] = {}
        result, images = None, {}
        try:
            body = RunIn.model_validate({"trials": data.get("trials") or 0, "seed": data.get("seed") or 0})
        except (ValueError, TypeError) as exc:
            errors = _form_errors(exc)
        else:
            if data.get("scenario") not in st.scenarios:
                errors = {"scenario": "pick one of the scenarios"}
            else:
                from csto.report.crisis import odds_png, votes_png

                result = await asyncio.to_thread(_run, data["scenario"], body.trials, body.seed)
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

    @app.get("/ledger", response_class=HTMLResponse, include_in_schema=False)
    def ledger_page(
        request: Request, user: PageUser, after: Annotated[int, Query(ge=0)] = 0, verify: bool = False
    ) -> HTMLResponse:
        events = []
        for e in ledger.read(after_seq=after):
            events.append(e)
            if len(events) >= 100:
                break
        report = ledger.verify() if verify else None
        head = ledger.head()
        rows = visible(events, user, ledger, ds)
        return render(request, "ledger.html", user, events=rows, after=after, report=report, head=head)

    return app


@functools.cache
def _data(alliance: str, data_dir: str | None) -> tuple[Dataset, PolicyParams, dict[str, Scenario]]:
    """The dataset, policy and bundled scenarios (read once per process: they are frozen)."""
    ds = load_dataset(alliance, data_dir=data_dir)
    return ds, load_policy(ds), {s.id: s for s in bundled(ds)}


def _form_errors(exc: Exception) -> dict[str, str]:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        out: dict[str, str] = {}
        for e in exc.errors():
            loc = e.get("loc", ())
            out[str(loc[-1]) if loc else "_"] = str(e.get("msg", "invalid"))
        return out
    return {"_": str(exc)}
