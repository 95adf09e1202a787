"""The doors: the public health check, API tokens (``POST /api/token``), who am I and the role matrix, and
the pages' login and logout (signed session cookie, CSRF on both forms). The only public routes live here.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from csto import __version__
from csto.web import roles
from csto.web.deps import ApiViewer, State, check_csrf, start_session
from csto.web.render import render
from csto.web.schemas import Health, TokenIn, TokenOut, UserOut
from csto.web.store import schema_version

#: How long an API token lasts.
TOKEN_TTL = dt.timedelta(hours=12)

router = APIRouter()


@router.get("/api/health", response_model=Health, tags=["app"])
def health(st: State) -> Health:
    head = st.ledger.head()
    return Health(
        status="ok",
        version=__version__,
        alliance=st.ds.info.id,
        database=st.ledger.kind,
        schema_version=schema_version(st.ledger.engine),
        ledger_events=head.seq if head else 0,
        ledger_head=head.hash if head else None,
        exercises=len(st.store.exercises()),
    )


@router.post(
    "/api/token",
    response_model=TokenOut,
    tags=["auth"],
    responses={401: {"description": "bad credentials"}},
)
def token(body: TokenIn, st: State) -> TokenOut | JSONResponse:
    user = st.store.check_password(body.username, body.password)
    if user is None:
        return JSONResponse(
            {"error": "unauthenticated", "detail": "wrong user name or password"}, status_code=401
        )
    tok, exp = st.store.issue_token(user.username, TOKEN_TTL)
    return TokenOut(
        token=tok, expires_at=exp, user=UserOut(username=user.username, role=user.role, state=user.state)
    )


@router.get("/api/me", response_model=UserOut, tags=["auth"])
def me(user: ApiViewer) -> UserOut:
    return UserOut(username=user.username, role=user.role, state=user.state)


@router.get("/api/roles", tags=["auth"])
def role_matrix(user: ApiViewer) -> list[dict[str, object]]:
    return roles.matrix_table()


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", None, next=next if next.startswith("/") else "/", error=None)


@router.post("/login", include_in_schema=False)
async def login(request: Request, st: State) -> Response:
    await check_csrf(request)
    form = await request.form()
    username, password = str(form.get("username") or ""), str(form.get("password") or "")
    nxt = str(form.get("next") or "/")
    user = st.store.check_password(username, password) if username and password else None
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
    start_session(request, user)
    return RedirectResponse(nxt if nxt.startswith("/") and not nxt.startswith("//") else "/", status_code=303)


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    await check_csrf(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
