"""The whole role × action matrix, driven from ``csto.web.roles`` (the one place that defines it).

Every account tries every room step through the API: a role the matrix does not grant gets 403 and
nothing is written; a granted role is never refused for its role (it may still be refused by the
treaty or the state of play, with another status). Delegations act only for their own state.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from csto.web import roles
from csto.web.deps import route_grants
from csto.web.roles import STEP_GRANT
from csto.web.room import STEPS
from csto.web.routers.auth import HEALTH_DETAILS
from tests.web.conftest import USERS, Api

#: Parameters that make each step well-formed (so only the role decides between 403 and the rest).
PARAMS: dict[str, dict[str, Any]] = {
    "take_seat": {},
    "leave_seat": {},
    "statement": {"text": "We call for calm."},
    "inject": {"text": "Airport seized", "inject_kind": "note"},
    "lodge_request": {"state": "KAZ"},
    "convene": {},
    "propose": {"level": "deployment"},
    "vote": {"position": "support", "reason": "solidarity"},
    "close": {},
    "task_forces": {},
    "advance_clock": {"hours": 1},
    "end": {},
}


def test_every_room_step_has_a_grant_and_every_grant_is_used(app: FastAPI) -> None:
    assert set(STEP_GRANT) == set(STEPS) == set(PARAMS)
    assert set(STEP_GRANT.values()) <= set(roles.MATRIX)
    declared = {req.grant for req in route_grants(app).values() if req is not None}
    declared.add(HEALTH_DETAILS)  # checked inside the public health route, for its details
    assert set(roles.MATRIX) == set(STEP_GRANT.values()) | declared, "a grant no step and no route uses"


@pytest.mark.parametrize("user", sorted(USERS))
def test_role_matrix_is_enforced_for_every_step(shared_api: Api, user: str) -> None:
    role, state = USERS[user]
    ex = shared_api.create()
    for kind in STEPS:
        before = shared_api.get("ctl", f"/api/exercises/{ex}").json()["version"]
        params = dict(PARAMS[kind])
        if role == "delegation":
            params["state"] = state
        r = shared_api.step(user, ex, kind, **params)
        if roles.allowed(role, STEP_GRANT[kind]):
            assert r.status_code != 403, f"{user} ({role}) was refused '{kind}' by role: {r.text}"
        else:
            assert r.status_code == 403, f"{user} ({role}) may not '{kind}' but got {r.status_code}: {r.text}"
            assert r.json()["error"] == "forbidden"
            after = shared_api.get("ctl", f"/api/exercises/{ex}").json()["version"]
            assert after == before, f"a forbidden '{kind}' wrote to the ledger"


def test_observer_cannot_take_any_step(shared_api: Api) -> None:
    ex = shared_api.create()
    for kind in STEPS:
        r = shared_api.step("obs", ex, kind, **PARAMS[kind])
        assert r.status_code == 403, (kind, r.text)


def test_observer_may_read_everything_it_is_granted(shared_api: Api) -> None:
    ex = shared_api.create()
    for path in (
        "/api/me",
        "/api/exercises",
        f"/api/exercises/{ex}",
        "/api/map",
        "/api/ledger",
        "/api/ledger/verify",
    ):
        assert shared_api.get("obs", path).status_code == 200, path
    assert (
        shared_api.post("obs", "/api/exercises", {"scenario": "kazakhstan-2022", "title": "x"}).status_code
        == 403
    )
    assert shared_api.post("obs", "/api/scenarios/kazakhstan-2022/run", {"trials": 10}).status_code == 403


def test_a_delegation_cannot_vote_for_another_state(shared_api: Api) -> None:
    ex = shared_api.create()
    shared_api.ok("kaz", ex, "take_seat", state="KAZ")
    shared_api.ok("kaz", ex, "lodge_request", state="KAZ")
    shared_api.ok("ctl", ex, "convene")
    shared_api.ok("ctl", ex, "propose", level="deployment")
    r = shared_api.step("kaz", ex, "vote", state="RUS", position="object", reason="pretending to be Russia")
    assert r.status_code == 403
    assert "acts only for KAZ" in r.json()["detail"]
    positions = shared_api.get("ctl", f"/api/exercises/{ex}").json()["ballot"]["positions"]
    assert positions["RUS"] != "object" or "pretending" not in str(positions)


def test_a_delegation_cannot_take_another_states_seat(shared_api: Api) -> None:
    ex = shared_api.create()
    r = shared_api.step("kaz", ex, "take_seat", state="RUS")
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("role", "state", "action", "for_state", "expected"),
    [
        ("delegation", "KAZ", "vote.cast", "KAZ", "KAZ"),
        ("control", None, "council.convene", None, "secretariat"),
        ("secretary_general", None, "council.close", None, "secretariat"),
        ("control", None, "forces.task", None, "joint_staff"),
        ("control", None, "request.lodge", "KAZ", "KAZ"),
    ],
)
def test_authorize_maps_people_to_engine_actors(
    role: str, state: str | None, action: str, for_state: str | None, expected: str
) -> None:
    assert roles.authorize(role, state, action, for_state) == expected


def test_authorize_refuses_what_the_matrix_does_not_grant() -> None:
    for g in roles.GRANTS:
        for role in roles.ROLES:
            if role in g.actors:
                continue
            with pytest.raises(roles.Forbidden):
                roles.authorize(role, "KAZ" if role == "delegation" else None, g.action, "KAZ")
