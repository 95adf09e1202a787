"""Access: the role × endpoint matrix tried exhaustively (every route with the grant it declares through
``csto.web.deps.require``, read off the app's routes, × every account; the grants are ``csto.web.roles``),
intelligence reports tried by every reader against every releasability (in the engine and in the ledger
browser), sessions that expire (on a fake clock), and CSRF on every form. That no route is left without a
grant is tests/web/test_guards.py."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from csto.ledger.scoped import ScopedLedger
from csto.model import load_dataset
from csto.procedures import Action, Engine
from csto.rules import RefusedError
from csto.session import open_session
from csto.web import roles
from csto.web.deps import Requirement, route_grants
from csto.web.store import User
from tests.web.conftest import PASSWORD, USERS, Api, FakeClock, make_app
from tests.web.test_guards import PUBLIC

pytestmark = pytest.mark.reliability
FIGURES = Path(__file__).parent / ".figures"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    app = make_app(str(tmp_path_factory.mktemp("access") / "room.db"))
    with TestClient(app) as c:
        api = Api(c)
        ex = api.create()
        pages: dict[str, TestClient] = {}
        for user in USERS:
            pc = TestClient(app)
            token = CSRF.search(pc.get("/login").text).group(1)  # type: ignore[union-attr]
            r = pc.post(
                "/login",
                data={"username": user, "password": PASSWORD, "csrf_token": token},
                follow_redirects=False,
            )
            assert r.status_code == 303
            pages[user] = pc
        guarded = {route: req for route, req in route_grants(app).items() if req is not None}
        yield {"client": c, "api": api, "ex": ex, "pages": pages, "app": app, "guarded": guarded}
        for pc in pages.values():
            pc.close()


def test_every_route_is_public_or_declares_its_grant(world: dict[str, Any]) -> None:
    found = set(route_grants(world["app"]))
    assert len(found) >= 30, "the walk of the app's routes found too few"
    assert found - PUBLIC == set(world["guarded"]), "a route that is not public declares no grant"


STEP_PARAMS: dict[str, dict[str, Any]] = {
    "lodge_request": {"state": "KAZ"},
    "statement": {"text": "calm"},
    "inject": {"text": "x"},
    "propose": {"level": "mission"},
    "vote": {"position": "support", "reason": "r"},
    "advance_clock": {"hours": 1},
}


def _call(world: dict[str, Any], user: str, method: str, path: str, kind: str = "inject") -> int:
    ex = world["ex"]
    _role, state = USERS[user]
    step = {**STEP_PARAMS.get(kind, {}), **({"state": state} if state else {})}
    # a move for a seat the user acts for (its own state, or its role's first office)
    seat = state or ("secretariat" if _role == "secretary_general" else "control")
    url = path.replace("{ex_id}", ex).replace("{scenario_id}", "armenia-2022").replace("{kind}", kind)
    if path.startswith("/api/"):
        api: Api = world["api"]
        bodies = {
            "/api/scenarios/{scenario_id}/run": {"trials": 10},
            "/api/exercises": {"scenario": "kazakhstan-2022", "title": "access"},
            "/api/exercises/{ex_id}/steps": {"kind": kind, **step},
            "/api/exercises/{ex_id}/moves": {
                "seat": seat,
                "kind": "make_statement",
                "case": "room",
                "params": {"text": "calm"},
            },
        }
        if path == "/api/logout":  # it revokes the token it carries: a fresh one, so the user's stays valid
            fresh = world["app"].state.csto.store.issue_token(user, dt.timedelta(minutes=5))[0]
            return int(api.client.post(url, headers={"Authorization": f"Bearer {fresh}"}).status_code)
        r = api.get(user, url) if method == "GET" else api.post(user, url, bodies.get(path, {}))
        return r.status_code
    pc: TestClient = world["pages"][user]
    if method == "GET":
        return pc.get(url, follow_redirects=False).status_code
    token = CSRF.search(pc.get("/").text).group(1)  # type: ignore[union-attr]
    forms = {
        "/exercises": {"scenario": "kazakhstan-2022", "title": "access", "seed": "0"},
        "/scenarios": {"scenario": "armenia-2022", "trials": "10", "seed": "0"},
        "/exercises/{ex_id}/move": {
            "_seat": seat,
            "_kind": "make_statement",
            "_case": "room",
            "text": "calm",
        },
    }
    return pc.post(url, data={**forms.get(path, {}), "csrf_token": token}, follow_redirects=False).status_code


def test_the_role_matrix_is_enforced_on_every_endpoint(world: dict[str, Any]) -> None:
    tried = 0
    guarded: dict[tuple[str, str], Requirement] = world["guarded"]
    for (method, path), req in sorted(guarded.items()):
        grant = req.grant
        for user, (role, _state) in USERS.items():
            if path.endswith("/stream") and roles.allowed(role, grant):
                # an endless event stream: the route's own requirement, called as the route calls it
                req.check(User(user, role, _state))
                tried += 1
                continue
            kinds = list(roles.STEP_GRANT) if "step" in path else [""]
            for kind in kinds:
                need = [grant] + ([roles.STEP_GRANT[kind]] if kind else [])
                code = _call(world, user, method, path, kind or "inject")
                if all(roles.allowed(role, g) for g in need):
                    assert code != 403, f"{user} ({role}) refused {method} {path} {kind}"
                    assert code < 500, f"{user} {method} {path} {kind} → {code}"
                else:
                    assert code == 403, f"{user} ({role}) reached {method} {path} {kind} ({code})"
                tried += 1
    steps = sum(1 for (_m, p) in guarded if "step" in p)
    assert tried == (len(guarded) + steps * (len(roles.STEP_GRANT) - 1)) * len(USERS)
    FIGURES.mkdir(exist_ok=True)
    (FIGURES / "access-matrix.json").write_text(
        json.dumps({"endpoints": len(guarded), "users": len(USERS), "calls": tried}) + "\n"
    )


def test_csrf_is_enforced_on_every_form(world: dict[str, Any]) -> None:
    ex = world["ex"]
    pc: TestClient = world["pages"]["ctl"]
    posts = [p for (m, p) in world["guarded"] if m == "POST" and not p.startswith("/api/")] + ["/logout"]
    for path in posts:
        url = path.replace("{ex_id}", ex).replace("{kind}", "inject")
        for data in ({}, {"csrf_token": "forged"}):
            r = pc.post(url, data={"text": "x", **data}, follow_redirects=False)
            assert r.status_code == 403, (path, data, r.status_code)


def test_sessions_expire(tmp_path: Path) -> None:
    clock = FakeClock()
    app = make_app(str(tmp_path / "room.db"), session_ttl_s=60, clock=clock)
    with TestClient(app) as pc:
        token = CSRF.search(pc.get("/login").text).group(1)  # type: ignore[union-attr]
        pc.post("/login", data={"username": "obs", "password": PASSWORD, "csrf_token": token})
        assert pc.get("/", follow_redirects=False).status_code == 200
        clock.advance(seconds=61)
        assert pc.get("/", follow_redirects=False).status_code == 303


# --------------------------------------------------------------------------- intelligence releasability
MEMBERS_2026 = ("BLR", "KAZ", "KGZ", "RUS", "TJK")  # ARM is frozen on the day
READERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "UZB", "AZE", "GEO", "secretariat")
CLASSIFICATIONS = ("unclassified", "restricted", "secret", "top_secret")
DAY = dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC)


def oracle(reader: str, originator: str, released: set[str], classification: str) -> bool:
    """Who may read, in words: the originator; for unclassified, any member not suspended (a frozen member
    too); for classified, a member the report was released to and whose participation is not frozen."""
    if reader == originator:
        return True
    status = {"ARM": "frozen", "UZB": "former", "AZE": "former", "GEO": "former"}.get(
        reader, "member" if reader in MEMBERS_2026 else None
    )
    if classification == "unclassified":
        return True
    return status == "member" and reader in released


def reports() -> Iterator[tuple[str, tuple[str, ...], str]]:
    for originator in MEMBERS_2026:
        others = [m for m in MEMBERS_2026 if m != originator] + ["ARM"]
        for k in range(len(others) + 1):
            for released in itertools.combinations(others, k):
                for classification in CLASSIFICATIONS:
                    yield originator, released, classification


def test_every_reader_against_every_report_in_the_engine() -> None:
    """5 originators × 64 release sets × 4 classifications × 10 readers: reads happen iff released."""
    engine = Engine(load_dataset("csto"))
    engine.replay([engine.open(DAY)])
    t = DAY
    tried = leaks = denied_ok = 0
    for i, (originator, released, classification) in enumerate(reports()):
        t += dt.timedelta(seconds=1)
        case = f"r{i}"
        engine.handle(
            Action(
                "file_report",
                originator,
                t,
                case,
                {"title": "x", "classification": classification, "releasable_to": list(released)},
            )
        )
        for reader in READERS:
            allowed = oracle(reader, originator, set(released), classification)
            try:
                engine.decide(Action("read", reader, t, case, {}))
                ok = True
            except RefusedError as err:
                ok = False
                assert err.refused.article, "a refusal without its article"
            tried += 1
            leaks += ok and not allowed
            denied_ok += (not ok) and not allowed
            assert ok == allowed, (reader, originator, released, classification)
    assert leaks == 0
    FIGURES.mkdir(exist_ok=True)
    (FIGURES / "access-intel.json").write_text(
        json.dumps({"reads_tried": tried, "refused": denied_ok, "leaks": leaks}) + "\n"
    )


def test_the_ledger_browser_leaks_no_report(tmp_path: Path) -> None:
    """Reports filed into the room's database: every account reads the ledger (API and page); a report's
    content shows only to those it is released to (and to Control)."""
    app = make_app(str(tmp_path / "room.db"))
    st = app.state.csto
    session, _ = open_session(ScopedLedger(st.ledger, "intel"), st.ds, DAY)
    titles: dict[str, tuple[str, set[str], str]] = {}
    t = DAY
    for i, (originator, released, classification) in enumerate(reports()):
        if i % 7:  # a spread sample: every originator, release size and classification
            continue
        t += dt.timedelta(seconds=1)
        title = f"T{i:04d}Z"
        session.act(
            Action(
                "file_report",
                originator,
                t,
                f"r{i}",
                {"title": title, "classification": classification, "releasable_to": list(released)},
            )
        )
        titles[title] = (originator, set(released), classification)
    with TestClient(app) as c:
        api = Api(c)
        for user, (role, state) in USERS.items():
            rows = api.get(user, "/api/ledger", params={"limit": 1000}).json()
            shown = " ".join(r["text"] for r in rows)
            for title, (originator, released, classification) in titles.items():
                if role == "control":
                    may = True
                elif role == "delegation":
                    may = oracle(str(state), originator, released, classification)
                else:
                    may = classification == "unclassified"
                assert (title in shown) == may, (user, title, originator, released, classification)
            pc = TestClient(app)
            token = CSRF.search(pc.get("/login").text).group(1)  # type: ignore[union-attr]
            pc.post("/login", data={"username": user, "password": PASSWORD, "csrf_token": token})
            page = pc.get("/ledger").text + pc.get("/ledger?after=100").text
            for title, (originator, released, classification) in titles.items():
                if title in page:
                    assert (
                        role == "control"
                        or classification == "unclassified"
                        or state in released | {originator}
                    )
