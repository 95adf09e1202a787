"""BaseConsent: a non-member's military base on a member's territory, with every member's consent.

The host asks; each member answers (consent or refuse, with a reason); the base can be established
only with every consent, and one refusal blocks it (CSC decision of December 2011).
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.rules.bases import base_consent, consent_required_from, may_answer_base_request, may_request_base


class BaseConsent(Procedure):
    """Request → answers from every member → established, or blocked by one refusal."""

    kind = "base"
    title = "Consent to a third-country base"
    article = ("csc-2011-bases", "1")
    starts = frozenset({"request_base"})
    specs = {
        "request_base": ActionSpec(
            "request_base",
            "the host member",
            "Ask the other members to consent to a non-member's military base.",
            {
                "foreign_state": Param(
                    "str", required=True, help="ISO3 of the state that would run the base"
                ),
                "site": Param("str", required=True),
                "purpose": Param("str"),
            },
        ),
        "answer": ActionSpec(
            "answer",
            "each member",
            "Consent or refuse, with a reason.",
            {"answer": Param("str", required=True, choices=("consent", "refuse")), "reason": Param("str")},
        ),
        "establish_base": ActionSpec(
            "establish_base", "the host", "Establish the base (needs every consent)."
        ),
        "withdraw_request": ActionSpec("withdraw_request", "the host", "Withdraw the request."),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.host: str | None = None
        self.foreign_state: str | None = None
        self.site: str | None = None
        self.answers: dict[str, str] = {}

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"established", "withdrawn"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "request_base":
            return None if self.step == "new" else "already requested"
        if self.step == "new":
            return "no base has been requested"
        if kind in ("establish_base", "withdraw_request") and actor != self.host:
            return f"only the host ({self.host}) takes this step"
        return None

    def on_request_base(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(may_request_base(sit, action.actor))
        return [
            self.event(
                "BaseRequested",
                action,
                host=action.actor,
                foreign_state=action.get("foreign_state"),
                site=action.get("site"),
                purpose=action.get("purpose"),
                consent_needed_from=[s for s in consent_required_from(sit) if s != action.actor],
                citation=sit.cite("csc-2011-bases", "1"),
            )
        ]

    def on_answer(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(may_answer_base_request(sit, action.actor, self.host))
        kind = "ConsentGiven" if action.get("answer") == "consent" else "ConsentRefused"
        return [self.event(kind, action, state=action.actor, reason=action.get("reason") or "")]

    def on_establish_base(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        assert self.host is not None and self.foreign_state is not None
        self.check(base_consent(sit, self.host, self.foreign_state, self.answers))
        return [
            self.event(
                "BaseEstablished", action, host=self.host, foreign_state=self.foreign_state, site=self.site
            )
        ]

    def on_withdraw_request(self, action: Action) -> list[DomainEvent]:
        return [self.event("BaseRequestWithdrawn", action, host=self.host)]

    def ev_BaseRequested(self, e: DomainEvent) -> None:
        self.host = e.data["host"]
        self.foreign_state = e.data["foreign_state"]
        self.site = e.data.get("site")
        self.step = "consulting"

    def ev_ConsentGiven(self, e: DomainEvent) -> None:
        self.answers[e.data["state"]] = "consent"

    def ev_ConsentRefused(self, e: DomainEvent) -> None:
        self.answers[e.data["state"]] = "refuse"
        self.step = "blocked"

    def ev_BaseEstablished(self, e: DomainEvent) -> None:
        self.step = "established"

    def ev_BaseRequestWithdrawn(self, e: DomainEvent) -> None:
        self.step = "withdrawn"

    def snapshot(self) -> dict[str, Any]:
        return {**super().snapshot(), "answers": dict(sorted(self.answers.items()))}
