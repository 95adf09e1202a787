"""CouncilDecision and JointStatement: the decision mechanism on its own, for any body and subject.

A member tables a subject (or a statement's text), the chair convenes the body, members state their
positions, and consensus (with stand-aside) decides. The rule is the same ``CouncilSteps`` every
procedure uses.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.rules.decisions import may_vote


class CouncilDecision(CouncilSteps):
    """A decision of a body on a subject."""

    kind = "decision"
    title = "Council decision"
    article = ("charter", "12")
    starts = frozenset({"table"})
    opening = "table"
    specs = {
        "table": ActionSpec(
            "table",
            "a member taking part, or 'secretariat'",
            "Put a subject on a body's agenda.",
            {"subject": Param("str", required=True), "text": Param("str")},
        ),
        **council_specs({"subject": Param("str"), "text": Param("str")}),
        "conclude": ActionSpec(
            "conclude",
            "the chair or 'secretariat'",
            "Take the subject off the agenda.",
            {"summary": Param("str")},
        ),
    }
    adopted_event = "DecisionAdopted"

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.ballot = Ballot()
        self.subject: dict[str, Any] = {}

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"adopted", "dropped"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == self.opening:
            return None if self.step == "new" else "already tabled"
        if self.step == "new":
            return f"nothing tabled: start with '{self.opening}'"
        if kind == "conclude":
            return None
        return self.council_allowed(kind, actor)

    def default_proposal(self) -> dict[str, Any]:
        return dict(self.subject)

    def on_table(self, action: Action) -> list[DomainEvent]:
        if action.actor != "secretariat":
            self.check(may_vote(self.world.situation(action.at), action.actor))
        return [
            self.event("SubjectTabled", action, subject=action.get("subject"), text=action.get("text") or "")
        ]

    def on_conclude(self, action: Action) -> list[DomainEvent]:
        return [self.event("SubjectDropped", action)]

    def ev_SubjectTabled(self, e: DomainEvent) -> None:
        self.subject = {"subject": e.data["subject"], "text": e.data.get("text", "")}
        self.step = "tabled"

    def ev_DecisionAdopted(self, e: DomainEvent) -> None:
        super().ev_DecisionAdopted(e)
        self.step = "adopted"

    def ev_SubjectDropped(self, e: DomainEvent) -> None:
        self.step = "dropped"


class JointStatement(CouncilDecision):
    """A joint statement: a text adopted by consensus (Charter Art. 9 coordinated statements)."""

    kind = "statement"
    title = "Joint statement"
    article = ("charter", "9")
    starts = frozenset({"draft_statement"})
    opening = "draft_statement"
    specs = {
        "draft_statement": ActionSpec(
            "draft_statement",
            "a member taking part, or 'secretariat'",
            "Circulate a draft statement.",
            {"subject": Param("str", required=True), "text": Param("str", required=True)},
        ),
        **council_specs({"subject": Param("str"), "text": Param("str")}),
        "conclude": ActionSpec(
            "conclude", "the chair or 'secretariat'", "Drop the draft.", {"summary": Param("str")}
        ),
    }

    def on_draft_statement(self, action: Action) -> list[DomainEvent]:
        return self.on_table(action)
