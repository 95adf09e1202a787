"""Accession: application → eligibility → review → consensus decision → protocol → ratification → full rights.

Eligibility and rival alliances are judged by ``csto.rules.membership``; the Council steps come from
``CouncilSteps``. This module keeps the order of the steps and the integration period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.rules import RefusedError
from csto.rules.membership import (
    add_months,
    admission_eligibility,
    no_other_alliances,
)

DECISION_PARAMS = {
    "summary": Param("str", help="the draft decision"),
    "integration_months": Param("int", default=0, help="months between ratification and full rights"),
}


class Accession(CouncilSteps):
    """A state's accession: application, checks, review, decision, protocol, ratification, full rights."""

    kind = "accession"
    title = "Accession"
    article = ("charter", "19")
    starts = frozenset({"apply"})
    specs = {
        "apply": ActionSpec(
            "apply",
            "the applicant state",
            "Apply to the Secretariat for membership.",
            {
                "sovereign_state": Param("bool", default=True),
                "accepts_obligations": Param("bool", default=True),
                "alliances": Param("list[str]", help="other alliances the applicant belongs to"),
            },
        ),
        "review": ActionSpec(
            "review",
            "'secretariat'",
            "The Secretariat reviews the application and reports to the Council.",
            {
                "findings": Param("str"),
                "recommend": Param("str", choices=("admit", "reject"), default="admit"),
            },
        ),
        **council_specs(DECISION_PARAMS),
        "sign_protocol": ActionSpec("sign_protocol", "the applicant", "Sign the accession protocol."),
        "ratify": ActionSpec("ratify", "the applicant", "Deposit the instrument of ratification."),
        "complete_integration": ActionSpec(
            "complete_integration",
            "'secretariat'",
            "End the integration period: the applicant gets full rights.",
        ),
        "conclude": ActionSpec(
            "conclude", "the chair or 'secretariat'", "Close the case (application rejected)."
        ),
    }

    ORDER = {
        "apply": ("new",),
        "review": ("applied",),
        "convene": ("reviewed", "in_session"),
        "propose": ("in_session",),
        "vote": ("in_session",),
        "close": ("in_session",),
        "conclude": ("in_session", "reviewed"),
        "sign_protocol": ("admitted",),
        "ratify": ("signed",),
        "complete_integration": ("ratified",),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.ballot = Ballot()
        self.applicant: str | None = None
        self.integration_months = 0
        self.ratified_on: dt.date | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"member", "rejected"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if self.step not in self.ORDER.get(kind, ()):
            return f"'{kind}' cannot come at this stage of the accession ({self.step})"
        if kind in ("apply", "sign_protocol", "ratify") and self.applicant and actor != self.applicant:
            return f"only the applicant ({self.applicant}) takes this step"
        if kind in ("review", "complete_integration") and actor != "secretariat":
            return "this step is the Secretariat's"
        if kind in ("convene", "propose", "vote", "close"):
            return self.council_allowed(kind, actor)
        return None

    def exclude_from_vote(self) -> list[str]:
        return [self.applicant] if self.applicant else []

    def default_proposal(self) -> dict[str, Any]:
        return {"summary": f"admit {self.applicant}", "integration_months": 0}

    def on_apply(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        alliances = [str(a) for a in action.get("alliances") or []]
        self.check(
            admission_eligibility(
                sit,
                action.actor,
                sovereign_state=bool(action.get("sovereign_state", True)),
                accepts_obligations=bool(action.get("accepts_obligations", True)),
            )
        )
        self.check(no_other_alliances(sit, action.actor, alliances))
        return [
            self.event(
                "ApplicationLodged", action, applicant=action.actor, citation=sit.cite("charter", "19")
            )
        ]

    def on_review(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "ApplicationReviewed",
                action,
                findings=action.get("findings") or "",
                recommend=action.get("recommend"),
            )
        ]

    def on_sign_protocol(self, action: Action) -> list[DomainEvent]:
        return [
            self.event("ProtocolSigned", action, state=action.actor),
            self.event(
                "StatusChanged", action, state=action.actor, status="signatory", basis="accession protocol"
            ),
        ]

    def on_ratify(self, action: Action) -> list[DomainEvent]:
        ends = add_months(action.at.date(), self.integration_months)
        return [self.event("ProtocolRatified", action, state=action.actor, integration_ends=ends.isoformat())]

    def on_complete_integration(self, action: Action) -> list[DomainEvent]:
        assert self.ratified_on is not None
        ends = add_months(self.ratified_on, self.integration_months)
        if action.at.date() < ends:
            raise RefusedError(self.refusal(f"the integration period runs until {ends.isoformat()}"))
        return [
            self.event(
                "StatusChanged", action, state=self.applicant, status="member", basis="accession completed"
            )
        ]

    def on_conclude(self, action: Action) -> list[DomainEvent]:
        return [self.event("ApplicationRejected", action, applicant=self.applicant)]

    def ev_ApplicationLodged(self, e: DomainEvent) -> None:
        self.applicant = e.data["applicant"]
        self.step = "applied"

    def ev_ApplicationReviewed(self, e: DomainEvent) -> None:
        self.step = "reviewed"

    def ev_SessionConvened(self, e: DomainEvent) -> None:
        super().ev_SessionConvened(e)
        self.step = "in_session"

    def ev_DecisionAdopted(self, e: DomainEvent) -> None:
        super().ev_DecisionAdopted(e)
        self.integration_months = int(e.data.get("integration_months") or 0)
        self.step = "admitted"

    def ev_ProtocolSigned(self, e: DomainEvent) -> None:
        self.step = "signed"

    def ev_ProtocolRatified(self, e: DomainEvent) -> None:
        self.ratified_on = e.at.date()
        self.step = "ratified"

    def ev_StatusChanged(self, e: DomainEvent) -> None:
        if e.data["status"] == "member":
            self.step = "member"

    def ev_ApplicationRejected(self, e: DomainEvent) -> None:
        self.step = "rejected"
