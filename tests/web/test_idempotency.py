"""``Idempotency-Key`` on the API's writes (issue 20): a retried request with the same key is applied once and
gets the first answer again; the same key with another request, or a malformed key, gets a 422; a retry while
the first runs gets 409; an answer that applied nothing frees the key; keys are per user; an abandoned claim
lapses (on a fake clock)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from csto.web.idempotency import claim, fingerprint
from tests.web.conftest import Api, FakeClock, make_app


def _post(api: Api, user: str, path: str, body: dict[str, object], key: str | None) -> object:
    headers = api.headers(user) | ({"Idempotency-Key": key} if key is not None else {})
    return api.client.post(path, json=body, headers=headers)


def _events(api: Api) -> int:
    return int(api.get("ctl", "/api/health").json()["ledger_events"])


def test_a_retried_create_with_the_same_key_is_applied_once(api: Api) -> None:
    body = {"scenario": "kazakhstan-2022", "title": "Drill"}
    first = _post(api, "ctl", "/api/exercises", body, "create-1")
    events = _events(api)
    again = _post(api, "ctl", "/api/exercises", body, "create-1")
    assert first.status_code == again.status_code == 201  # type: ignore[attr-defined]
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"  # type: ignore[attr-defined]
    assert "idempotent-replayed" not in first.headers  # type: ignore[attr-defined]
    assert [x["id"] for x in api.get("ctl", "/api/exercises").json()] == [first.json()["id"]]  # type: ignore[attr-defined]
    assert _events(api) == events
    other = _post(api, "ctl", "/api/exercises", body, "create-2")  # a new key is a new request
    assert other.json()["id"] != first.json()["id"]  # type: ignore[attr-defined]


def test_a_retried_step_with_the_same_key_is_applied_once(api: Api) -> None:
    ex = api.create()
    path = f"/api/exercises/{ex}/steps"
    before = api.get("ctl", f"/api/exercises/{ex}").json()["version"]
    for _ in range(3):
        r = _post(api, "ctl", path, {"kind": "inject", "text": "news"}, "inject-7")
        assert r.status_code == 200  # type: ignore[attr-defined]
    assert api.get("ctl", f"/api/exercises/{ex}").json()["version"] == before + 1
    injects = [e for e in api.get("ctl", "/api/ledger").json() if e["type"] == "InjectMade"]
    assert len(injects) == 1


def test_the_same_key_for_another_request_or_a_malformed_key_gets_422(api: Api) -> None:
    ex = api.create()
    path = f"/api/exercises/{ex}/steps"
    assert _post(api, "ctl", path, {"kind": "inject", "text": "a"}, "k1").status_code == 200  # type: ignore[attr-defined]
    r = _post(api, "ctl", path, {"kind": "inject", "text": "b"}, "k1")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]  # type: ignore[attr-defined]
    for bad in ("", "a b", "x" * 129, "k/1", "k;1"):
        r = _post(api, "ctl", path, {"kind": "inject", "text": "c"}, bad)
        assert r.status_code == 422, bad  # type: ignore[attr-defined]
        assert r.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]  # type: ignore[attr-defined]


def test_an_answer_that_applied_nothing_frees_the_key(api: Api) -> None:
    ex = api.create()
    path = f"/api/exercises/{ex}/steps"
    r = _post(api, "obs", path, {"kind": "inject", "text": "x"}, "k2")  # an observer may not: 403
    assert r.status_code == 403  # type: ignore[attr-defined]
    bad = _post(api, "ctl", path, {"kind": "advance_clock", "hours": 9999}, "k3")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert _post(api, "ctl", path, {"kind": "inject", "text": "y"}, "k3").status_code == 200  # type: ignore[attr-defined]


def test_keys_are_per_user(api: Api) -> None:
    ex = api.create()
    path = f"/api/exercises/{ex}/steps"
    before = api.get("ctl", f"/api/exercises/{ex}").json()["version"]
    assert _post(api, "ctl", path, {"kind": "inject", "text": "z"}, "same").status_code == 200  # type: ignore[attr-defined]
    assert _post(api, "sg", path, {"kind": "convene"}, "same").status_code in (200, 409)  # type: ignore[attr-defined]
    assert api.get("ctl", f"/api/exercises/{ex}").json()["version"] >= before + 1


@pytest.mark.parametrize("minutes", [5, 11])
def test_a_retry_while_the_first_runs_is_409_and_an_abandoned_claim_lapses(web_db: str, minutes: int) -> None:
    clock = FakeClock()
    with TestClient(make_app(web_db, clock=clock)) as c:
        api = Api(c)
        ex = api.create()
        path = f"/api/exercises/{ex}/steps"
        body = b'{"kind":"inject","text":"late"}'
        store = c.app.state.csto.store  # type: ignore[attr-defined]
        assert (
            claim(store, "ctl", "slow", fingerprint("POST", path, body)).state == "new"
        )  # a request in flight
        clock.advance(minutes=minutes)
        r = c.post(
            path,
            content=body,
            headers={**api.headers("ctl"), "Idempotency-Key": "slow", "content-type": "application/json"},
        )
        assert r.status_code == (409 if minutes < 10 else 200), r.text
