"""The exercise room's JSON API, with httpx (FastAPI's TestClient): health, tokens, a whole exercise on
SQLite and on PostgreSQL, refusals with the article, 422s that name the field, and two app processes
sharing one database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from csto.ledger import open_ledger
from tests.web.conftest import PASSWORD, Api, FakeClock, make_app


def test_health_reports_the_apps_state_to_control_only(api: Api) -> None:
    h = api.get("ctl", "/api/health").json()
    assert h["status"] == "ok" and h["alliance"] == "csto" and h["database"] == "sqlite"
    assert h["schema_version"] == 4 and h["ledger_events"] == 0 and h["exercises"] == 0
    assert h["ledger_head"] is None
    # anyone else learns that the server is up, nothing more (issue 20)
    assert api.client.get("/api/health").json() == {"status": "ok"}
    for user in ("sg", "kaz", "obs"):
        assert api.get(user, "/api/health").json() == {"status": "ok"}, user


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/exercises/{ex_id}/steps" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_tokens_need_the_right_password(client: TestClient) -> None:
    assert (
        client.post("/api/token", json={"username": "ctl", "password": "wrong-password"}).status_code == 401
    )
    assert client.post("/api/token", json={"username": "nobody", "password": PASSWORD}).status_code == 401
    r = client.post("/api/token", json={"username": "ctl", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["user"]["role"] == "control"


def test_the_api_needs_a_valid_bearer_token(client: TestClient) -> None:
    assert client.get("/api/exercises").status_code == 401
    assert client.get("/api/exercises", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert client.get("/api/exercises", headers={"Authorization": "Basic abc"}).status_code == 401


def test_tokens_last_the_session_minutes_and_expired_ones_are_refused(web_db: str) -> None:
    clock = FakeClock()
    with TestClient(make_app(web_db, clock=clock, session_ttl_s=45 * 60)) as client:
        r = client.post("/api/token", json={"username": "kaz", "password": PASSWORD})
        assert dt.datetime.fromisoformat(r.json()["expires_at"]) == clock() + dt.timedelta(minutes=45)
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        clock.advance(minutes=45, seconds=-1)
        assert client.get("/api/me", headers=headers).status_code == 200
        clock.advance(seconds=1)
        r = client.get("/api/me", headers=headers)
        assert r.status_code == 401 and "expired" in r.json()["detail"]


def play_to_deployment(api: Api) -> str:
    """Control and three delegations play Kazakhstan 2022 to a deployment; the model holds the rest."""
    ex = api.create()
    for user, state in (("kaz", "KAZ"), ("rus", "RUS"), ("arm", "ARM")):
        api.ok(user, ex, "take_seat", state=state)
    api.ok("kaz", ex, "lodge_request", state="KAZ")
    api.ok("kaz", ex, "statement", state="KAZ", text="Foreign-trained gangs attack our cities.")
    api.ok("ctl", ex, "convene")
    s = api.ok("ctl", ex, "propose", level="deployment")["state"]
    # the model voted at once for the seats nobody holds, with its reasons
    model_seats = {x["state"] for x in s["seats"] if x["holder"] == "model"}
    assert model_seats == {"BLR", "KGZ", "TJK"}
    assert all(s["ballot"]["reasons"][m].startswith("model:") for m in model_seats)
    api.ok("kaz", ex, "vote", state="KAZ", position="support", reason="we asked for it")
    api.ok("rus", ex, "vote", state="RUS", position="support", reason="allied duty")
    api.ok("arm", ex, "vote", state="ARM", position="stand_aside", reason="our own border first")
    closed = api.ok("ctl", ex, "close")
    assert closed["events"][-1]["type"] == "DecisionAdopted"
    assert closed["state"]["case"]["step"] == "to_task"
    api.ok("ctl", ex, "task_forces")
    api.ok("ctl", ex, "advance_clock", hours=96)
    return ex


def check_played(api: Api, ex: str) -> None:
    s = api.get("obs", f"/api/exercises/{ex}").json()
    assert s["case"]["outcome"] == "deployment"
    assert s["deployment"]["on_ground"] > 0
    assert s["deployment"]["on_ground"] == s["deployment"]["tasked"]
    m = api.get("obs", "/api/map", params={"exercise": ex}).json()
    assert m["deployments"][0]["on_ground"] == s["deployment"]["on_ground"]
    aar = api.get("obs", f"/api/exercises/{ex}/aar").json()
    assert aar["outcome"] == "deployment" and aar["exercise"]["verified"] is True
    assert [d["state"] for d in aar["departures"]] == ["ARM"]
    assert aar["troops"][-1]["on_ground"] == s["deployment"]["tasked"]
    assert api.get("obs", "/api/ledger/verify").json()["ok"] is True


def test_a_whole_exercise_on_sqlite(api: Api) -> None:
    check_played(api, play_to_deployment(api))


def test_the_ledger_after_the_largest_sequence_number_is_empty_and_beyond_it_is_a_422(api: Api) -> None:
    api.create()
    assert len(api.get("obs", "/api/ledger").json()) > 0
    r = api.get("obs", "/api/ledger", params={"after": 2**63 - 1})
    assert r.status_code == 200 and r.json() == [], r.text
    for after in (2**63, 10**30):  # no SQL integer holds it: a 422 naming the field (issue 20)
        r = api.get("obs", "/api/ledger", params={"after": after})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "after"], (after, r.text)


@pytest.mark.postgres
def test_a_whole_exercise_on_postgresql(postgres_url: str) -> None:
    app = make_app(postgres_url)
    with TestClient(app) as c:
        api = Api(c)
        assert api.get("ctl", "/api/health").json()["database"] == "postgresql"
        check_played(api, play_to_deployment(api))


def test_an_illegal_step_is_refused_with_the_article(api: Api) -> None:
    ex = api.create()
    api.ok("kaz", ex, "take_seat", state="KAZ")
    api.ok("kaz", ex, "lodge_request", state="KAZ")
    r = api.step("kaz", ex, "vote", state="KAZ", position="support", reason="too early")
    assert r.status_code == 409
    body = r.json()
    assert body["error"] == "refused" and body["article"] and body["reason"]
    # the refusal itself is on the record, and nothing else changed
    tl = api.get("ctl", f"/api/exercises/{ex}").json()["timeline"]
    assert tl[-1]["kind"] == "StepRefused" and body["article"] in tl[-1]["text"]


def test_a_frozen_members_seat_is_refused_with_the_article(api: Api) -> None:
    ex = api.create("armenia-frozen-2026")
    r = api.step("arm", ex, "take_seat", state="ARM")
    assert r.status_code == 409
    assert r.json()["rule"] == "practice-frozen-participation" and r.json()["article"]
    seats = {s["state"]: s for s in api.get("arm", f"/api/exercises/{ex}").json()["seats"]}
    assert seats["ARM"]["status"] == "frozen" and seats["ARM"]["holder"] == "none"


@pytest.mark.parametrize(
    ("kind", "params", "field"),
    [
        ("propose", {"level": "invasion"}, "level"),
        ("vote", {"state": "KAZ", "position": "maybe", "reason": "x"}, "position"),
        ("advance_clock", {"hours": 1000}, "hours"),
        ("advance_clock", {"hours": "soon"}, "hours"),
        ("take_seat", {"state": "kazakhstan"}, "state"),
        ("teleport", {}, "kind"),
    ],
)
def test_bad_input_gets_422_naming_the_field(api: Api, kind: str, params: dict[str, Any], field: str) -> None:
    ex = api.create()
    r = api.step("ctl" if kind != "take_seat" else "kaz", ex, kind, **params)
    assert r.status_code == 422, r.text
    assert any(field in d["loc"] for d in r.json()["detail"])


def test_room_checks_also_name_the_field(api: Api) -> None:
    ex = api.create()
    api.ok("kaz", ex, "take_seat", state="KAZ")
    api.ok("kaz", ex, "lodge_request", state="KAZ")
    api.ok("ctl", ex, "convene")
    api.ok("ctl", ex, "propose", level="mission")
    r = api.step("kaz", ex, "vote", state="KAZ", position="support", reason="   ")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "reason"]
    r = api.step("ctl", ex, "statement", text="")
    assert r.status_code == 403  # Control makes no statements: the role decides first


def test_unknown_exercise_and_scenario(api: Api) -> None:
    assert api.get("ctl", "/api/exercises/nope").status_code == 404
    r = api.post("ctl", "/api/exercises", {"scenario": "atlantis-2030", "title": "x"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "scenario"]


def test_a_scenario_run_returns_the_odds(api: Api) -> None:
    r = api.post("kaz", "/api/scenarios/armenia-2022/run", {"trials": 50, "seed": 3})
    assert r.status_code == 200
    assert set(r.json()["probabilities"]) >= {"deployment", "mission", "none"}


def test_two_app_processes_share_one_database(web_db: str) -> None:
    """Two apps on one file (as two workers would be): a step taken on one is seen, and built on, by the other."""
    a, b = make_app(web_db), make_app(web_db)
    with TestClient(a) as ca, TestClient(b) as cb:
        api_a, api_b = Api(ca), Api(cb)
        ex = api_a.create()
        api_b.ok("kaz", ex, "take_seat", state="KAZ")
        api_a.ok("kaz", ex, "lodge_request", state="KAZ")  # a must catch up on b's seat first
        api_b.ok("ctl", ex, "convene")
        assert api_a.get("ctl", f"/api/exercises/{ex}").json()["case"]["step"] == "in_session"
    with open_ledger(web_db) as led:
        assert led.verify().ok


def _versions(api: Api, ex: str) -> Callable[[], int]:
    return lambda: int(api.get("ctl", f"/api/exercises/{ex}").json()["version"])


def test_an_ended_exercise_takes_no_more_steps(api: Api) -> None:
    ex = api.create()
    api.ok("ctl", ex, "end")
    version = _versions(api, ex)
    before = version()
    r = api.step("ctl", ex, "inject", text="late news")
    assert r.status_code == 409 and version() == before
