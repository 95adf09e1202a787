"""Consultation (CST Art. 2), AssistanceRequest (Art. 4), PeacekeepingMandate, and Deployment.

A request opens a case; the chair convenes the Council; a proposal on the response ladder is put to
consensus; a decision to deploy is followed by tasking forces against their registered strength,
and a Deployment runs ordered → arriving → operating → withdrawing → withdrawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.model import RESPONSE_LADDER
from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.rules import RefusedError
from csto.rules.defence import (
    CRISIS_KINDS,
    art4_scope,
    force_use_body,
    may_request_assistance,
    may_request_consultation,
    peacekeeping_mandate,
    tasking_within_strength,
)

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
    force = next((f for f in sit.alliance.forces if f.id == force_id), None)
    if force is None:
        raise RefusedError(proc.refusal(f"no collective force '{force_id}' exists on {sit.day.isoformat()}"))
    if force.status != "active":
        raise RefusedError(
            sit.refuse(
                "forces-registered-strength",
                f"{force.name} is {force.status}, not a standing force that can be tasked",
            )
        )
    contributions = {str(k): int(v) for k, v in (action.get("contributions") or {}).items()}
    by_state = {
        c.state: c.personnel.value
        for c in force.contributions
        if c.personnel is not None and c.active_on(sit.day)
    }
    proc.check(
        tasking_within_strength(
            sit,
            force.id,
            contributions,
            registered_total=force.registered_strength.value if force.registered_strength else None,
            registered_by_state=by_state,
            already_tasked=proc.world.force_tasked.get(force.id, 0),
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
            registered_strength=force.registered_strength.value if force.registered_strength else None,
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


class AssistanceRequest(_CaseWithDecision):
    """A member's request for collective assistance (CST Art. 4, or Art. 2 assistance measures)."""

    kind = "assistance"
    title = "Request for collective assistance"
    article = ("cst", "4")
    opening = "request_assistance"
    starts = frozenset({"request_assistance"})
    specs = {
        "request_assistance": ActionSpec(
            "request_assistance",
            "the member asking for help",
            "Ask the organization for assistance against an attack or threat.",
            {
                "article": Param("str", choices=("art4", "art2"), default="art4"),
                "attacked": Param("state", help="the member attacked (default: the requester)"),
                "kind": Param("str", required=True, choices=CRISIS_KINDS),
                "aggressor": Param("str", help="who attacks: a state code or a description"),
                "aggressor_is_member": Param("bool", default=False),
                "recognised_territory": Param("bool", default=True),
                "framed_as_armed_attack": Param(
                    "bool", default=False, help="unrest presented as an armed attack"
                ),
                "region": Param("str"),
                "framing": Param("str", help="how the requester describes the threat"),
            },
        ),
        **council_specs(LEVEL_PARAMS),
        "task_forces": TASK_SPEC,
        "withdraw_request": WITHDRAW_SPEC,
        "conclude": CONCLUDE_SPEC,
    }

    def on_request_assistance(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        article = str(action.get("article", "art4"))
        attacked = str(action.get("attacked") or action.actor)
        kind = str(action.get("kind"))
        if article == "art4":
            self.check(may_request_assistance(sit, action.actor, attacked))
            self.check(
                art4_scope(
                    sit,
                    kind,
                    aggressor_is_member=bool(action.get("aggressor_is_member", False)),
                    recognised_territory=bool(action.get("recognised_territory", True)),
                    framed_as_armed_attack=bool(action.get("framed_as_armed_attack", False)),
                )
            )
            cite = sit.cite("cst", "4")
        else:
            self.check(may_request_consultation(sit, action.actor))
            if not sit.has_code("cst", "2", "assistance_measures"):
                raise RefusedError(
                    sit.refuse(
                        "cst-art2-consultation",
                        "before the 2010 amendments took effect Art. 2 provided consultations, not assistance "
                        "measures: request consultations instead",
                    )
                )
            cite = sit.cite("cst", "2")
        return [
            self.event(
                "RequestLodged",
                action,
                requester=action.actor,
                attacked=attacked,
                article=article,
                citation=cite,
                kind=kind,
                aggressor=action.get("aggressor"),
                aggressor_is_member=bool(action.get("aggressor_is_member", False)),
                recognised_territory=bool(action.get("recognised_territory", True)),
                framed_as_armed_attack=bool(action.get("framed_as_armed_attack", False)),
                region=action.get("region"),
                framing=action.get("framing"),
            )
        ]

    def ev_RequestLodged(self, e: DomainEvent) -> None:
        self.request = {k: v for k, v in e.data.items() if k != "actor"}
        self.step = "requested"

    def validate_proposal(self, action: Action, proposal: dict[str, Any]) -> None:
        super().validate_proposal(action, proposal)
        sit = self.world.situation(action.at)
        if self.request.get("article") == "art4" and proposal.get("level") in FORCE_LEVELS:
            self.check(out_of_area_ok(sit, self.request))


def out_of_area_ok(sit: Any, request: dict[str, Any]) -> Any:
    from csto.rules.defence import out_of_area

    return out_of_area(sit, str(request.get("attacked")), un_mandate=False)


class Consultation(_CaseWithDecision):
    """Joint consultations when a member's security is threatened (CST Art. 2)."""

    kind = "consultation"
    title = "Consultations"
    article = ("cst", "2")
    opening = "request_consultation"
    starts = frozenset({"request_consultation"})
    specs = {
        "request_consultation": ActionSpec(
            "request_consultation",
            "a member",
            "Ask the others to consult on a threat.",
            {"subject": Param("str", required=True), "threat": Param("str")},
        ),
        **council_specs(LEVEL_PARAMS),
        "withdraw_request": WITHDRAW_SPEC,
        "conclude": CONCLUDE_SPEC,
        "task_forces": TASK_SPEC,
    }

    def on_request_consultation(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(may_request_consultation(sit, action.actor))
        return [
            self.event(
                "ConsultationRequested",
                action,
                requester=action.actor,
                subject=action.get("subject"),
                threat=action.get("threat"),
                citation=sit.cite("cst", "2"),
            )
        ]

    def ev_ConsultationRequested(self, e: DomainEvent) -> None:
        self.request = {k: v for k, v in e.data.items() if k != "actor"}
        self.step = "requested"


class PeacekeepingMandate(_CaseWithDecision):
    """A peacekeeping operation at a member's request or under a UN mandate (2007 agreement)."""

    kind = "peacekeeping"
    title = "Peacekeeping mandate"
    article = ("peacekeeping-agreement-2007", "3")
    opening = "request_peacekeeping"
    starts = frozenset({"request_peacekeeping"})
    specs = {
        "request_peacekeeping": ActionSpec(
            "request_peacekeeping",
            "the host member (or any member, with a UN mandate)",
            "Ask for a collective peacekeeping operation.",
            {
                "host": Param("state", help="where (default: the requester)"),
                "un_mandate": Param("bool", default=False),
                "tasks": Param("str"),
            },
        ),
        **council_specs(LEVEL_PARAMS),
        "task_forces": TASK_SPEC,
        "withdraw_request": WITHDRAW_SPEC,
        "conclude": CONCLUDE_SPEC,
    }

    def on_request_peacekeeping(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        host = str(action.get("host") or action.actor)
        un = bool(action.get("un_mandate", False))
        self.check(peacekeeping_mandate(sit, host, action.actor, un))
        return [
            self.event(
                "PeacekeepingRequested",
                action,
                requester=action.actor,
                host=host,
                un_mandate=un,
                tasks=action.get("tasks"),
                citation=sit.cite("peacekeeping-agreement-2007", "3"),
            )
        ]

    def ev_PeacekeepingRequested(self, e: DomainEvent) -> None:
        self.request = {k: v for k, v in e.data.items() if k != "actor"}
        self.step = "requested"


class Deployment(Procedure):
    """A deployment of tasked forces: ordered → arriving → operating → withdrawing → withdrawn."""

    kind = "deployment"
    title = "Deployment"
    article = ("cst", "6")
    starts = frozenset({"order_deployment"})
    specs = {
        "order_deployment": ActionSpec(
            "order_deployment",
            "the chair, 'joint_staff' or 'csc'",
            "Order the tasked forces to deploy under an adopted decision.",
            {
                "decision": Param("str", required=True, help="the case id of the adopted decision"),
                "commander": Param("str"),
                "destination": Param("str", help="airfield or place"),
            },
        ),
        "arrive": ActionSpec(
            "arrive",
            "'joint_staff' or the contributing state",
            "Record units arriving in the area.",
            {
                "state": Param("state", required=True),
                "personnel": Param("int", required=True),
                "vehicles": Param("int", default=0),
                "airfield": Param("str"),
            },
        ),
        "begin_operations": ActionSpec(
            "begin_operations", "'joint_staff'", "Units start their tasks.", {"tasks": Param("str")}
        ),
        "begin_withdrawal": ActionSpec(
            "begin_withdrawal",
            "the host, the chair or 'joint_staff'",
            "Start the withdrawal.",
            {"reason": Param("str")},
        ),
        "depart": ActionSpec(
            "depart",
            "'joint_staff' or the contributing state",
            "Record units leaving.",
            {"state": Param("state", required=True), "personnel": Param("int", required=True)},
        ),
        "complete_withdrawal": ActionSpec("complete_withdrawal", "'joint_staff'", "All units have left."),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.decision_stream: str | None = None
        self.force: str | None = None
        self.host: str | None = None
        self.tasked: dict[str, int] = {}
        self.arrived: dict[str, int] = {}
        self.departed: dict[str, int] = {}
        self.vehicles = 0
        self.first_arrival: dt.datetime | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"withdrawn"})

    ORDER = {
        "order_deployment": ("new",),
        "arrive": ("ordered", "arriving", "operating"),
        "begin_operations": ("arriving",),
        "begin_withdrawal": ("operating", "arriving"),
        "depart": ("withdrawing",),
        "complete_withdrawal": ("withdrawing",),
    }

    def allowed_now(self, kind: str, actor: str) -> str | None:
        ok = self.ORDER.get(kind, ())
        if self.step in ok:
            return None
        return (
            f"'{kind}' cannot follow the deployment's current stage ({self.step}); it needs: {', '.join(ok)}"
        )

    def on_order_deployment(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        ref = str(action.get("decision"))
        streams = [s for s in self.world.decisions if s.split("/", 1)[1] == ref]
        adopted = [s for s in streams if self.world.decisions[s].get("level") == "deployment"]
        if not adopted:
            raise RefusedError(
                sit.refuse(
                    "cst-art6-force-use",
                    f"no decision to deploy has been adopted on case '{ref}' by the Collective Security Council",
                )
            )
        stream = adopted[0]
        tasking = self.world.taskings.get(stream)
        if tasking is None:
            raise RefusedError(self.refusal(f"no forces have been tasked under case '{ref}'"))
        return [
            self.event(
                "DeploymentOrdered",
                action,
                decision=stream,
                force=tasking["force"],
                contributions=tasking["contributions"],
                commander=action.get("commander"),
                destination=action.get("destination"),
            )
        ]

    def on_arrive(self, action: Action) -> list[DomainEvent]:
        state = str(action.get("state"))
        n = int(action.get("personnel"))
        if state not in self.tasked:
            raise RefusedError(self.refusal(f"{state} has no forces tasked in this deployment"))
        if n <= 0 or self.arrived.get(state, 0) + n > self.tasked[state]:
            raise RefusedError(
                self.refusal(
                    f"{state} would have {self.arrived.get(state, 0) + n:,} in the area but tasked {self.tasked[state]:,}"
                )
            )
        return [
            self.event(
                "UnitsArrived",
                action,
                state=state,
                personnel=n,
                vehicles=int(action.get("vehicles") or 0),
                airfield=action.get("airfield"),
                on_ground=sum(self.arrived.values()) + n,
            )
        ]

    def on_begin_operations(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "OperationsBegun", action, tasks=action.get("tasks"), on_ground=sum(self.arrived.values())
            )
        ]

    def on_begin_withdrawal(self, action: Action) -> list[DomainEvent]:
        return [self.event("WithdrawalBegun", action, reason=action.get("reason"))]

    def on_depart(self, action: Action) -> list[DomainEvent]:
        state = str(action.get("state"))
        n = int(action.get("personnel"))
        here = self.arrived.get(state, 0) - self.departed.get(state, 0)
        if n <= 0 or n > here:
            raise RefusedError(self.refusal(f"{state} has {here:,} in the area, cannot withdraw {n:,}"))
        return [self.event("UnitsDeparted", action, state=state, personnel=n)]

    def on_complete_withdrawal(self, action: Action) -> list[DomainEvent]:
        remaining = sum(self.arrived.values()) - sum(self.departed.values())
        total = sum(self.tasked.values())
        return [
            self.event("ForcesWithdrawn", action, remaining_recorded=remaining),
            self.event("ForcesReleased", action, force=self.force, personnel=total),
        ]

    def ev_DeploymentOrdered(self, e: DomainEvent) -> None:
        self.decision_stream = e.data["decision"]
        self.force = e.data["force"]
        self.tasked = {k: int(v) for k, v in e.data["contributions"].items()}
        self.step = "ordered"

    def ev_UnitsArrived(self, e: DomainEvent) -> None:
        self.arrived[e.data["state"]] = self.arrived.get(e.data["state"], 0) + int(e.data["personnel"])
        self.vehicles += int(e.data.get("vehicles") or 0)
        if self.first_arrival is None:
            self.first_arrival = e.at
        if self.step == "ordered":
            self.step = "arriving"

    def ev_OperationsBegun(self, e: DomainEvent) -> None:
        self.step = "operating"

    def ev_WithdrawalBegun(self, e: DomainEvent) -> None:
        self.step = "withdrawing"

    def ev_UnitsDeparted(self, e: DomainEvent) -> None:
        self.departed[e.data["state"]] = self.departed.get(e.data["state"], 0) + int(e.data["personnel"])

    def ev_ForcesWithdrawn(self, e: DomainEvent) -> None:
        self.step = "withdrawn"

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "force": self.force,
            "tasked": self.tasked,
            "arrived": self.arrived,
            "departed": self.departed,
            "vehicles": self.vehicles,
        }
