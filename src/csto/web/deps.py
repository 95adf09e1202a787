"""The routes' FastAPI dependencies: the app's state, who is asking (a bearer token on the API, a signed
session cookie on the pages, each timed by the app's clock), ``require(grant)`` — the role check every
logged-in route declares — and the CSRF token of the forms.

The grants themselves are ``csto.web.roles``; this module only attaches them to routes. A route without a
``require`` is public: ``route_grants`` lists every route with its grant, and tests/web/test_guards.py fails
for a grant-less route that is not on its short list of public ones (deny by default).
"""

# No ``from __future__ import annotations``: FastAPI reads the signature of ``Requirement.__call__``, and an
# instance has no ``__globals__`` in which string annotations could be resolved.

import datetime as dt
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

import fastapi.routing
from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from csto.web import roles
from csto.web.state import AppState
from csto.web.store import User

Via = Literal["token", "session"]


class Unauthenticated(Exception):
    """No valid session cookie or bearer token (HTTP 401, or a redirect to the login page)."""


def app_state(request: Request) -> AppState:
    st: AppState = request.app.state.csto
    return st


State = Annotated[AppState, Depends(app_state)]


# ---------------------------------------------------------------------- who is asking
def bearer_token(request: Request) -> str:
    """The bearer token the request carries (``Unauthenticated`` without one)."""
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send Authorization: Bearer <token> (POST /api/token)")
    return token.strip()


def bearer_user(request: Request) -> User:
    """The user of a bearer token (API routes): unknown, revoked or expired tokens are refused."""
    user = app_state(request).store.token_user(bearer_token(request))
    if user is None:
        raise Unauthenticated("the token is unknown, revoked or expired")
    return user


def session_user(request: Request) -> User:
    """The user of the session cookie's server-side session: one ended by logout, revoked by ``csto users
    revoke`` or older than its lifetime (on the app's clock) logs no one in, even from a saved cookie."""
    st = app_state(request)
    sid = request.session.get("sid")
    if not sid:
        raise Unauthenticated("log in")
    user = st.store.session_user(str(sid))
    if user is None:
        end_session(request)
        raise Unauthenticated("the session has ended or expired: log in again")
    return user


def start_session(request: Request, user: User) -> None:
    """Log ``user`` in: a fresh server-side session, issued now on the app's clock, with a fresh CSRF token."""
    st = app_state(request)
    request.session.clear()
    request.session["sid"] = st.store.start_session(user.username, dt.timedelta(seconds=st.session_ttl_s))
    request.session["csrf"] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    """End the login, on the server too, but keep the CSRF token, so that a login form already on screen
    still works."""
    sid = request.session.pop("sid", None)
    if sid:
        app_state(request).store.end_session(str(sid))


# ---------------------------------------------------------------------- what they may do
@dataclass(frozen=True)
class Requirement:
    """A route's authorisation: who is asking (``via`` a bearer token or the session cookie), and the grant of
    ``csto.web.roles`` their role needs; checked before the handler runs. Room steps need "view" here and
    then the grant of their kind (``roles.STEP_GRANT``)."""

    grant: str
    via: Via

    def __call__(self, request: Request) -> User:
        user = bearer_user(request) if self.via == "token" else session_user(request)
        self.check(user)
        return user

    def check(self, user: User) -> None:
        """Raise ``roles.Forbidden`` unless ``user``'s role holds the grant."""
        roles.authorize(user.role, user.state, self.grant)


def require(grant: str, via: Via = "token") -> Requirement:
    """The dependency of a route that needs ``grant``, e.g. ``Annotated[User, Depends(require("view"))]``."""
    if grant not in roles.MATRIX:
        raise ValueError(f"no grant '{grant}' in csto.web.roles (one of: {', '.join(roles.ACTIONS)})")
    return Requirement(grant, via)


#: The commonest: anyone logged in, on the API and on the pages.
ApiViewer = Annotated[User, Depends(require("view"))]
PageViewer = Annotated[User, Depends(require("view", via="session"))]


def requirements(dependant: Dependant) -> list[Requirement]:
    """The ``Requirement`` dependencies of a route (at any depth)."""
    out: list[Requirement] = []
    for dep in dependant.dependencies:
        if isinstance(dep.call, Requirement):
            out.append(dep.call)
        out.extend(requirements(dep))
    return out


def route_grants(app: FastAPI) -> dict[tuple[str, str], Requirement | None]:
    """Every route of ``app`` as (method, path template) → its requirement (None for a public route)."""
    out: dict[tuple[str, str], Requirement | None] = {}
    for path, methods, dependant in _api_routes(app):
        found = requirements(dependant)
        for method in methods:
            out[(method, path)] = found[0] if found else None
    return out


def _api_routes(app: FastAPI) -> Iterator[tuple[str, set[str], Dependant]]:
    """(path, methods, dependant) of every API route, also those of included routers: newer FastAPI keeps an
    included router as one nested entry of ``app.routes`` (``iter_route_contexts`` opens it), older FastAPI
    copies its routes into ``app.routes``."""
    contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    if contexts is None:
        for route in app.routes:
            if isinstance(route, APIRoute):
                yield route.path, set(route.methods or ()), route.dependant
        return
    for ctx in contexts(app.routes):
        if isinstance(ctx.original_route, APIRoute):
            yield str(ctx.path), set(ctx.methods or ()), ctx.dependant


# ---------------------------------------------------------------------- forms
def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    tok = request.session.get("csrf")
    if not tok:
        tok = secrets.token_urlsafe(32)
        request.session["csrf"] = tok
    return str(tok)


async def check_csrf(request: Request) -> None:
    """Raise ``roles.Forbidden`` unless the form (or the ``X-CSRF-Token`` header) carries the session's token."""
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        v = form.get("csrf_token")
        sent = v if isinstance(v, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise roles.Forbidden("the form's CSRF token is missing or wrong: reload the page and try again")
