"""Load: 100 delegations at once against ``csto serve`` on loopback, bounded in count and time (a 120 s
limit). Reports p50 and p99 latency and the error count; the error count must be 0.

Each delegation logs in within the first think time, takes its seat, then, after a think time each: reads its exercise's state (60 %), makes a
statement (25 %) or states its position on the open proposal (15 %). Two profiles: *paced* (10 steps,
1-3 s apart: people at a table, about 50 requests/s in all) on SQLite and PostgreSQL, and *stress* (20 steps,
0.1-0.4 s apart: about 400 requests/s offered, more than one server process serves on this machine) on
SQLite, to show where it saturates. The latency goal (p99 < 100 ms) is measured and reported, not asserted
(timing depends on the machine).
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.server import serve
from tests.web.conftest import PASSWORD, make_app

pytestmark = pytest.mark.reliability
FIGURES = Path(__file__).parent / ".figures"
DELEGATIONS = 100
#: profile → (steps after taking the seat, think time range in seconds)
PROFILES = {"paced": (10, (1.0, 3.0)), "stress": (20, (0.1, 0.4))}
STATES = ("KAZ", "RUS", "ARM", "BLR", "KGZ", "TJK")
LIMIT_S = 120


def setup_accounts(db: str) -> list[tuple[str, str, int]]:
    app = make_app(db)
    store = app.state.csto.store
    users = []
    for i in range(DELEGATIONS):
        name, state = f"d{i:03d}", STATES[i % len(STATES)]
        store.add_user(name, PASSWORD, "delegation", state)
        users.append((name, state, i // len(STATES)))
    app.state.csto.ledger.close()
    return users


async def delegation(
    http: httpx.AsyncClient,
    name: str,
    state: str,
    ex: str,
    rng: random.Random,
    lat: list[float],
    errors: list[str],
    profile: str,
) -> None:
    steps, (lo, hi) = PROFILES[profile]
    await asyncio.sleep(rng.uniform(0, hi))  # people sit down over a moment, not in the same millisecond
    r = await http.post("/api/token", json={"username": name, "password": PASSWORD})
    headers = {"Authorization": "Bearer " + r.json()["token"]}

    async def call(method: str, path: str, body: Any = None) -> None:
        t = time.perf_counter()
        try:
            resp = await http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            errors.append(f"{name} {path}: {exc!r}")
            return
        lat.append(time.perf_counter() - t)
        if resp.status_code >= 400:
            errors.append(f"{name} {path}: {resp.status_code} {resp.text[:200]}")

    await call("POST", f"/api/exercises/{ex}/steps", {"kind": "take_seat", "state": state})
    for i in range(steps):
        await asyncio.sleep(rng.uniform(lo, hi))
        x = rng.random()
        if x < 0.60:
            await call("GET", f"/api/exercises/{ex}")
        elif x < 0.85:
            await call(
                "POST",
                f"/api/exercises/{ex}/steps",
                {"kind": "statement", "state": state, "text": f"point {i}"},
            )
        else:
            position = rng.choice(("support", "stand_aside"))
            await call(
                "POST",
                f"/api/exercises/{ex}/steps",
                {"kind": "vote", "state": state, "position": position, "reason": f"round {i}"},
            )


async def load(
    base: str, users: list[tuple[str, str, int]], exercises: list[str], profile: str
) -> dict[str, Any]:
    lat: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=DELEGATIONS + 10, max_keepalive_connections=DELEGATIONS + 10)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        t0 = time.monotonic()
        await asyncio.wait_for(
            asyncio.gather(
                *(
                    delegation(http, name, state, exercises[k], random.Random(i), lat, errors, profile)
                    for i, (name, state, k) in enumerate(users)
                )
            ),
            timeout=LIMIT_S,
        )
        wall = time.monotonic() - t0
    q = statistics.quantiles(lat, n=100)
    return {
        "profile": profile,
        "think_s": PROFILES[profile][1],
        "delegations": DELEGATIONS,
        "requests": len(lat) + len([e for e in errors if "HTTPError" in e]),
        "errors": len(errors),
        "p50_ms": round(statistics.median(lat) * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(max(lat) * 1000, 1),
        "throughput_rps": round(len(lat) / wall, 1),
        "wall_s": round(wall, 1),
        "sample_errors": errors[:5],
    }


def run(db: str, name: str, profile: str) -> None:
    users = setup_accounts(db)
    with serve(db) as base:
        ctl = httpx.Client(base_url=base, timeout=30)
        tok = ctl.post("/api/token", json={"username": "ctl", "password": PASSWORD}).json()["token"]
        ctl.headers["Authorization"] = f"Bearer {tok}"
        exercises = []
        for _k in range(-(-DELEGATIONS // len(STATES))):
            ex = ctl.post("/api/exercises", json={"scenario": "kazakhstan-2022", "title": "load"}).json()[
                "id"
            ]
            for kind, extra in (
                ("lodge_request", {"state": "KAZ"}),
                ("convene", {}),
                ("propose", {"level": "mission"}),
            ):
                r = ctl.post(f"/api/exercises/{ex}/steps", json={"kind": kind, **extra})
                assert r.status_code == 200, r.text
            exercises.append(ex)
        fig = asyncio.run(load(base, users, exercises, profile))
    FIGURES.mkdir(exist_ok=True)
    (FIGURES / f"load-{name}-{profile}.json").write_text(json.dumps(fig) + "\n")
    print(f"\nload {name} {profile}: {fig}")
    assert fig["errors"] == 0, fig["sample_errors"]
    assert fig["requests"] == DELEGATIONS * (PROFILES[profile][0] + 1)


@pytest.mark.parametrize("profile", ["paced", "stress"])
def test_a_hundred_delegations_at_once_on_sqlite(tmp_path: Path, profile: str) -> None:
    run(str(tmp_path / "room.db"), "sqlite", profile)


@pytest.mark.postgres
def test_a_hundred_delegations_at_once_on_postgresql(postgres_url: str) -> None:
    run(postgres_url, "postgresql", "paced")
