"""The doors: the public health check, API tokens (``POST /api/token``, ``POST /api/logout``), who am I and
the role matrix, and the pages' login and logout (a server-side session named by the signed cookie, CSRF on
both forms). Every password check goes through ``throttle`` (failures per account and address, a bounded
number of hashes at once). The only public routes live here.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from csto import __version__
from csto.web import roles
from csto.web.deps import (
    ApiViewer,
    State,
    Unauthenticated,
    bearer_token,
    bearer_user,
    check_csrf,
    end_session,
    start_session,
)
from csto.web.render import render
from csto.web.schemas import Health, TokenIn, TokenOut, UserOut
from csto.web.state import AppState
from csto.web.store import User, schema_version
from csto.web.throttle import TooManyAttempts

router = APIRouter()
#: The grant whose holders see the health check's details (the route itself is public).
HEALTH_DETAILS = "server.details"


@router.get("/api/health", response_model=Health, response_model_exclude_unset=True, tags=["app"])
def health(request: Request, st: State) -> Health:
    """That the server is up; the details (database, schema, ledger head, counts) only for Control's token."""
    try:
        user = bearer_user(request)
    except Unauthenticated:
        user = None
    if user is None or not roles.allowed(user.role, HEALTH_DETAILS):
        return Health(status="ok")
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


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_login(st: AppState, request: Request, username: str, password: str) -> User | None:
    """The user if the password is right, else None; ``TooManyAttempts`` while the account or the client's
    address must wait after repeated failures, ``Busy`` when the queue of password checks is full."""
    account, address = f"user:{username}", f"addr:{client_address(request)}"
    st.throttle.check([(account, "account"), (address, "address")])
    user = st.gate.run(lambda: st.store.check_password(username, password))
    if user is None:
        st.throttle.failed([account, address])
    else:
        st.throttle.succeeded(account)
    return user


@router.post(
    "/api/token",
    response_model=TokenOut,
    tags=["auth"],
    responses={
        401: {"description": "bad credentials"},
        429: {"description": "too many failed logins for the account or address (see Retry-After)"},
        503: {"description": "too many password checks at once (see Retry-After)"},
    },
)
def token(body: TokenIn, request: Request, st: State) -> TokenOut | JSONResponse:
    """A bearer token lasting as long as a login does (``csto serve --session-minutes``)."""
    user = check_login(st, request, body.username, body.password)
    if user is None:
        return JSONResponse(
            {"error": "unauthenticated", "detail": "wrong user name or password"}, status_code=401
        )
    tok, exp = st.store.issue_token(user.username, dt.timedelta(seconds=st.session_ttl_s))
    return TokenOut(
        token=tok, expires_at=exp, user=UserOut(username=user.username, role=user.role, state=user.state)
    )


@router.post("/api/logout", tags=["auth"], responses={401: {"description": "no valid bearer token"}})
def api_logout(request: Request, user: ApiViewer, st: State) -> dict[str, str]:
    """Revoke the bearer token this request carries: it no longer authenticates anything."""
    st.store.revoke_token(bearer_token(request))
    return {"revoked": "token", "username": user.username}


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
    status, error, headers = 401, "Wrong user name or password.", {}
    user = None
    if username and password:
        try:
            user = check_login(st, request, username, password)
        except TooManyAttempts as exc:
            status, error = 429, f"Too many failed logins: try again in {exc.retry_after_s} s."
            headers = {"Retry-After": str(exc.retry_after_s)}
    if user is None:
        page = render(request, "login.html", None, status=status, next=nxt, error=error, username=username)
        page.headers.update(headers)
        return page
    start_session(request, user)
    return RedirectResponse(nxt if nxt.startswith("/") and not nxt.startswith("//") else "/", status_code=303)


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    """End the session on the server (a saved copy of the cookie logs no one in) and in the browser."""
    await check_csrf(request)
    end_session(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
