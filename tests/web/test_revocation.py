"""Access that can be revoked (issue 20, part 4): login throttled per account and per client address with a
backoff (on a fake clock, never a sleep), password hashes bounded at once, ``POST /api/logout``, a web logout
that ends the session on the server (a saved cookie stops working), tokens that last ``--session-minutes``, and
``csto users revoke``. The memory bound under 32 parallel real-argon2 logins is tests/reliability/test_login_flood.py.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from csto.cli import main
from csto.web.throttle import Busy, HashGate, LoginThrottle
from tests.web.conftest import PASSWORD, FakeClock, make_app
from tests.web.test_pages import csrf, login


def _token(c: TestClient, user: str, password: str = PASSWORD) -> Any:
    return c.post("/api/token", json={"username": user, "password": password})


# ---------------------------------------------------------------------- the throttle
def test_login_gets_429_after_five_failures_for_an_account_and_backs_off(web_db: str) -> None:
    clock = FakeClock()
    with TestClient(make_app(web_db, clock=clock)) as c:
        for _ in range(5):
            assert _token(c, "kaz", "wrong-password").status_code == 401
        r = _token(c, "kaz", PASSWORD)  # even the right password waits: the account is locked for now
        assert r.status_code == 429 and r.headers["retry-after"] == "2", r.text
        assert r.json()["error"] == "too_many_attempts" and "account" in r.json()["detail"]
        clock.advance(seconds=2)
        assert _token(c, "kaz", "wrong-password").status_code == 401  # the 6th failure: now 4 s
        assert _token(c, "kaz", PASSWORD).headers.get("retry-after") == "4"
        clock.advance(seconds=4)
        assert _token(c, "kaz", "wrong-password").status_code == 401  # 7th: 8 s
        clock.advance(seconds=7)
        assert _token(c, "kaz", PASSWORD).status_code == 429
        clock.advance(seconds=1)
        assert _token(c, "kaz", PASSWORD).status_code == 200  # a success clears the account's record
        assert _token(c, "kaz", "wrong-password").status_code == 401  # the 1st of a fresh count: no wait
        assert _token(c, "kaz", PASSWORD).status_code == 200


def test_login_is_throttled_per_client_address_across_accounts(web_db: str) -> None:
    throttle = LoginThrottle(FakeClock(), free=5, address_free=20)
    throttle.failed(["user:a", "addr:10.0.0.1"])
    for i in range(19):
        throttle.failed([f"user:other{i}", "addr:10.0.0.1"])
    throttle.check([("user:b", "account"), ("addr:10.0.0.2", "address")])  # another address: free
    with pytest.raises(Exception, match="address") as exc:
        throttle.check([("user:b", "account"), ("addr:10.0.0.1", "address")])
    assert getattr(exc.value, "retry_after_s", None) == 2
    with TestClient(make_app(web_db)) as c:  # through the app: one address, twenty names tried
        for i in range(20):
            assert _token(c, f"name{i}", "wrong-password").status_code == 401
        r = _token(c, "ctl", PASSWORD)
        assert r.status_code == 429 and "address" in r.json()["detail"]


def test_the_login_page_is_throttled_too(web_db: str) -> None:
    clock = FakeClock()
    with TestClient(make_app(web_db, clock=clock)) as c:
        for _ in range(5):
            r = c.post("/login", data={"username": "kaz", "password": "nope-nope", "csrf_token": csrf(c)})
            assert r.status_code == 401
        r = c.post("/login", data={"username": "kaz", "password": PASSWORD, "csrf_token": csrf(c)})
        assert r.status_code == 429 and r.headers["retry-after"] == "2" and "Too many failed logins" in r.text
        clock.advance(seconds=2)
        login(c, "kaz")


def test_backoff_is_capped_and_old_failures_are_forgotten() -> None:
    clock = FakeClock()
    t = LoginThrottle(clock, free=5, base_s=2, max_s=900, forget_s=3600)
    assert [t.delay_s(n) for n in (4, 5, 6, 7, 100)] == [0, 2, 4, 8, 900]
    assert [t.delay_s(n, "addr:10.0.0.1") for n in (19, 20, 21)] == [0, 2, 4]
    for _ in range(40):
        t.failed(["user:x"])
    with pytest.raises(Exception, match="900 s"):
        t.check([("user:x", "account")])
    clock.advance(seconds=3601)
    t.check([("user:x", "account")])
    t.failed(["user:x"])  # a failure after a quiet hour starts the count again
    t.check([("user:x", "account")])


# ---------------------------------------------------------------------- the bounded hash queue
def test_password_hashes_run_at_most_slots_at_once_and_a_full_queue_is_busy() -> None:
    gate = HashGate(slots=2, queue=3, wait_s=5)
    release = threading.Event()
    started = threading.Semaphore(0)
    results: list[str] = []

    def slow() -> str:
        started.release()
        release.wait(5)
        return "ok"

    threads = [threading.Thread(target=lambda: results.append(gate.run(slow))) for _ in range(5)]
    for th in threads:
        th.start()
    for _ in range(2):
        assert started.acquire(timeout=5)
    deadline = time.monotonic() + 5
    while gate._inside < 5 and time.monotonic() < deadline:  # all five are in: two hashing, three queued
        time.sleep(0.01)
    with pytest.raises(Busy):
        gate.run(lambda: "one too many")
    release.set()
    for th in threads:
        th.join(5)
    assert results == ["ok"] * 5 and gate.peak == 2


def test_parallel_logins_pass_through_the_gate(web_db: str) -> None:
    app = make_app(web_db)
    with TestClient(app) as c:
        codes: list[int] = []
        threads = [
            threading.Thread(
                target=lambda i=i: codes.append(_token(c, "kaz", "wrong" if i % 2 else PASSWORD).status_code)
            )
            for i in range(8)
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert app.state.csto.gate.peak <= 2
        assert sorted(set(codes)) <= [200, 401, 429] and 200 in codes


# ---------------------------------------------------------------------- logout and revocation
def test_api_logout_revokes_the_bearer_token(client: TestClient) -> None:
    tok = _token(client, "kaz").json()["token"]
    other = _token(client, "kaz").json()["token"]
    h = {"Authorization": f"Bearer {tok}"}
    assert client.get("/api/me", headers=h).status_code == 200
    r = client.post("/api/logout", headers=h)
    assert r.status_code == 200 and r.json() == {"revoked": "token", "username": "kaz"}
    r = client.get("/api/me", headers=h)
    assert r.status_code == 401 and "revoked" in r.json()["detail"]
    assert client.post("/api/logout", headers=h).status_code == 401
    assert client.get("/api/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_web_logout_invalidates_a_saved_cookie(app: Any) -> None:
    with TestClient(app) as c:
        login(c, "kaz")
        saved = c.cookies.get("csto_session")
        assert saved and c.get("/", follow_redirects=False).status_code == 200
        r = c.post("/logout", data={"csrf_token": csrf(c)}, follow_redirects=False)
        assert r.status_code == 303
    with TestClient(app) as thief:  # someone who copied the cookie before the logout
        thief.cookies.set("csto_session", saved)
        r = thief.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_users_revoke_ends_every_session_and_token(web_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(web_db)
    with TestClient(app) as c, TestClient(app) as other:
        login(c, "kaz")
        login(other, "rus")
        tokens = [_token(c, "kaz").json()["token"] for _ in range(2)]
        rus = _token(c, "rus").json()["token"]
        code, out, err = _cli(capsys, "users", "revoke", "kaz", "--db", web_db, "--json")
        assert code == 0, err
        assert json.loads(out) == {"revoked": "kaz", "tokens": 2, "sessions": 1}
        for tok in tokens:
            assert c.get("/api/me", headers={"Authorization": f"Bearer {tok}"}).status_code == 401
        assert c.get("/", follow_redirects=False).status_code == 303
        # nobody else is touched, and the account may log in again
        assert c.get("/api/me", headers={"Authorization": f"Bearer {rus}"}).status_code == 200
        assert other.get("/", follow_redirects=False).status_code == 200
        login(c, "kaz")
        assert c.get("/", follow_redirects=False).status_code == 200
    code, _, err = _cli(capsys, "users", "revoke", "nobody", "--db", web_db)
    assert code == 2 and "no user 'nobody'" in err
