"""TrainingQuota: a host's training quotas for one sender and year (Training Agreement 2005), and places used.

The terms and the quotas are judged by ``csto.rules.training`` (which also defines the terms once);
this module keeps the case, the order of the steps and who takes each. Only ``ev_*`` changes state.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.params import (
    param_int,
    param_str,
    param_text,
)
from csto.rules import RefusedError
from csto.rules.training import QUOTA_TERMS, TRAINING_TERMS, quota_setting, training_places


class TrainingQuota(Procedure):
    """A host's training quotas for one sender and year (Training Agreement 2005), and the places used.

    The host sets free and preferential quotas (setting one again replaces it, never below the places
    already allocated); the sender allocates places against what remains. Paid places need no quota.
    The case never closes: quotas are changed or used up, not ended.
    """

    kind = "training"
    title = "Military training quota"
    article = ("training-2005", "whole")
    starts = frozenset({"set_quota"})
    specs = {
        "set_quota": ActionSpec(
            "set_quota",
            "the host member",
            "Set the number of free or preferential places for a sender in a year.",
            {
                "sender": Param("state", required=True),
                "terms": Param("str", required=True, choices=QUOTA_TERMS),
                "places": Param("int", required=True),
                "year": Param("int", required=True),
            },
        ),
        "allocate": ActionSpec(
            "allocate",
            "the sending member",
            "Send trainees: within a quota (free, preferential) or paid.",
            {
                "terms": Param("str", required=True, choices=TRAINING_TERMS),
                "places": Param("int", required=True),
                "speciality": Param("str"),
            },
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.host: str | None = None
        self.sender: str | None = None
        self.year: int | None = None
        self.quotas: dict[str, int] = {}
        self.allocated: dict[str, int] = {}
        self.allocations: list[dict[str, Any]] = []

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "set_quota":
            if self.step != "new" and actor != self.host:
                return f"only the host ({self.host}) sets quotas in this case"
            return None
        if self.step == "new":
            return "no quota has been set: start with 'set_quota'"
        if kind == "allocate":
            return None if actor == self.sender else f"only the sender ({self.sender}) allocates places"
        return f"'{kind}' does not apply here"

    def remaining(self, terms: str) -> int | None:
        """Places left in the quota on ``terms`` (None where no quota was set), from the events."""
        if terms not in self.quotas:
            return None
        return self.quotas[terms] - self.allocated.get(terms, 0)

    def on_set_quota(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        sender, terms = param_str(action, "sender"), param_str(action, "terms")
        places, year = param_int(action, "places"), param_int(action, "year")
        if self.step != "new" and (sender, year) != (self.sender, self.year):
            raise RefusedError(
                self.refusal(
                    f"this case holds {self.host}'s {self.year} quota for {self.sender}: open a new case"
                )
            )
        self.check(quota_setting(sit, action.actor, sender, terms, places, self.allocated.get(terms, 0)))
        return [
            self.event(
                "QuotaSet",
                action,
                host=action.actor,
                sender=sender,
                terms=terms,
                places=places,
                year=year,
                citation=sit.cite(*self.article),
            )
        ]

    def on_allocate(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        assert self.host is not None and self.sender is not None
        terms, places = param_str(action, "terms"), param_int(action, "places")
        remaining = self.remaining(terms)
        self.check(training_places(sit, self.host, self.sender, terms, places, remaining))
        return [
            self.event(
                "PlacesAllocated",
                action,
                host=self.host,
                sender=self.sender,
                terms=terms,
                places=places,
                speciality=param_text(action, "speciality"),
                remaining_after=None if remaining is None or terms == "paid" else remaining - places,
            )
        ]

    def ev_QuotaSet(self, e: DomainEvent) -> None:
        d = e.data
        self.host, self.sender, self.year = d["host"], d["sender"], int(d["year"])
        self.quotas[d["terms"]] = int(d["places"])
        self.step = "open"

    def ev_PlacesAllocated(self, e: DomainEvent) -> None:
        d = e.data
        self.allocated[d["terms"]] = self.allocated.get(d["terms"], 0) + int(d["places"])
        self.allocations.append(
            {"terms": d["terms"], "places": int(d["places"]), "speciality": d["speciality"]}
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "host": self.host,
            "sender": self.sender,
            "year": self.year,
            "quotas": dict(sorted(self.quotas.items())),
            "allocated": dict(sorted(self.allocated.items())),
            "remaining": {t: self.quotas[t] - self.allocated.get(t, 0) for t in sorted(self.quotas)},
            "allocations": [dict(a) for a in self.allocations],
        }
