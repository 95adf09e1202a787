"""Property-based fuzzing of the JSON API from its own OpenAPI spec (schemathesis 4.x, in-process over ASGI).

The spec is fuzzed three times (examples, coverage and fuzzing phases; positive and negative data): as
Control, as a delegation (KAZ) and with no token at all, so both the 401/403 paths and the real handlers
run. Bearer auth is not declared in the spec, so every case gets its ``Authorization`` header here, and a
deterministic share of the cases (picked by a hash of the generated value) is pointed at real objects:
``{ex_id}`` / ``?exercise=`` at an exercise made for the run, ``{scenario_id}`` and ``scenario`` at bundled
scenarios, ``state`` at a member, and ``POST /api/token`` at real credentials; the Monte Carlo's
``trials`` are capped at ``MAX_TRIALS``. A value is only ever swapped for another valid one.

The checks: no 5xx (``not_a_server_error``; an unhandled exception also fails the call itself), no
"Traceback" in any body, every 422 names the field (``detail`` is a list of errors with a ``loc``), and
responses with a documented status match the documented schema and content type. Generation is
derandomized with a fixed seed, so a run is reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from csto.web.throttle import LoginThrottle
from tests.web.conftest import PASSWORD, Api, make_app

SEED = 20_240_601
MAX_EXAMPLES = 40
#: Monte Carlo trials are capped for speed; the schema's own bounds (10..20000) still hold.
MAX_TRIALS = 200


# ---------------------------------------------------------------------- checks
def no_traceback(ctx: Any, response: Any, case: Any) -> None:
    """No body ever carries a Python traceback."""
    assert b"Traceback" not in (response.content or b""), "response body contains a traceback"


def invalid_names_the_field(ctx: Any, response: Any, case: Any) -> None:
    """A 422 says which field is wrong: ``detail`` is a non-empty list of errors with a ``loc``."""
    if response.status_code != 422:
        return
    body = json.loads(response.content)
    detail = body.get("detail") if isinstance(body, dict) else None
    assert isinstance(detail, list) and detail, f"422 without a list of errors: {body!r}"
    for item in detail:
        assert isinstance(item, dict) and isinstance(item.get("loc"), list), (
            f"422 error without loc: {item!r}"
        )


#: Conformance is checked for documented statuses only (both built-ins skip the others): the spec leaves out
#: the 401/403/404/400 the app answers with, so ``status_code_conformance`` is not run.
CHECKS = [
    not_a_server_error,
    no_traceback,
    invalid_names_the_field,
    response_schema_conformance,
    content_type_conformance,
]
#: The operations behind a bearer token (all but health and token).
AUTHED = {
    "GET /api/me",
    "POST /api/logout",
    "GET /api/roles",
    "GET /api/members",
    "GET /api/map",
    "GET /api/scenarios",
    "POST /api/scenarios/{scenario_id}/run",
    "GET /api/exercises",
    "POST /api/exercises",
    "GET /api/exercises/{ex_id}",
    "POST /api/exercises/{ex_id}/steps",
    "GET /api/exercises/{ex_id}/aar",
    "GET /api/ledger",
    "GET /api/ledger/verify",
}
MEMBERS = ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]


# ---------------------------------------------------------------------- fixtures
@dataclass
class Who:
    user: str | None
    headers: dict[str, str]
    ex_id: str
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    db: Path = tmp_path_factory.mktemp("fuzz") / "room.db"
    app = make_app(str(db))
    # the fuzz sends many wrong passwords from one address: no lockout here (tests/web/test_revocation.py
    # tests the throttle), so that the identities' own logins still work after it
    app.state.csto.throttle = LoginThrottle(free=10**9)
    return app


@pytest.fixture(scope="module")
def fuzz_api(fuzz_app: FastAPI) -> Iterator[Api]:
    with TestClient(fuzz_app) as client:
        yield Api(client)


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app: FastAPI, who: Who) -> Any:
    """The spec, loaded once per identity (``who`` is parametrized; the lazy schema's test inherits that)."""
    config = schemathesis.Config.from_dict({"seed": SEED, "generation": {"deterministic": True}})
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=config)


@pytest.fixture(scope="module", params=["ctl", "kaz", None], ids=["control", "delegation", "anonymous"])
def who(request: pytest.FixtureRequest, fuzz_api: Api) -> Iterator[Who]:
    """One identity per run, with an exercise of its own (made by Control) for the ``{ex_id}`` paths."""
    user: str | None = request.param
    ex_id = fuzz_api.create(title=f"Fuzz {user or 'anonymous'}")
    headers: dict[str, str] = {}
    if user is not None:
        headers = fuzz_api.headers(user)
        assert fuzz_api.client.get("/api/me", headers=headers).status_code == 200
    who = Who(user, headers, ex_id)
    yield who
    _record(who)
    # The fuzz got past the auth wall and the 404s into the handlers (a guard against fuzzing nothing).
    seen: dict[str, set[int]] = {}
    for label, status in who.statuses:
        seen.setdefault(label, set()).add(status)
    if user is None:
        assert all(codes <= {401, 400, 405, 422} for label, codes in seen.items() if label in AUTHED), seen
    else:
        for label in ("GET /api/exercises/{ex_id}", "GET /api/exercises/{ex_id}/aar", "GET /api/map"):
            assert 200 in seen.get(label, set()), (label, seen)
        assert 200 in seen["POST /api/scenarios/{scenario_id}/run"], seen
        assert seen["POST /api/exercises/{ex_id}/steps"] & {200, 409}, seen


FIGURES = Path(__file__).resolve().parents[1] / "reliability" / ".figures"


def _record(who: Who) -> None:
    """Add this identity's requests to the figures the README's Reliability table is made from."""
    FIGURES.mkdir(exist_ok=True)
    path = FIGURES / "fuzz-api.json"
    fig = json.loads(path.read_text()) if path.exists() else {}
    if fig.get("identities", {}).get(who.user or "anonymous") is not None:
        fig = {}  # a new run
    ids = fig.setdefault("identities", {})
    ids[who.user or "anonymous"] = sum(who.statuses.values())
    errors = sum(n for (_label, status), n in who.statuses.items() if status >= 500)
    fig["server_errors"] = fig.get("server_errors", 0) + errors
    fig["cases"] = sum(ids.values())
    path.write_text(json.dumps(fig) + "\n")


@pytest.fixture(autouse=True)
def _nodeid_shim(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32's lazy schemas read and write ``item._nodeid``, which pytest 9.2 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


# ---------------------------------------------------------------------- the fuzz
schema = schemathesis.pytest.from_fixture("fuzz_schema")


def _share(value: Any, n: int) -> bool:
    """Whether ``value`` falls in a fixed one-in-``n`` share (a hash, so the choice is reproducible)."""
    return zlib.crc32(repr(value).encode()) % n == 0


def _steer(case: Any, who: Who, scenarios: list[str]) -> None:
    """Point a share of the cases at real objects. A value is only ever swapped for another valid one, so a
    negative case stays negative and a positive one positive."""
    path, query, body = case.path_parameters or {}, case.query or {}, case.body
    label = case.operation.label
    if "ex_id" in path and not _share(path["ex_id"], 3):
        path["ex_id"] = who.ex_id
    if "scenario_id" in path and not _share(path["scenario_id"], 3):
        path["scenario_id"] = scenarios[zlib.crc32(repr(path["scenario_id"]).encode()) % len(scenarios)]
    if label == "GET /api/map" and "exercise" in query and _share(query["exercise"], 2):
        query["exercise"] = who.ex_id
    if not isinstance(body, dict):
        return
    value = body.get("scenario")
    if label == "POST /api/exercises" and _valid(value, "[a-z0-9][a-z0-9-]*", 64) and _share(value, 2):
        body["scenario"] = scenarios[zlib.crc32(value.encode()) % len(scenarios)]
    value = body.get("state")
    if label == "POST /api/exercises/{ex_id}/steps" and _valid(value, "[A-Z]{3}", 3) and not _share(value, 3):
        body["state"] = MEMBERS[zlib.crc32(value.encode()) % len(MEMBERS)]
    value = body.get("trials")
    if (
        label == "POST /api/scenarios/{scenario_id}/run"
        and type(value) is int
        and MAX_TRIALS < value <= 20_000
    ):
        body["trials"] = 10 + value % (MAX_TRIALS - 10)
    name, password = body.get("username"), body.get("password")
    if (
        label == "POST /api/token"
        and _valid(name, ".+", 64)
        and _valid(password, ".+", 256)
        and _share(body, 6)
    ):
        body.update(username=who.user or "obs", password=PASSWORD)


def _valid(value: Any, pattern: str, max_length: int) -> TypeGuard[str]:
    return (
        isinstance(value, str) and len(value) <= max_length and re.fullmatch(pattern, value, re.S) is not None
    )


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case: Any, who: Who, fuzz_app: FastAPI) -> None:
    _steer(case, who, sorted(fuzz_app.state.csto.scenarios))
    headers = who.headers
    if case.operation.label == "POST /api/logout" and who.user is not None:
        # logging out revokes the token it carries: a token of its own, so the identity's stays valid
        token = fuzz_app.state.csto.store.issue_token(who.user, dt.timedelta(minutes=5))[0]
        headers = {"Authorization": f"Bearer {token}"}
    response = case.call(headers=headers)
    who.statuses[(case.operation.label, response.status_code)] += 1
    case.validate_response(response, checks=CHECKS, headers=headers)
