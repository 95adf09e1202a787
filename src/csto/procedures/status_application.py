"""StatusApplication: a state asks for observer (Charter Art. 21) or partner (Art. 4) status; the Council decides.

Eligibility is judged by ``csto.rules.membership``; the Council steps come from ``CouncilSteps``.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.rules.membership import (
    observer_eligibility,
    partner_eligibility,
)


class StatusApplication(CouncilSteps):
    """A state asks for observer (Charter Art. 21) or partner (Art. 4) status; the Council decides."""

    kind = "status"
    title = "Observer or partner status"
    article = ("charter", "21")
    starts = frozenset({"apply_status"})
    specs = {
        "apply_status": ActionSpec(
            "apply_status",
            "the applicant state",
            "Apply for observer or partner status.",
            {
                "status": Param("str", required=True, choices=("observer", "partner")),
                "relations_with_all": Param("bool", default=True),
                "alliances": Param("list[str]"),
            },
        ),
        **council_specs({"summary": Param("str")}),
        "conclude": ActionSpec("conclude", "the chair or 'secretariat'", "Close without granting status."),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.ballot = Ballot()
        self.applicant: str | None = None
        self.wanted: str | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"granted", "refused"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "apply_status":
            return None if self.step == "new" else "already applied"
        if self.step == "new":
            return "no application yet"
        if kind == "conclude":
            return None
        return self.council_allowed(kind, actor)

    def default_proposal(self) -> dict[str, Any]:
        return {"summary": f"grant {self.wanted} status to {self.applicant}"}

    def on_apply_status(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        wanted = str(action.get("status"))
        rel = bool(action.get("relations_with_all", True))
        if wanted == "observer":
            self.check(observer_eligibility(sit, action.actor, rel))
        else:
            self.check(
                partner_eligibility(sit, action.actor, rel, [str(a) for a in action.get("alliances") or []])
            )
        return [self.event("StatusApplied", action, applicant=action.actor, status=wanted)]

    def on_close(self, action: Action) -> list[DomainEvent]:
        events = super().on_close(action)
        if events[-1].type == "DecisionAdopted":
            events.append(
                self.event(
                    "StatusChanged",
                    action,
                    state=self.applicant,
                    status=self.wanted,
                    basis="Council decision",
                )
            )
        return events

    def on_conclude(self, action: Action) -> list[DomainEvent]:
        return [self.event("StatusRefused", action, applicant=self.applicant)]

    def ev_StatusApplied(self, e: DomainEvent) -> None:
        self.applicant = e.data["applicant"]
        self.wanted = e.data["status"]
        self.step = "applied"

    def ev_StatusChanged(self, e: DomainEvent) -> None:
        self.step = "granted"

    def ev_StatusRefused(self, e: DomainEvent) -> None:
        self.step = "refused"
