"""Fixtures for the exercise room: an app on a fresh SQLite file with one account per role, API helpers, a fake
clock to move time for sessions and tokens, and a live server (uvicorn in a thread on a free loopback port)
for the browser and load tests."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from csto.web import create_app
from csto.web import store as store_module

PASSWORD = "correct-horse-1"

# Tests hash with cheap argon2 parameters (the hash records them, so checks stay cheap too); the app's own
# parameters are argon2-cffi's defaults. This is speed only: the code paths are the same.
store_module._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

#: username → (role, state): Control, the Secretary-General, six delegations and an observer.
USERS: dict[str, tuple[str, str | None]] = {
    "ctl": ("control", None),
    "sg": ("secretary_general", None),
    "kaz": ("delegation", "KAZ"),
    "rus": ("delegation", "RUS"),
    "arm": ("delegation", "ARM"),
    "blr": ("delegation", "BLR"),
    "kgz": ("delegation", "KGZ"),
    "tjk": ("delegation", "TJK"),
    "obs": ("observer", None),
}


class FakeClock:
    """A clock that stands still until a test moves it (pass it as ``create_app(clock=...)``)."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC)) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def make_app(db: str, **kw: Any) -> FastAPI:
    app = create_app(db, **kw)
    store = app.state.csto.store
    for name, (role, state) in USERS.items():
        if store.user(name) is None:
            store.add_user(name, PASSWORD, role, state)
    return app


class Api:
    """Bearer-token calls against an app, one token per user (made on first use)."""

    def __init__(self, client: TestClient | httpx.Client) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def headers(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            r = self.client.post("/api/token", json={"username": user, "password": PASSWORD})
            assert r.status_code == 200, r.text
            self.tokens[user] = r.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def get(self, user: str, path: str, **kw: Any) -> httpx.Response:
        return self.client.get(path, headers=self.headers(user), **kw)

    def post(self, user: str, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        return self.client.post(path, json=body, headers=self.headers(user), **kw)

    def create(self, scenario: str = "kazakhstan-2022", title: str = "Drill", user: str = "ctl") -> str:
        r = self.post(user, "/api/exercises", {"scenario": scenario, "title": title})
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def step(self, user: str, ex: str, kind: str, **params: Any) -> httpx.Response:
        return self.post(user, f"/api/exercises/{ex}/steps", {"kind": kind, **params})

    def ok(self, user: str, ex: str, kind: str, **params: Any) -> dict[str, Any]:
        r = self.step(user, ex, kind, **params)
        assert r.status_code == 200, f"{user} {kind}: {r.status_code} {r.text}"
        out: dict[str, Any] = r.json()
        return out


@pytest.fixture
def web_db(tmp_path: Path) -> str:
    return str(tmp_path / "room.db")


@pytest.fixture
def app(web_db: str) -> FastAPI:
    return make_app(web_db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start the app under uvicorn on loopback (``start(db=None)`` → base URL); stopped after the test."""
    import uvicorn

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(db: str | None = None, **kw: Any) -> str:
        app = make_app(db or str(tmp_path / "live.db"), **kw)
        port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
        )
        server = uvicorn.Server(config)
        t = threading.Thread(target=server.run, daemon=True)
        t.start()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:  # pragma: no cover - only on a broken start
            raise RuntimeError("the live server did not answer /api/health")
        servers.append((server, t))
        return base

    yield start
    for server, t in servers:
        server.should_exit = True
        t.join(timeout=10)


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for a whole module (tests that each make their own exercise can share it)."""
    app = make_app(str(tmp_path_factory.mktemp("room") / "room.db"))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def shared_api(shared_client: TestClient) -> Api:
    return Api(shared_client)
