"""Procedures on membership: Accession, Withdrawal, Suspension, FrozenParticipation, StatusApplication.

Accession runs application → eligibility → review → consensus decision → protocol → ratification
and integration → full rights. Withdrawal needs notice (or the end of a treaty term); suspension is a
Council decision; a freeze is a member's own declaration; observer and partner status are granted
by the Council.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.rules import RefusedError
from csto.rules.membership import (
    add_months,
    admission_eligibility,
    no_other_alliances,
    non_renewal,
    observer_eligibility,
    partner_eligibility,
    suspension,
    withdrawal_notice,
    withdrawal_obligations,
)

DECISION_PARAMS = {
    "summary": Param("str", help="the draft decision"),
    "integration_months": Param("int", default=0, help="months between ratification and full rights"),
}


def _parse_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


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


class Withdrawal(Procedure):
    """A member leaves: by notice (Charter Art. 20; uncertain) or by not renewing at a term's end (CST Art. 11)."""

    kind = "withdrawal"
    title = "Withdrawal"
    article = ("charter", "20")
    starts = frozenset({"notify_withdrawal"})
    specs = {
        "notify_withdrawal": ActionSpec(
            "notify_withdrawal",
            "the member leaving",
            "Give written notice of withdrawal (or of not renewing the treaty).",
            {
                "mode": Param("str", choices=("notice", "non_renewal"), default="notice"),
                "effective": Param("date", required=True, help="the day the withdrawal takes effect"),
                "reason": Param("str"),
            },
        ),
        "revoke": ActionSpec("revoke", "the member", "Revoke the notice before it takes effect."),
        "take_effect": ActionSpec(
            "take_effect", "'secretariat' (the depositary)", "Record that the withdrawal took effect."
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.state: str | None = None
        self.effective: dt.date | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"withdrawn", "revoked"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "notify_withdrawal":
            return None if self.step == "new" else "notice has already been given"
        if self.step != "notified":
            return "no withdrawal notice is pending"
        if kind == "revoke" and actor != self.state:
            return f"only {self.state} may revoke its notice"
        if kind == "take_effect" and actor != "secretariat":
            return "the depositary (the Secretariat) records the withdrawal"
        return None

    def on_notify_withdrawal(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        effective = _parse_day(action.get("effective"))
        mode = str(action.get("mode", "notice"))
        if mode == "non_renewal":
            if not sit.is_member(action.actor):
                raise RefusedError(sit.refuse("cst-art11-term", f"{action.actor} is not a party"))
            self.check(non_renewal(sit, action.actor, effective))
            cite = sit.cite("cst", "11")
        else:
            self.check(withdrawal_notice(sit, action.actor, action.at.date(), effective))
            self.check(withdrawal_obligations(sit, action.actor, self.world.arrears(action.actor)))
            cite = sit.cite("charter", "20")
        return [
            self.event(
                "WithdrawalNotified",
                action,
                state=action.actor,
                mode=mode,
                effective=effective.isoformat(),
                reason=action.get("reason") or "",
                citation=cite,
                notice_months=sit.config.withdrawal_notice_months,
            )
        ]

    def on_revoke(self, action: Action) -> list[DomainEvent]:
        return [self.event("WithdrawalRevoked", action, state=self.state)]

    def on_take_effect(self, action: Action) -> list[DomainEvent]:
        assert self.effective is not None and self.state is not None
        if action.at.date() < self.effective:
            raise RefusedError(self.refusal(f"the withdrawal takes effect on {self.effective.isoformat()}"))
        sit = self.world.situation(action.at)
        self.check(withdrawal_obligations(sit, self.state, self.world.arrears(self.state)))
        return [self.event("StatusChanged", action, state=self.state, status="withdrawn", basis="withdrawal")]

    def ev_WithdrawalNotified(self, e: DomainEvent) -> None:
        self.state = e.data["state"]
        self.effective = dt.date.fromisoformat(e.data["effective"])
        self.step = "notified"

    def ev_WithdrawalRevoked(self, e: DomainEvent) -> None:
        self.step = "revoked"

    def ev_StatusChanged(self, e: DomainEvent) -> None:
        self.step = "withdrawn"


class Suspension(CouncilSteps):
    """The Council suspends a member (Charter Art. 20): no vote, no intelligence, no forces."""

    kind = "suspension"
    title = "Suspension"
    article = ("charter", "20")
    starts = frozenset({"propose_suspension"})
    specs = {
        "propose_suspension": ActionSpec(
            "propose_suspension",
            "a member or 'secretariat'",
            "Propose that the Council suspend a member.",
            {"state": Param("state", required=True), "grounds": Param("str", required=True)},
        ),
        **council_specs({"summary": Param("str")}),
        "conclude": ActionSpec("conclude", "the chair or 'secretariat'", "Drop the proposal."),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.ballot = Ballot()
        self.target: str | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"suspended", "dropped"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "propose_suspension":
            return None if self.step == "new" else "already proposed"
        if self.step == "new":
            return "nothing proposed yet"
        if kind == "conclude":
            return None
        return self.council_allowed(kind, actor)

    def exclude_from_vote(self) -> list[str]:
        # Assumption (no source): the member concerned does not take part in the decision on itself.
        return [self.target] if self.target else []

    def default_proposal(self) -> dict[str, Any]:
        return {"summary": f"suspend {self.target}"}

    def on_propose_suspension(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        state = str(action.get("state"))
        self.check(suspension(sit, state, "csc"))
        return [self.event("SuspensionProposed", action, state=state, grounds=action.get("grounds"))]

    def on_convene(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        assert self.target is not None
        self.check(suspension(sit, self.target, str(action.get("body", "csc"))))
        return super().on_convene(action)

    def on_close(self, action: Action) -> list[DomainEvent]:
        events = super().on_close(action)
        if events[-1].type == "DecisionAdopted":
            events.append(
                self.event(
                    "StatusChanged", action, state=self.target, status="suspended", basis="Council decision"
                )
            )
        return events

    def on_conclude(self, action: Action) -> list[DomainEvent]:
        return [self.event("SuspensionDropped", action, state=self.target)]

    def ev_SuspensionProposed(self, e: DomainEvent) -> None:
        self.target = e.data["state"]
        self.step = "proposed"

    def ev_StatusChanged(self, e: DomainEvent) -> None:
        self.step = "suspended"

    def ev_SuspensionDropped(self, e: DomainEvent) -> None:
        self.step = "dropped"


class FrozenParticipation(Procedure):
    """A member freezes its participation (practice since 2024) and may later resume."""

    kind = "freeze"
    title = "Frozen participation"
    article = ("charter", "12")
    starts = frozenset({"freeze"})
    specs = {
        "freeze": ActionSpec(
            "freeze",
            "the member",
            "Declare participation frozen: stand aside from everything, pay nothing.",
            {"reason": Param("str")},
        ),
        "resume": ActionSpec("resume", "the member", "Resume full participation."),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.state: str | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"resumed"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "freeze":
            return None if self.step == "new" else "already frozen"
        if self.step != "frozen":
            return "participation is not frozen"
        return None if actor == self.state else f"only {self.state} may resume its participation"

    def on_freeze(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        if sit.status(action.actor) != "member":
            raise RefusedError(
                sit.refuse(
                    "practice-frozen-participation",
                    f"only a member taking part can freeze its participation ({action.actor}: "
                    f"{sit.status(action.actor) or 'no status'})",
                )
            )
        return [
            self.event("ParticipationFrozen", action, state=action.actor, reason=action.get("reason") or ""),
            self.event("StatusChanged", action, state=action.actor, status="frozen", basis="own declaration"),
        ]

    def on_resume(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "StatusChanged", action, state=self.state, status="member", basis="participation resumed"
            )
        ]

    def ev_ParticipationFrozen(self, e: DomainEvent) -> None:
        self.state = e.data["state"]
        self.step = "frozen"

    def ev_StatusChanged(self, e: DomainEvent) -> None:
        if e.data["status"] == "member":
            self.step = "resumed"


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
