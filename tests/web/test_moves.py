"""The room plays the crisis game: moves offered from ``legal_moves`` and played through ``CrisisState``, for
the request and for the other procedures (base consent, an intelligence report with its releasability, a
joint statement); a move that is not legal names the seat and the move; a seat one does not act for is 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.web.conftest import Api


def moves(api: Api, user: str, ex: str) -> list[dict[str, Any]]:
    r = api.get(user, f"/api/exercises/{ex}/moves")
    assert r.status_code == 200, r.text
    out: list[dict[str, Any]] = r.json()["moves"]
    return out


def find(ms: list[dict[str, Any]], seat: str, kind: str) -> dict[str, Any]:
    found = [m for m in ms if m["seat"] == seat and m["kind"] == kind]
    assert found, f"{seat} is not offered {kind}: {sorted({(m['seat'], m['kind']) for m in ms})}"
    return found[0]


def move(api: Api, user: str, ex: str, m: dict[str, Any], **params: Any) -> dict[str, Any]:
    body = {"seat": m["seat"], "kind": m["kind"], "case": m["case"], "params": params}
    r = api.post(user, f"/api/exercises/{ex}/moves", body)
    assert r.status_code == 200, f"{user} {m['kind']}: {r.status_code} {r.text}"
    out: dict[str, Any] = r.json()
    return out


def test_the_requesters_delegation_is_offered_the_request_as_the_expected_move(api: Api) -> None:
    ex = api.create()
    ms = moves(api, "kaz", ex)
    lodge = find(ms, "KAZ", "request_assistance")
    assert lodge["expected"] and lodge["case"] == "crisis"
    assert {a["name"]: a["default"] for a in lodge["asks"]}["article"] == "art4"  # the scenario's request
    assert all(m["seat"] == "KAZ" for m in ms)  # a delegation moves for its own state only
    assert not [m for m in moves(api, "rus", ex) if m["kind"] == "request_assistance"]
    assert api.get("obs", f"/api/exercises/{ex}/moves").status_code == 403


def test_a_whole_crisis_through_moves_with_one_human_seat(api: Api) -> None:
    ex = api.create()
    api.ok("kaz", ex, "take_seat", state="KAZ")
    move(api, "kaz", ex, find(moves(api, "kaz", ex), "KAZ", "request_assistance"))
    move(api, "ctl", ex, find(moves(api, "ctl", ex), "secretariat", "convene"))
    s = move(api, "ctl", ex, find(moves(api, "ctl", ex), "secretariat", "propose"), level="deployment")[
        "state"
    ]
    assert set(s["ballot"]["positions"]) == {"ARM", "BLR", "KGZ", "RUS", "TJK"}  # the model's seats voted
    vote = find(moves(api, "kaz", ex), "KAZ", "vote")
    assert vote["expected"]
    move(api, "kaz", ex, vote, position="support", reason="we asked for it")
    closed = move(api, "ctl", ex, find(moves(api, "ctl", ex), "secretariat", "close"))
    assert closed["events"][-1]["type"] == "DecisionAdopted"
    task = find(moves(api, "ctl", ex), "joint_staff", "task_forces")
    assert task["expected"] and {a["name"] for a in task["asks"]} >= {"force", "contributions"}
    move(api, "ctl", ex, task)
    clock = find(moves(api, "ctl", ex), "control", "advance_clock")
    s = move(api, "ctl", ex, clock, hours=96)["state"]
    assert s["deployment"]["on_ground"] == s["deployment"]["tasked"] > 0
    assert s["phase"] == "deployment operating"
    # inside Control's 96 hours the model's steps fell at their own times: operations began an hour after
    # the first landing, and the clock ended exactly 96 hours on
    timeline = api.get("obs", f"/api/exercises/{ex}").json()["timeline"]
    first = next(t for t in timeline if t["kind"] == "UnitsArrived")
    begun = next(t for t in timeline if t["kind"] == "OperationsBegun")
    assert begun["hours"] == pytest.approx(first["hours"] + 1.0, abs=0.01)
    before = next(t for t in timeline if t["kind"] == "ForcesTasked")
    assert dt.datetime.fromisoformat(s["clock"]) == dt.datetime.fromisoformat(before["at"]) + dt.timedelta(
        hours=96
    )


def test_control_starts_a_base_consent_and_a_delegation_answers(api: Api) -> None:
    ex = api.create()
    api.ok("kaz", ex, "take_seat", state="KAZ")
    ask = find(moves(api, "ctl", ex), "KGZ", "request_base")  # Control acts for a seat the model holds
    assert ask["opens"] and ask["model_seat"]
    move(api, "ctl", ex, ask, foreign_state="TUR", site="Kant", purpose="training")
    answer = find(moves(api, "kaz", ex), "KAZ", "answer")
    assert answer["case"] == ask["case"]
    assert next(a for a in answer["asks"] if a["name"] == "answer")["choices"] == ["consent", "refuse"]
    out = move(api, "kaz", ex, answer, answer="refuse", reason="not on our border")
    assert out["events"][0]["type"] == "ConsentRefused"


def test_an_intelligence_report_is_read_only_where_it_is_released(api: Api) -> None:
    ex = api.create()
    for user, state in (("kaz", "KAZ"), ("arm", "ARM")):
        api.ok(user, ex, "take_seat", state=state)
    file = find(moves(api, "ctl", ex), "RUS", "file_report")
    move(api, "ctl", ex, file, title="Militants crossing", classification="secret", releasable_to=["KAZ"])
    read = find(moves(api, "kaz", ex), "KAZ", "read")
    assert move(api, "kaz", ex, read)["events"][0]["type"] == "ReportRead"
    other = find(moves(api, "arm", ex), "ARM", "read")
    r = api.post("arm", f"/api/exercises/{ex}/moves", {"seat": "ARM", "kind": "read", "case": other["case"]})
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["error"] == "refused" and body["article"] and body["seat"] == "ARM" and body["move"] == "read"


def test_a_joint_statement_is_drafted_convened_voted_and_adopted(api: Api) -> None:
    ex = api.create()
    api.ok("kaz", ex, "take_seat", state="KAZ")
    draft = next(
        m
        for m in moves(api, "sg", ex)
        if m["kind"] == "draft_statement" and m["opens"] and m["case"] != "crisis"
    )
    move(api, "sg", ex, draft, subject="Calm on the border", text="The members call for restraint.")
    move(api, "ctl", ex, find(moves(api, "ctl", ex), "secretariat", "convene"))
    vote = next(m for m in moves(api, "kaz", ex) if m["kind"] == "vote" and m["case"] == draft["case"])
    move(api, "kaz", ex, vote, position="support", reason="restraint serves everyone")
    close = next(m for m in moves(api, "ctl", ex) if m["kind"] == "close" and m["case"] == draft["case"])
    assert move(api, "ctl", ex, close)["events"][-1]["type"] == "DecisionAdopted"


def test_a_move_not_offered_is_named_and_a_seat_not_ones_own_is_forbidden(api: Api) -> None:
    ex = api.create()
    r = api.post(
        "kaz", f"/api/exercises/{ex}/moves", {"seat": "KAZ", "kind": "establish_base", "case": "nope"}
    )
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert "KAZ" in detail["msg"] and "establish base" in detail["msg"]
    r = api.post(
        "kaz", f"/api/exercises/{ex}/moves", {"seat": "RUS", "kind": "make_statement", "case": "room"}
    )
    assert r.status_code == 403
    r = api.post(
        "kaz",
        f"/api/exercises/{ex}/moves",
        {"seat": "KAZ", "kind": "make_statement", "case": "room", "params": {"tone": 1}},
    )
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "tone"
