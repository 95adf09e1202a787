"""Concurrency: six delegations vote at once, through the API, on 1,000 decisions, against two ``csto
serve`` processes sharing one database (SQLite, then PostgreSQL). No vote may be lost or duplicated,
and every outcome must equal the consensus rule applied to the votes stored in the ledger.

A vote answered 200 is acknowledged; one answered 409 "conflict" (another process kept winning the
race) wrote nothing and is sent again. ``CSTO_RELIABILITY_DECISIONS`` changes the number of decisions.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from csto.ledger import open_ledger
from tests.reliability.server import serve
from tests.web.conftest import PASSWORD, make_app

pytestmark = pytest.mark.reliability
FIGURES = Path(__file__).parent / ".figures"
DECISIONS = int(os.environ.get("CSTO_RELIABILITY_DECISIONS", "1000"))
STATES = ("KAZ", "RUS", "ARM", "BLR", "KGZ", "TJK")
USER = {"KAZ": "kaz", "RUS": "rus", "ARM": "arm", "BLR": "blr", "KGZ": "kgz", "TJK": "tjk"}
#: Each delegation objects with this chance, so that most rounds fail and the session goes on.
P_OBJECT = 0.25


class Client:
    def __init__(self, base: str, user: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        r = self.http.post("/api/token", json={"username": user, "password": PASSWORD})
        r.raise_for_status()
        self.http.headers["Authorization"] = "Bearer " + r.json()["token"]

    def step(self, ex: str, kind: str, **params: Any) -> httpx.Response:
        return self.http.post(f"/api/exercises/{ex}/steps", json={"kind": kind, **params})

    def ok(self, ex: str, kind: str, **params: Any) -> dict[str, Any]:
        for _ in range(20):
            r = self.step(ex, kind, **params)
            if r.status_code == 409 and r.json().get("error") == "conflict":
                continue
            assert r.status_code == 200, f"{kind}: {r.status_code} {r.text}"
            return dict(r.json())
        raise AssertionError(f"{kind} kept conflicting")


def run(db: str) -> dict[str, Any]:
    make_app(db)  # accounts and migrations
    rng = random.Random(20261126)
    with serve(db) as a, serve(db) as b:
        ctl = Client(a, "ctl")
        voters = {s: Client(a if i % 2 == 0 else b, USER[s]) for i, s in enumerate(STATES)}
        acked: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
        conflicts = [0]
        lock = threading.Lock()

        def new_exercise() -> str:
            r = ctl.http.post("/api/exercises", json={"scenario": "kazakhstan-2022", "title": "concurrency"})
            assert r.status_code == 201, r.text
            ex = str(r.json()["id"])
            for s in STATES:
                voters[s].ok(ex, "take_seat", state=s)
            voters["KAZ"].ok(ex, "lodge_request", state="KAZ")
            ctl.ok(ex, "convene")
            return ex

        ex = new_exercise()
        exercises = [ex]
        adopted = 0
        t0 = time.monotonic()
        for d in range(DECISIONS):
            st = ctl.ok(ex, "propose", level="mission")["state"]
            rnd = int(st["ballot"]["round"])
            positions = {
                s: ("object" if rng.random() < P_OBJECT else rng.choice(("support", "stand_aside")))
                for s in STATES
            }
            barrier = threading.Barrier(len(STATES))
            errors: list[str] = []

            def vote(
                s: str,
                ex: str = ex,
                rnd: int = rnd,
                positions: dict[str, str] = positions,
                barrier: threading.Barrier = barrier,
                errors: list[str] = errors,
            ) -> None:
                barrier.wait()
                for _ in range(20):
                    r = voters[s].step(ex, "vote", state=s, position=positions[s], reason=f"decision {rnd}")
                    if r.status_code == 409 and r.json().get("error") == "conflict":
                        with lock:
                            conflicts[0] += 1
                        continue
                    if r.status_code != 200:
                        errors.append(f"{s}: {r.status_code} {r.text}")
                    else:
                        with lock:
                            acked[(ex, rnd)][s] = positions[s]
                    return
                errors.append(f"{s}: kept conflicting")

            threads = [threading.Thread(target=vote, args=(s,)) for s in STATES]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert not errors, errors
            closed = ctl.ok(ex, "close")
            if closed["events"][-1]["type"] == "DecisionAdopted":
                adopted += 1
                if d < DECISIONS - 1:
                    ex = new_exercise()
                    exercises.append(ex)
        seconds = time.monotonic() - t0
    return {
        "acked": acked,
        "exercises": exercises,
        "adopted": adopted,
        "seconds": seconds,
        "conflicts": conflicts[0],
    }


def check(db: str, out: dict[str, Any]) -> dict[str, Any]:
    """Rebuild every decision from the ledger and compare with the acknowledgements and the rule."""
    stored: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    outcomes: dict[tuple[str, int], bool] = {}
    with open_ledger(db) as led:
        assert led.verify().ok
        rounds: dict[str, int] = {}
        for e in led.read():
            scope, _, stream = e.stream.partition(":")
            if stream != "assistance/crisis":
                continue
            if e.type == "ProposalTabled":
                rounds[scope] = int(e.data["round"])
            elif e.type == "VoteCast":
                stored[(scope, rounds[scope])][str(e.data["state"])].append(str(e.data["position"]))
            elif e.type in ("DecisionAdopted", "DecisionFailed"):
                outcomes[(scope, rounds[scope])] = e.type == "DecisionAdopted"
    assert len(outcomes) == DECISIONS
    lost = dup = wrong = 0
    for key, adopted in outcomes.items():
        votes = stored[key]
        for s in STATES:
            n = len(votes.get(s, []))
            lost += n == 0
            dup += n > 1
        assert out["acked"][key] == {s: v[0] for s, v in votes.items()}, key
        final = [v[-1] for v in votes.values()]
        rule = "object" not in final and "support" in final
        wrong += rule != adopted
    assert lost == 0 and dup == 0 and wrong == 0, (lost, dup, wrong)
    return {
        "decisions": len(outcomes),
        "votes": sum(len(v) for v in out["acked"].values()),
        "lost": lost,
        "duplicated": dup,
        "outcome_mismatches": wrong,
    }


def record(name: str, fig: dict[str, Any]) -> None:
    FIGURES.mkdir(exist_ok=True)
    (FIGURES / f"concurrency-{name}.json").write_text(json.dumps(fig) + "\n")
    print(f"\nconcurrency {name}: {fig}")


def test_six_delegations_voting_at_once_on_sqlite(tmp_path: Path) -> None:
    db = str(tmp_path / "room.db")
    out = run(db)
    fig = check(db, out)
    record(
        "sqlite",
        {
            **fig,
            "adopted": out["adopted"],
            "exercises": len(out["exercises"]),
            "seconds": round(out["seconds"], 1),
            "conflicts_retried": out["conflicts"],
        },
    )


@pytest.mark.postgres
def test_six_delegations_voting_at_once_on_postgresql(postgres_url: str) -> None:
    out = run(postgres_url)
    fig = check(postgres_url, out)
    record(
        "postgresql",
        {
            **fig,
            "adopted": out["adopted"],
            "exercises": len(out["exercises"]),
            "seconds": round(out["seconds"], 1),
            "conflicts_retried": out["conflicts"],
        },
    )
