"""BudgetAssessment: a year's budget, decided by consensus, assessed, paid, and its arrears recorded.

The scale, payments and quota posts are judged by the rules in ``csto.rules.cooperation``; the
Council steps come from ``CouncilSteps``. Payments and arrears live in the world. Only ``ev_*`` changes
state; nothing here touches the ledger or the web.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.procedures.params import (
    as_number,
    as_numbers,
    param_float,
    param_int,
    param_str,
)
from csto.rules import RefusedError
from csto.rules.cooperation import budget_payment, budget_scale, may_fill_post

#: Sources for not assessing a frozen member and cutting the budget instead (keys in sources.yaml).
BUDGET_CUT_SOURCES = ("rferl_2024_armenia_budget", "massispost_2024_armenia_budget", "nsn_2024_csto_budget")


class BudgetAssessment(CouncilSteps):
    """A year's budget: proposed → decided by consensus → assessed → paid → arrears recorded.

    Members whose participation is frozen or suspended when the budget is adopted are not assessed, and
    their share is not redistributed: the budget is cut instead (Armenia 2024). Payments and arrears
    live in the world (``World.assessed`` / ``paid``), so arrears block quota posts and withdrawal.
    """

    kind = "budget"
    title = "Budget assessment"
    article = ("charter", "12")
    starts = frozenset({"propose_budget"})
    specs = {
        "propose_budget": ActionSpec(
            "propose_budget",
            "'secretariat'",
            "Propose a year's budget and the scale of shares (percent, summing to 100).",
            {
                "year": Param("int", required=True),
                "total": Param("float", required=True),
                "shares": Param("dict[str,float]", required=True, help="percent by member, e.g. {RUS: 50}"),
            },
        ),
        **council_specs(
            {"total": Param("float"), "shares": Param("dict[str,float]"), "summary": Param("str")}
        ),
        "pay": ActionSpec(
            "pay",
            "an assessed member",
            "Pay towards what it owes.",
            {"amount": Param("float", required=True)},
        ),
        "fill_post": ActionSpec(
            "fill_post",
            "a member",
            "Fill one of its quota posts in the Secretariat or the Joint Staff.",
            {"post": Param("str", required=True)},
        ),
        "close_year": ActionSpec("close_year", "'secretariat'", "Close the budget year and record arrears."),
        "conclude": ActionSpec("conclude", "the chair or 'secretariat'", "Drop the proposal."),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.ballot = Ballot()
        self.year: int | None = None
        self.total: float = 0.0
        self.shares: dict[str, float] = {}
        self.adopted: dict[str, Any] = {}
        self.paid: dict[str, float] = {}
        self.posts: list[dict[str, str]] = []
        self.arrears: dict[str, float] = {}

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"closed", "dropped"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "propose_budget":
            if actor != "secretariat":
                return "the Secretariat proposes the budget"
            return None if self.step == "new" else "the budget has already been proposed"
        if self.step == "new":
            return "no budget has been proposed: start with 'propose_budget'"
        if kind in ("convene", "propose", "vote", "close"):
            if self.step == "adopted":
                return "the budget has been adopted"
            return self.council_allowed(kind, actor)
        if kind == "conclude":
            if actor not in ("secretariat", self.ballot.chair):
                return "the chair or the Secretariat drops a proposal"
            return None if self.step != "adopted" else "the budget has been adopted"
        if self.step != "adopted":
            return f"'{kind}' follows the adoption of the budget"
        if kind == "close_year" and actor != "secretariat":
            return "the Secretariat closes the budget year"
        return None

    def default_proposal(self) -> dict[str, Any]:
        return {
            "subject": f"budget {self.year}",
            "year": self.year,
            "total": self.total,
            "shares": dict(self.shares),
        }

    def budget_terms(self, proposal: Mapping[str, Any]) -> tuple[float, dict[str, float]]:
        """The total and the scale a tabled proposal stands for (the proposed budget where it is silent)."""
        total = as_number(proposal["total"], "total") if proposal.get("total") is not None else self.total
        shares = as_numbers(proposal.get("shares"), "shares") or dict(self.shares)
        return total, shares

    def validate_proposal(self, action: Action, proposal: dict[str, Any]) -> None:
        total, shares = self.budget_terms(proposal)
        self.check(budget_scale(self.world.situation(action.at), total, shares))

    # ------------------------------------------------------------------ decide
    def on_propose_budget(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        year, total, shares = (
            param_int(action, "year"),
            param_float(action, "total"),
            as_numbers(action.get("shares"), "shares"),
        )
        self.check(budget_scale(sit, total, shares))
        return [
            self.event(
                "BudgetProposed",
                action,
                year=year,
                total=total,
                shares=shares,
                citation=sit.cite("charter", "11"),
            )
        ]

    def on_close(self, action: Action) -> list[DomainEvent]:
        events = super().on_close(action)
        if events[-1].type != "DecisionAdopted":
            return events
        sit = self.world.situation(action.at)
        total, shares = self.budget_terms(self.ballot.proposal)
        assessments: dict[str, float] = {}
        not_assessed: dict[str, str] = {}
        for state, share in sorted(shares.items()):
            status = sit.status(state) or "none"
            if status == "member":
                assessments[state] = round(total * share / 100.0, 2)
            else:
                not_assessed[state] = status
        unfunded = round(sum(total * shares[s] / 100.0 for s in not_assessed), 2)
        sources = [k for k in BUDGET_CUT_SOURCES if k in sit.alliance.sources]
        if not_assessed:
            who = ", ".join(f"{s} ({st})" for s, st in not_assessed.items())
            reason = (
                f"{who} not assessed: a member that froze or was suspended does not pay, and its share is not "
                f"redistributed; the budget is cut by {unfunded:,.2f} instead, as when Armenia stopped paying in "
                f"2024 ({', '.join(sources) or 'sources not in the data'})"
            )
        else:
            reason = "every member in the scale is assessed"
        events.append(
            self.event(
                "BudgetAdopted",
                action,
                year=self.year,
                total=total,
                shares=shares,
                assessments=assessments,
                not_assessed=sorted(not_assessed),
                statuses=not_assessed,
                unfunded=unfunded,
                adopted_total=round(total - unfunded, 2),
                reason=reason,
                sources=sources,
                citation=sit.cite("charter", "11"),
            )
        )
        return events

    def on_pay(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        amount = param_float(action, "amount")
        self.check(budget_payment(sit, action.actor, amount, self.world.arrears(action.actor)))
        return [self.event("PaymentRecorded", action, state=action.actor, amount=amount, year=self.year)]

    def on_fill_post(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(may_fill_post(sit, action.actor, self.world.arrears(action.actor)))
        return [self.event("PostFilled", action, state=action.actor, post=param_str(action, "post"))]

    def on_close_year(self, action: Action) -> list[DomainEvent]:
        assert self.year is not None
        if action.at.date() < dt.date(self.year, 12, 31):
            raise RefusedError(
                self.refusal(f"the {self.year} budget year closes on {self.year}-12-31 at the earliest")
            )
        assessed = self.adopted.get("assessments", {})
        arrears = {s: self.world.arrears(s) for s in sorted(assessed)}
        return [
            self.event(
                "ArrearsRecorded",
                action,
                year=self.year,
                arrears={s: a for s, a in arrears.items() if a > 0},
                total_arrears=round(sum(arrears.values()), 2),
            )
        ]

    def on_conclude(self, action: Action) -> list[DomainEvent]:
        return [self.event("BudgetDropped", action, year=self.year)]

    # ------------------------------------------------------------------ evolve
    def ev_BudgetProposed(self, e: DomainEvent) -> None:
        self.year = int(e.data["year"])
        self.total = float(e.data["total"])
        self.shares = {k: float(v) for k, v in e.data["shares"].items()}
        self.step = "proposed"

    def ev_SessionConvened(self, e: DomainEvent) -> None:
        super().ev_SessionConvened(e)
        self.step = "in_session"

    def ev_DecisionAdopted(self, e: DomainEvent) -> None:
        super().ev_DecisionAdopted(e)
        self.step = "adopted"

    def ev_BudgetAdopted(self, e: DomainEvent) -> None:
        self.adopted = {k: v for k, v in e.data.items() if k != "actor"}

    def ev_PaymentRecorded(self, e: DomainEvent) -> None:
        state = e.data["state"]
        self.paid[state] = round(self.paid.get(state, 0.0) + float(e.data["amount"]), 2)

    def ev_PostFilled(self, e: DomainEvent) -> None:
        self.posts.append({"state": e.data["state"], "post": e.data["post"]})

    def ev_ArrearsRecorded(self, e: DomainEvent) -> None:
        self.arrears = {k: float(v) for k, v in e.data["arrears"].items()}
        self.step = "closed"

    def ev_BudgetDropped(self, e: DomainEvent) -> None:
        self.step = "dropped"

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "year": self.year,
            "total": self.total,
            "shares": dict(sorted(self.shares.items())),
            "assessments": dict(sorted(self.adopted.get("assessments", {}).items())),
            "not_assessed": list(self.adopted.get("not_assessed", [])),
            "adopted_total": self.adopted.get("adopted_total"),
            "paid": dict(sorted(self.paid.items())),
            "posts": [dict(p) for p in self.posts],
            "arrears": dict(sorted(self.arrears.items())),
        }
