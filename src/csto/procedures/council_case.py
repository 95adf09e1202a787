"""The shared steps of a defence case decided by a council: request → session → decision → tasking.

``_CaseWithDecision`` is the base of AssistanceRequest, Consultation and PeacekeepingMandate; the
tasking of forces after a decision to deploy is judged by ``csto.rules.defence`` (the force exists and
stands, contributions within registered strength). Only ``ev_*`` changes state.
"""

from __future__ import annotations

from typing import Any

from csto.model import RESPONSE_LADDER
from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import Ballot, CouncilSteps
from csto.rules import RefusedError
from csto.rules.defence import collective_forces_exist, force_use_body, tasking_within_strength

FORCE_LEVELS = ("deployment", "assistance")

LEVEL_PARAMS = {
    "level": Param("str", required=True, choices=RESPONSE_LADDER, help="the response on the ladder"),
    "summary": Param("str", help="what is proposed, in a sentence"),
    "mandate": Param("str", help="tasks and limits of a deployment"),
}

TASK_SPEC = ActionSpec(
    "task_forces",
    "the chair, 'joint_staff' or 'secretariat'",
    "Task national contributions to a collective force after a decision to deploy.",
    {
        "force": Param("str", required=True, help="force id, e.g. peacekeeping or crrf"),
        "contributions": Param("dict[str,int]", required=True, help="personnel by state, e.g. {RUS: 1500}"),
        "vehicles": Param("dict[str,int]", help="vehicles by state"),
    },
)

WITHDRAW_SPEC = ActionSpec(
    "withdraw_request", "the requester", "Withdraw the request.", {"reason": Param("str")}
)

CONCLUDE_SPEC = ActionSpec(
    "conclude",
    "the chair or 'secretariat'",
    "Close the case without a (further) decision.",
    {"summary": Param("str", help="how the case ended")},
)


def _task(proc: CouncilSteps, action: Action) -> list[DomainEvent]:
    sit = proc.world.situation(action.at)
    force_id = str(action.get("force"))
    proc.check(collective_forces_exist(sit, [force_id]))
    force = next(f for f in sit.alliance.forces if f.id == force_id)
    contributions = {str(k): int(v) for k, v in (action.get("contributions") or {}).items()}
    proc.check(
        tasking_within_strength(
            sit,
            force.id,
            contributions,
            registered_total=force.registered_total,
            registered_by_state=force.registered_by_state(sit.day),
            already_tasked=proc.world.force_tasked.get(force.id, 0),
            force_name=force.name,
            force_status=force.status,
        )
    )
    vehicles = {str(k): int(v) for k, v in (action.get("vehicles") or {}).items()}
    return [
        proc.event(
            "ForcesTasked",
            action,
            force=force.id,
            force_name=force.name,
            contributions=contributions,
            vehicles=vehicles,
            personnel=sum(contributions.values()),
            registered_strength=force.registered_total,
        )
    ]


class _CaseWithDecision(CouncilSteps):
    """Shared steps of a case decided by a council: request → session → decision → (tasking)."""

    opening: str = ""

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.ballot = Ballot()
        self.request: dict[str, Any] = {}
        self.level: str | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"decided", "tasked", "withdrawn", "concluded"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == self.opening:
            return None if self.step == "new" else "the request has already been lodged"
        if self.step == "new":
            return f"nothing has been requested yet: the case starts with '{self.opening}'"
        if kind == "withdraw_request":
            if actor != self.request.get("requester"):
                return f"only the requester ({self.request.get('requester')}) may withdraw the request"
            return (
                None if self.step in ("requested", "in_session") else "the request can no longer be withdrawn"
            )
        if kind == "task_forces":
            return None if self.step == "to_task" else "forces are tasked only after a decision to deploy"
        if kind == "conclude":
            return None if self.step in ("requested", "in_session") else "nothing to conclude"
        if kind in ("convene", "propose", "vote", "close"):
            if self.step == "to_task":
                return "the decision is taken: task the forces next"
            return self.council_allowed(kind, actor)
        return f"'{kind}' does not apply here"

    def validate_proposal(self, action: Action, proposal: dict[str, Any]) -> None:
        sit = self.world.situation(action.at)
        level = str(proposal.get("level", "none"))
        self.check(force_use_body(sit, self.ballot.body, level))

    def on_withdraw_request(self, action: Action) -> list[DomainEvent]:
        return [self.event("RequestWithdrawn", action, reason=action.get("reason") or "")]

    def on_conclude(self, action: Action) -> list[DomainEvent]:
        return [self.event("CaseConcluded", action, level="none", summary=action.get("summary") or "")]

    def on_task_forces(self, action: Action) -> list[DomainEvent]:
        actor_ok = action.actor in (self.ballot.chair, "joint_staff", "secretariat", "csc")
        if not actor_ok:
            raise RefusedError(
                self.refusal(f"forces are tasked by the chair or the Joint Staff, not {action.actor}")
            )
        return _task(self, action)

    def ev_SessionConvened(self, e: DomainEvent) -> None:
        super().ev_SessionConvened(e)
        self.step = "in_session"

    def ev_DecisionAdopted(self, e: DomainEvent) -> None:
        super().ev_DecisionAdopted(e)
        self.level = str(e.data.get("level", "none"))
        # Only a deployment puts collective forces on the ground; assistance (advisers, equipment) is decided
        # by the same body (Art. 6) but needs no tasking of a collective force.
        self.step = "to_task" if self.level == "deployment" else "decided"

    def ev_ForcesTasked(self, e: DomainEvent) -> None:
        self.step = "tasked"

    def ev_RequestWithdrawn(self, e: DomainEvent) -> None:
        self.step = "withdrawn"

    def ev_CaseConcluded(self, e: DomainEvent) -> None:
        self.level = "none"
        self.step = "concluded"

    @property
    def outcome(self) -> str | None:
        if not self.is_terminal:
            return None
        if self.step == "withdrawn":
            return "request withdrawn"
        return self.level or "none"

    def snapshot(self) -> dict[str, Any]:
        return {**super().snapshot(), "request": self.request, "level": self.level}
