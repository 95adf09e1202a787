"""``csto serve`` starts on a fresh database and ``/api/health`` answers; a bad --db is a clean error;
``--session-minutes`` is how long a login lasts."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import free_port

CSTO = [sys.executable, "-c", "from csto.cli import main; main()"]


def test_csto_serve_starts_and_health_answers(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "room.db"
    proc = subprocess.Popen(
        [*CSTO, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health is not None, (
            proc.stdout.read() if proc.stdout and proc.poll() is not None else "no answer"
        )
        assert health == {"status": "ok"}  # the details are for Control's token only
        assert httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert db.exists()


def test_csto_serve_with_a_bad_database_url_is_a_clean_error(tmp_path: Path) -> None:
    r = subprocess.run(
        [*CSTO, "serve", "--db", "mysql://nope/db", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "field 'db'" in r.stderr and "Traceback" not in r.stderr


def test_session_minutes_sets_how_long_a_login_lasts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from csto.cli import app as cli
    from tests.web.conftest import PASSWORD, FakeClock
    from tests.web.test_pages import login

    served: list[FastAPI] = []
    monkeypatch.setattr(uvicorn, "run", lambda web, **kw: served.append(web))
    db = str(tmp_path / "room.db")
    r = CliRunner().invoke(cli, ["serve", "--db", db, "--session-minutes", "5"])
    assert r.exit_code == 0, r.output
    (web,) = served
    st = web.state.csto
    assert st.session_ttl_s == 300
    st.store.add_user("ctl", PASSWORD, "control", None)
    st.clock = st.store.clock = st.throttle.clock = clock = FakeClock()
    with TestClient(web) as c:
        login(c, "ctl")
        token = c.post("/api/token", json={"username": "ctl", "password": PASSWORD}).json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        clock.advance(minutes=5, seconds=-1)
        assert c.get("/", follow_redirects=False).status_code == 200
        assert c.get("/api/me", headers=bearer).status_code == 200
        clock.advance(seconds=1)
        assert c.get("/", follow_redirects=False).status_code == 303
        assert c.get("/api/me", headers=bearer).status_code == 401, "an API token lasts --session-minutes too"
