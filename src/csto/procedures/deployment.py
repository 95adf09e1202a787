"""Deployment: tasked forces ordered in, arriving, operating and withdrawn (CST Art. 6).

An order needs an adopted decision to deploy (``csto.rules.defence``); arrivals and departures are
counted against the forces tasked. Only ``ev_*`` changes state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.rules import RefusedError
from csto.rules.defence import deployment_decided


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
        self.check(deployment_decided(sit, ref, [self.world.decisions[s].get("level") for s in streams]))
        adopted = [s for s in streams if self.world.decisions[s].get("level") == "deployment"]
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
