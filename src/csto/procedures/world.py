"""The engine's state of the organization: the clock, statuses, other alliances, breaches, money and forces.

Built from the dataset on a start date, then changed only by events (``evolve``), so a fresh replay
of the ledger gives the same world. Rules see it through ``situation()``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from csto.model import Alliance, Dataset, view_at
from csto.procedures.base import DomainEvent
from csto.rules import RulesConfig, Situation


def opening_statuses(ds: Dataset, day: dt.date) -> dict[str, str]:
    """Statuses on ``day`` from the data: every state that has one."""
    out = {}
    for s in ds.states:
        st = s.status_at(day)
        if st is not None:
            out[s.iso3] = st
    return out


class World:
    """The organization as the engine sees it at the current time."""

    def __init__(self, dataset: Dataset, config: RulesConfig | None = None) -> None:
        self.dataset = dataset
        self.config = config or RulesConfig()
        self.clock: dt.datetime | None = None
        self.statuses: dict[str, str] = {}
        self.other_alliances: dict[str, set[str]] = defaultdict(set)
        self.breaches: list[dict[str, Any]] = []
        self.assessed: dict[str, float] = defaultdict(float)
        self.paid: dict[str, float] = defaultdict(float)
        self.force_tasked: dict[str, int] = defaultdict(int)
        self.decisions: dict[str, dict[str, Any]] = {}
        self.taskings: dict[str, dict[str, Any]] = {}
        self.bases: list[dict[str, Any]] = []
        self._views: dict[dt.date, Alliance] = {}

    # ------------------------------------------------------------------ opening
    @staticmethod
    def opening_event(dataset: Dataset, at: dt.datetime, config: RulesConfig | None = None) -> DomainEvent:
        """The first event of a session: the world as the data has it at ``at``."""
        cfg = config or RulesConfig()
        view_at(dataset, at.date())  # refuses dates before the founding
        return DomainEvent(
            type="WorldOpened",
            at=at,
            stream="world",
            data={
                "alliance": dataset.info.id,
                "statuses": opening_statuses(dataset, at.date()),
                "config": {k: getattr(cfg, k) for k in cfg.__dataclass_fields__},
            },
        )

    # ------------------------------------------------------------------ reading
    @property
    def now(self) -> dt.datetime:
        if self.clock is None:
            raise RuntimeError("the world has not been opened")
        return self.clock

    def view(self, day: dt.date | None = None) -> Alliance:
        d = day or self.now.date()
        if d not in self._views:
            self._views[d] = view_at(self.dataset, d)
        return self._views[d]

    def situation(self, at: dt.datetime | None = None) -> Situation:
        t = at or self.now
        return Situation(
            alliance=self.view(t.date()),
            at=t,
            statuses=dict(self.statuses),
            other_alliances={k: frozenset(v) for k, v in self.other_alliances.items()},
            config=self.config,
        )

    def arrears(self, state: str) -> float:
        return max(0.0, round(self.assessed.get(state, 0.0) - self.paid.get(state, 0.0), 2))

    def chair(self, body: str = "csc") -> str | None:
        b = self.view().body(body)
        return b.chair_in(self.now.year) if b else None

    # ------------------------------------------------------------------ evolving
    def evolve(self, e: DomainEvent) -> None:
        if self.clock is None or e.at > self.clock:
            self.clock = e.at
        d = e.data
        t = e.type
        if t == "WorldOpened":
            self.statuses = dict(d["statuses"])
            self.config = RulesConfig(**d.get("config", {}))
        elif t == "StatusChanged":
            self.statuses[d["state"]] = d["status"]
        elif t == "AllianceJoined":
            self.other_alliances[d["state"]].add(d["alliance"])
        elif t == "AllianceLeft":
            self.other_alliances[d["state"]].discard(d["alliance"])
        elif t == "BreachFlagged":
            self.breaches.append(
                {"state": d["state"], "article": d["article"], "reason": d["reason"], "at": e.at}
            )
        elif t == "DecisionAdopted":
            self.decisions[e.stream] = {"level": d.get("level"), "subject": d.get("subject"), "at": e.at}
        elif t == "ForcesTasked":
            total = sum(int(v) for v in d["contributions"].values())
            self.force_tasked[d["force"]] += total
            self.taskings[e.stream] = {"force": d["force"], "contributions": dict(d["contributions"])}
        elif t == "ForcesReleased":
            self.force_tasked[d["force"]] -= int(d["personnel"])
        elif t == "BudgetAdopted":
            for state, amount in d["assessments"].items():
                self.assessed[state] += float(amount)
        elif t == "PaymentRecorded":
            self.paid[d["state"]] += float(d["amount"])
        elif t == "BaseEstablished":
            self.bases.append({"host": d["host"], "foreign_state": d["foreign_state"], "site": d.get("site")})

    def snapshot(self) -> dict[str, Any]:
        """The world as plain data, for projections and the replay test."""
        return {
            "clock": self.clock.isoformat() if self.clock else None,
            "statuses": dict(sorted(self.statuses.items())),
            "other_alliances": {k: sorted(v) for k, v in sorted(self.other_alliances.items()) if v},
            "breaches": [{**b, "at": b["at"].isoformat()} for b in self.breaches],
            "assessed": {k: round(v, 2) for k, v in sorted(self.assessed.items())},
            "paid": {k: round(v, 2) for k, v in sorted(self.paid.items())},
            "force_tasked": {k: v for k, v in sorted(self.force_tasked.items()) if v},
            "decisions": {k: {**v, "at": v["at"].isoformat()} for k, v in sorted(self.decisions.items())},
            "taskings": dict(sorted(self.taskings.items())),
            "bases": list(self.bases),
        }
