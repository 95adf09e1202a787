"""Helpers for conformance tests: an engine opened on a date, and a compact way to take steps.

Each test marks the rule it covers with ``@covers("rule-id")``; ``csto treaty --rules`` lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from csto.model import load_dataset
from csto.procedures import Action, Engine
from csto.rules import Refused, RefusedError, RulesConfig

covers = pytest.mark.covers


class Table:
    """An engine with a clock that moves forward one minute per step."""

    def __init__(self, day: str, config: RulesConfig | None = None) -> None:
        self.engine = Engine(load_dataset("csto"), config)
        self.t = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC, hour=9)
        self.engine.replay([self.engine.open(self.t, config)])

    def at(self, day: str) -> Table:
        self.t = dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC, hour=9)
        return self

    def do(self, actor: str, kind: str, case: str, /, **params: Any) -> list[Any]:
        self.t += dt.timedelta(minutes=1)
        return self.engine.handle(Action(kind, actor, self.t, case, params))

    def refused(self, actor: str, kind: str, case: str, /, **params: Any) -> Refused:
        before = self.engine.snapshot()
        with pytest.raises(RefusedError) as info:
            self.do(actor, kind, case, **params)
        assert self.engine.snapshot() == before, "a refused action changed the engine"
        return info.value.refused

    def status(self, iso3: str) -> str | None:
        return self.engine.world.statuses.get(iso3)

    def council(
        self, case: str, chair: str, positions: dict[str, str], body: str = "csc", **proposal: Any
    ) -> Any:
        """Convene, table ``proposal`` (if any), cast ``positions`` and close; returns the last event."""
        self.do(chair, "convene", case, body=body)
        if proposal:
            self.do(chair, "propose", case, **proposal)
        for state, pos in positions.items():
            self.do(state, "vote", case, position=pos)
        return self.do(chair, "close", case)[-1]


@pytest.fixture
def table() -> Callable[..., Table]:
    return Table


ALL_SUPPORT = {s: "support" for s in ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")}
