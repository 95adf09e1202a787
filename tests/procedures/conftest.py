"""Fixtures for procedure tests: the dataset, an engine opened on a date, and a replay of an engine.

``engine_at("2025-03-01")`` gives an engine whose world was opened from the data on that day;
``replayed(engine)`` rebuilds a fresh engine from the live engine's events (for replay-equality tests);
``refused(engine, action)`` asserts a refusal that writes nothing; ``freeze``/``suspend`` change a status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from csto.model import Dataset, load_dataset
from csto.procedures import Action, Engine
from csto.rules import Refused, RefusedError


def utc(day: str) -> dt.datetime:
    """'2025-03-01' or '2025-03-01T10:00' as an aware UTC datetime."""
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset("csto")


@pytest.fixture
def engine_at(dataset: Dataset) -> Callable[[str], Engine]:
    """Make an engine opened (``replay([opening])``) on the given ISO date."""

    def make(day: str) -> Engine:
        eng = Engine(dataset)
        eng.replay([eng.open(utc(day))])
        return eng

    return make


@pytest.fixture
def replayed(dataset: Dataset) -> Callable[[Engine], Engine]:
    """A fresh engine rebuilt from ``engine.events`` alone."""

    def make(engine: Engine) -> Engine:
        fresh = Engine(dataset)
        fresh.replay(list(engine.events))
        return fresh

    return make


@pytest.fixture
def refused() -> Callable[[Engine, Action], Refused]:
    """Handle ``action``, expect a ``RefusedError``, check nothing was written, and return the refusal."""

    def check(engine: Engine, action: Action) -> Refused:
        before, n = engine.snapshot(), len(engine.events)
        with pytest.raises(RefusedError) as e:
            engine.handle(action)
        assert len(engine.events) == n
        assert engine.snapshot() == before
        return e.value.refused

    return check


@pytest.fixture
def freeze() -> Callable[[Engine, str, str], None]:
    """The member freezes its own participation on ``day`` (FrozenParticipation)."""

    def run(engine: Engine, state: str, day: str) -> None:
        engine.handle(Action("freeze", state, utc(day), f"{state.lower()}-freeze", {"reason": "test"}))

    return run


@pytest.fixture
def suspend() -> Callable[[Engine, str, str], None]:
    """The Collective Security Council suspends ``state`` on ``day`` (every other voter supports)."""

    def run(engine: Engine, state: str, day: str) -> None:
        at, case = utc(day), f"{state.lower()}-suspension"
        engine.handle(
            Action("propose_suspension", "secretariat", at, case, {"state": state, "grounds": "test"})
        )
        engine.handle(Action("convene", "secretariat", at, case, {"body": "csc"}))
        voters = [s for s, st in engine.world.statuses.items() if st == "member" and s != state]
        for voter in sorted(voters):
            engine.handle(Action("vote", voter, at, case, {"position": "support"}))
        engine.handle(Action("close", "secretariat", at, case))
        assert engine.world.statuses[state] == "suspended"

    return run
