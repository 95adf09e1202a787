"""The server-rendered pages: login with signed cookies, CSRF on every form, inline form errors, refusals
that show the article, sessions that expire, and error pages that never show a traceback."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, Api, FakeClock, make_app

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf(client: TestClient, path: str = "/login") -> str:
    m = CSRF.search(client.get(path).text)
    assert m, "no CSRF token on the page"
    return m.group(1)


def login(client: TestClient, user: str, password: str = PASSWORD) -> None:
    r = client.post(
        "/login",
        data={"username": user, "password": password, "csrf_token": csrf(client), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def test_pages_need_a_login(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert client.get("/exercises", headers={"hx-request": "true"}).headers.get("hx-redirect") == "/login"


def test_a_wrong_password_is_shown_inline(client: TestClient) -> None:
    r = client.post("/login", data={"username": "ctl", "password": "nope-nope", "csrf_token": csrf(client)})
    assert r.status_code == 401 and "Wrong user name or password" in r.text
    assert "csto_session" not in r.headers.get("set-cookie", "") or "user" not in r.text


def test_login_sets_a_signed_cookie_and_the_dashboard_shows_members(client: TestClient) -> None:
    login(client, "obs")
    assert "csto_session" in client.cookies
    page = client.get("/?at=2022-01-05").text
    for name in ("Kazakhstan", "Armenia", "Belarus", "Kyrgyzstan", "Russia", "Tajikistan"):
        assert name in page
    assert 'class="csto-map"' in page


def test_a_tampered_cookie_is_not_a_login(client: TestClient) -> None:
    login(client, "ctl")
    value = client.cookies["csto_session"]
    client.cookies.set("csto_session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB"))
    assert client.get("/", follow_redirects=False).status_code == 303


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    login(client, "ctl")
    r = client.post("/exercises", data={"scenario": "kazakhstan-2022", "title": "x"})
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post("/exercises", data={"scenario": "kazakhstan-2022", "title": "x", "csrf_token": "forged"})
    assert r.status_code == 403
    r = client.post("/logout", data={})
    assert r.status_code == 403


def test_the_create_form_shows_its_errors_inline(client: TestClient) -> None:
    login(client, "ctl")
    token = csrf(client, "/exercises")
    r = client.post(
        "/exercises", data={"scenario": "kazakhstan-2022", "title": "", "seed": "0", "csrf_token": token}
    )
    assert r.status_code == 422
    assert re.search(r'class="field-error" data-field="title"', r.text)
    r = client.post(
        "/exercises", data={"scenario": "no-such", "title": "t", "seed": "0", "csrf_token": token}
    )
    assert r.status_code == 422 and 'data-field="scenario"' in r.text
    r = client.post(
        "/exercises", data={"scenario": "kazakhstan-2022", "title": "t", "seed": "x", "csrf_token": token}
    )
    assert r.status_code == 422 and 'data-field="seed"' in r.text


def move_form(seat: str, kind: str, case: str, token: str, **params: str) -> dict[str, str]:
    return {"_seat": seat, "_kind": kind, "_case": case, "csrf_token": token, **params}


def test_a_move_error_and_a_refusal_show_in_the_panel(client: TestClient) -> None:
    api = Api(client)
    ex = api.create("armenia-frozen-2026")
    login(client, "arm")
    token = csrf(client, f"/exercises/{ex}")
    page = client.get(f"/exercises/{ex}").text
    assert 'data-kind="take_seat"' in page  # the form comes from the game's legal moves
    r = client.post(
        f"/exercises/{ex}/move",
        data=move_form("ARM", "take_seat", "room", token),
        headers={"hx-request": "true"},
    )
    assert r.status_code == 200  # htmx swaps the panel with the refusal in it
    assert 'class="refusal"' in r.text and "Refused under" in r.text
    assert "frozen" in r.text and "ARM take seat" in r.text


def test_control_sees_inline_errors_for_bad_clock_moves(client: TestClient) -> None:
    api = Api(client)
    ex = api.create()
    login(client, "ctl")
    token = csrf(client, f"/exercises/{ex}")
    r = client.post(
        f"/exercises/{ex}/move",
        data=move_form("control", "advance_clock", "room", token, hours="soon"),
        headers={"hx-request": "true"},
    )
    assert 'data-field="advance_clock@room.hours"' in r.text
    # without htmx the full room page comes back with the error and a 422; a step out of range is refused
    r = client.post(
        f"/exercises/{ex}/move", data=move_form("control", "advance_clock", "room", token, hours="x")
    )
    assert r.status_code == 422 and 'data-field="advance_clock@room.hours"' in r.text
    r = client.post(
        f"/exercises/{ex}/move", data=move_form("control", "advance_clock", "room", token, hours="-3")
    )
    assert r.status_code == 409 and "Refused under" in r.text


def test_a_move_not_offered_names_the_seat_and_the_move(client: TestClient) -> None:
    api = Api(client)
    ex = api.create()
    login(client, "kaz")
    token = csrf(client, f"/exercises/{ex}")
    r = client.post(f"/exercises/{ex}/move", data=move_form("KAZ", "establish_base", "nope", token))
    assert r.status_code == 422 and "KAZ cannot establish base" in r.text
    r = client.post(
        f"/exercises/{ex}/move", data=move_form("RUS", "make_statement", "room", token, text="hi")
    )
    assert r.status_code == 403 and "does not act for RUS" in r.text


def test_an_observer_sees_the_room_but_no_moves(client: TestClient) -> None:
    api = Api(client)
    ex = api.create()
    login(client, "obs")
    page = client.get(f"/exercises/{ex}").text
    assert "Observers follow the room" in page
    assert f"/exercises/{ex}/move" not in page
    r = client.post(
        f"/exercises/{ex}/move", data=move_form("control", "inject", "room", csrf(client, "/"), text="x")
    )
    assert r.status_code == 403 and "may not" in r.text


def test_sessions_expire(web_db: str) -> None:
    clock = FakeClock()
    app = make_app(web_db, session_ttl_s=600, clock=clock)
    with TestClient(app) as c:
        login(c, "ctl")
        assert c.get("/", follow_redirects=False).status_code == 200
        clock.advance(seconds=599)
        assert c.get("/", follow_redirects=False).status_code == 200, "a session lasts its whole lifetime"
        clock.advance(seconds=1)
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/"
        # the session is over (ended on the server): moving the clock back does not revive it, a new login does
        clock.advance(seconds=-600)
        assert c.get("/", follow_redirects=False).status_code == 303
        login(c, "ctl")
        assert c.get("/", follow_redirects=False).status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/map"])
def test_an_internal_error_shows_no_traceback(
    web_db: str, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    import csto.web.routers.pages
    import csto.web.steps

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(csto.web.routers.pages, "map_data", boom)  # the dashboard
    monkeypatch.setattr(csto.web.steps, "map_data", boom)  # /api/map
    app = make_app(web_db)
    with TestClient(app, raise_server_exceptions=False) as c:
        if path.startswith("/api"):
            r = c.get(path, headers=Api(c).headers("ctl"))
        else:
            login(c, "ctl")
            r = c.get(path)
        assert r.status_code == 500
        assert "Traceback" not in r.text and "secret internals" not in r.text


def test_the_pages_render_for_control(client: TestClient) -> None:
    api = Api(client)
    ex = api.create()
    login(client, "ctl")
    for path in (
        "/",
        "/exercises",
        f"/exercises/{ex}",
        "/scenarios",
        "/ledger",
        "/ledger?verify=1",
        f"/exercises/{ex}/aar",
    ):
        r = client.get(path)
        assert r.status_code == 200, path
    assert "Chain verified" in client.get("/ledger?verify=1").text
    pdf = client.get(f"/exercises/{ex}/aar.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get(f"/exercises/{ex}/aar.html")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]


def test_the_scenario_runner_shows_odds_and_plots(client: TestClient) -> None:
    login(client, "kaz")
    r = client.post(
        "/scenarios",
        data={
            "scenario": "kazakhstan-2022",
            "trials": "100",
            "seed": "1",
            "csrf_token": csrf(client, "/scenarios"),
        },
        headers={"hx-request": "true"},
    )
    assert r.status_code == 200 and 'id="odds"' in r.text and r.text.count("data:image/png;base64,") == 2
    r = client.post(
        "/scenarios",
        data={"scenario": "kazakhstan-2022", "trials": "5", "csrf_token": csrf(client, "/scenarios")},
    )
    assert r.status_code == 422 and 'data-field="trials"' in r.text
