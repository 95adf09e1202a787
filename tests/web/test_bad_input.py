"""Bad input never gives a 500 (issue 20, part 3), on SQLite and PostgreSQL: out-of-range integers, NUL
characters and unpaired surrogates in path ids, queries, token user names, titles and move parameters get a
422 that names the field (``csto.web.inputs``), and a refused create writes nothing (no orphan exercise)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Api, make_app

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def bad_api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    if request.param == "sqlite":
        db = str(tmp_path / "room.db")
    else:
        make: Callable[[], str] = request.getfixturevalue("postgres_url_factory")
        db = make()
    with TestClient(make_app(db), raise_server_exceptions=False) as c:
        yield Api(c)


def _loc(r: object) -> list[object]:
    body = r.json()  # type: ignore[attr-defined]
    assert body["error"] == "invalid", body
    return list(body["detail"][0]["loc"])


@pytest.mark.parametrize(
    ("path", "loc"),
    [
        ("/api/ledger?after=9223372036854775808", ["query", "after"]),
        ("/api/ledger?after=-1", ["query", "after"]),
        ("/api/ledger?limit=99999999999999999999", ["query", "limit"]),
        ("/api/map?exercise=a%00b", ["query", "exercise"]),
        ("/api/exercises/x%00y", ["path", "ex_id"]),
        ("/api/exercises/x%00y/moves", ["path", "ex_id"]),
        ("/api/exercises/x%00y/aar", ["path", "ex_id"]),
        ("/api/members?at=2022-01-01%00", ["query", "at"]),
    ],
)
def test_bad_query_and_path_values_get_422_naming_the_field(bad_api: Api, path: str, loc: list[str]) -> None:
    r = bad_api.get("ctl", path)
    assert r.status_code == 422, r.text
    assert _loc(r) == loc


@pytest.mark.parametrize("escaped", ["ct\\u0000l", "ct\\ud800l"])
def test_a_token_user_name_with_nul_or_a_surrogate_gets_422(bad_api: Api, escaped: str) -> None:
    # written as JSON escapes: httpx cannot encode a lone surrogate itself
    body = '{"username": "' + escaped + '", "password": "whatever-1"}'
    r = bad_api.client.post("/api/token", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert _loc(r) == ["body", "username"]


def test_a_create_with_a_nul_title_is_refused_and_writes_nothing(bad_api: Api) -> None:
    before = bad_api.get("ctl", "/api/health").json()
    listed = bad_api.get("ctl", "/api/exercises").json()
    r = bad_api.post("ctl", "/api/exercises", {"scenario": "kazakhstan-2022", "title": "Drill\x00"})
    assert r.status_code == 422, r.text
    assert _loc(r) == ["body", "title"]
    assert bad_api.get("ctl", "/api/exercises").json() == listed
    after = bad_api.get("ctl", "/api/health").json()
    assert after["ledger_events"] == before["ledger_events"]
    assert after["ledger_head"] == before["ledger_head"]


def test_a_create_of_an_unknown_scenario_writes_nothing(bad_api: Api) -> None:
    before = bad_api.get("ctl", "/api/health").json()
    r = bad_api.post("ctl", "/api/exercises", {"scenario": "no-such-crisis", "title": "Drill"})
    assert r.status_code == 422, r.text
    assert bad_api.get("ctl", "/api/exercises").json() == []
    assert bad_api.get("ctl", "/api/health").json()["ledger_events"] == before["ledger_events"]


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"hours": 10**30}, ["body", "params", "hours"]),
        ({"hours": -(10**19)}, ["body", "params", "hours"]),
        ({"note": "a\x00"}, ["body", "params", "note"]),
        ({"a\x00": 1}, ["body", "params"]),
    ],
)
def test_move_parameters_that_no_column_holds_get_422(
    bad_api: Api, params: dict[str, object], loc: list[str]
) -> None:
    ex = bad_api.create()
    head = bad_api.get("ctl", "/api/health").json()["ledger_events"]
    r = bad_api.post(
        "ctl", f"/api/exercises/{ex}/moves", {"seat": "control", "kind": "advance_clock", "params": params}
    )
    assert r.status_code == 422, r.text
    assert _loc(r) == loc
    assert bad_api.get("ctl", "/api/health").json()["ledger_events"] == head


def test_a_non_finite_number_gets_422(bad_api: Api) -> None:
    ex = bad_api.create()
    r = bad_api.client.post(
        f"/api/exercises/{ex}/steps",
        content=b'{"kind": "advance_clock", "hours": NaN}',
        headers={**bad_api.headers("ctl"), "content-type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert _loc(r) == ["body", "hours"]


def test_a_login_form_with_a_nul_user_name_is_refused_not_a_crash(bad_api: Api) -> None:
    r = bad_api.client.post("/login", data={"username": "ct\x00l", "password": "x", "csrf_token": "t"})
    assert r.status_code == 422, r.text
