"""FrozenParticipation: a member declares its participation frozen (practice since 2024) and may resume.

Who may freeze is judged by ``csto.rules.membership.may_freeze``; what a frozen member may still do is
judged by each activity's rule. This module keeps only the two steps.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.rules.membership import (
    may_freeze,
)


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
        self.check(may_freeze(sit, action.actor))
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
