"""Deny by default: every route of the app declares who may call it (``deps.require`` with a grant of
``csto.web.roles``) unless it is one of the few public ones listed here, so a new route cannot be forgotten.
Also: API routes take a bearer token and pages the session cookie, and every grant named exists."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from csto.web import roles
from csto.web.deps import require, route_grants
from csto.web.store import User
from tests.web.conftest import Api

#: The routes anyone may call: the health check, getting a token, and the login and logout forms.
PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/token"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
}


def test_every_route_but_the_public_ones_requires_a_grant(app: FastAPI) -> None:
    grants = route_grants(app)
    assert len(grants) >= 30, "the walk found too few routes: are included routers opened?"
    unguarded = {route for route, req in grants.items() if req is None}
    assert unguarded == PUBLIC, f"routes without deps.require: {sorted(unguarded - PUBLIC)}"
    for (method, path), req in grants.items():
        if req is None:
            continue
        assert req.grant in roles.MATRIX, (method, path, req.grant)
        assert req.via == ("token" if path.startswith("/api/") else "session"), (method, path, req.via)


def test_a_route_added_without_a_grant_is_found(app: FastAPI) -> None:
    @app.get("/api/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "x"}

    @app.get("/api/remembered")
    def remembered(user: Annotated[User, Depends(require("ledger.verify"))]) -> dict[str, str]:
        return {"secret": "x"}

    grants = route_grants(app)
    assert grants[("GET", "/api/forgotten")] is None
    req = grants[("GET", "/api/remembered")]
    assert req is not None and req.grant == "ledger.verify" and req.via == "token"


def test_a_declared_grant_is_enforced_before_the_handler(app: FastAPI) -> None:
    calls: list[str] = []

    @app.get("/api/guarded")
    def guarded(user: Annotated[User, Depends(require("exercise.create"))]) -> dict[str, str]:
        calls.append(user.username)
        return {"ok": "yes"}

    with TestClient(app) as client:
        api = Api(client)
        assert client.get("/api/guarded").status_code == 401
        assert api.get("obs", "/api/guarded").status_code == 403
        assert api.get("kaz", "/api/guarded").status_code == 403
        assert api.get("ctl", "/api/guarded").json() == {"ok": "yes"}
    assert calls == ["ctl"]


def test_an_unknown_grant_is_an_error_when_the_route_is_written() -> None:
    with pytest.raises(ValueError, match=r"no grant 'exercise\.delete'"):
        require("exercise.delete")
