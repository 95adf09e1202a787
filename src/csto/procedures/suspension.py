"""Suspension: the Council suspends a member (Charter Art. 20): no vote, no intelligence, no forces.

Who may be suspended and by which body is judged by ``csto.rules.membership.suspension``; the Council
steps come from ``CouncilSteps``. The played ``StatusChanged`` event is what every rule then reads.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.rules.membership import suspension, suspension_vote


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
        """The members the suspension-vote rule keeps off the roll (the member concerned)."""
        sit = self.world.situation()
        return [s for s in sit.members() if not suspension_vote(sit, s, self.target).ok]

    def on_vote(self, action: Action) -> list[DomainEvent]:
        self.check(suspension_vote(self.world.situation(action.at), action.actor, self.target))
        return super().on_vote(action)

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
