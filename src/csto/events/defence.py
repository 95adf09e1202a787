"""Events of collective defence: requests (assistance, consultations, peacekeeping), tasking, deployment.

Each class is the data one procedure step records, with its one line for people (``describe``).
It must not import the procedures or the ledger; the texts are the transcripts' (tests/golden).
"""

from __future__ import annotations

from csto.events.base import ActorEvent, Number, contrib, num

__all__ = [
    "CaseConcluded",
    "ConsultationRequested",
    "DeploymentOrdered",
    "ForcesReleased",
    "ForcesTasked",
    "ForcesWithdrawn",
    "OperationsBegun",
    "PeacekeepingRequested",
    "RequestLodged",
    "RequestWithdrawn",
    "UnitsArrived",
    "UnitsDeparted",
    "WithdrawalBegun",
]


class RequestLodged(ActorEvent):
    """A member asks for collective assistance (CST Art. 4) or assistance measures (Art. 2)."""

    requester: str
    attacked: str
    article: str
    citation: str
    kind: str
    aggressor: str | None
    aggressor_is_member: bool
    recognised_territory: bool
    framed_as_armed_attack: bool
    region: str | None
    framing: str | None

    def describe(self) -> str:
        framed = ", framed as " + self.framing if self.framing else ""
        return (
            f"{self.requester} requests collective assistance under {self.citation}"
            f" ({self.kind.replace('_', ' ')}{framed})"
        )


class ConsultationRequested(ActorEvent):
    """A member asks for consultations (CST Art. 2)."""

    requester: str
    subject: str | None
    threat: str | None
    citation: str

    def describe(self) -> str:
        return f"{self.requester} asks for consultations under {self.citation}: {self.subject}"


class PeacekeepingRequested(ActorEvent):
    """A member asks for a peacekeeping operation in a host state."""

    requester: str
    host: str
    un_mandate: bool
    tasks: str | None
    citation: str

    def describe(self) -> str:
        return f"{self.requester} requests a peacekeeping operation in {self.host} ({self.citation})"


class ForcesTasked(ActorEvent):
    """Personnel (and vehicles) of a collective force tasked per contributing state."""

    force: str
    force_name: str
    contributions: dict[str, int]
    vehicles: dict[str, int]
    personnel: int
    registered_strength: Number | None

    def describe(self) -> str:
        return (
            f"Forces tasked to {self.force_name}: {contrib(self.contributions)} (total {num(self.personnel)})"
        )


class DeploymentOrdered(ActorEvent):
    """The deployment of the tasked forces, under an adopted decision (its stream)."""

    decision: str
    force: str
    contributions: dict[str, int]
    commander: str | None
    destination: str | None

    def describe(self) -> str:
        return f"Deployment ordered: {contrib(self.contributions)}" + (
            f", commander {self.commander}" if self.commander else ""
        )


class UnitsArrived(ActorEvent):
    """One state's units arrive in the area; ``on_ground`` is everyone there after them."""

    state: str
    personnel: int
    vehicles: int
    airfield: str | None
    on_ground: int

    def describe(self) -> str:
        at = f" at {self.airfield}" if self.airfield else ""
        veh = f" and {self.vehicles} vehicles" if self.vehicles else ""
        return (
            f"{self.state} units arrive{at}: {num(self.personnel)} personnel{veh}"
            f" (on the ground: {num(self.on_ground)})"
        )


class OperationsBegun(ActorEvent):
    """The deployed forces begin their tasks."""

    tasks: str | None
    on_ground: int

    def describe(self) -> str:
        return f"Operations begin ({num(self.on_ground)} on the ground)" + (
            ": " + self.tasks if self.tasks else ""
        )


class WithdrawalBegun(ActorEvent):
    """The forces begin to leave."""

    reason: str | None

    def describe(self) -> str:
        return "Withdrawal begins" + (f": {self.reason}" if self.reason else "")


class UnitsDeparted(ActorEvent):
    """One state's units leave the area."""

    state: str
    personnel: int

    def describe(self) -> str:
        return f"{self.state} units leave: {num(self.personnel)}"


class ForcesWithdrawn(ActorEvent):
    """The withdrawal is complete; ``remaining_recorded`` is who was still recorded in the area."""

    remaining_recorded: int

    def describe(self) -> str:
        return "Withdrawal complete"


class ForcesReleased(ActorEvent):
    """The tasked personnel return to their force."""

    force: str
    personnel: int

    def describe(self) -> str:
        return f"{num(self.personnel)} personnel released back to {self.force}"


class RequestWithdrawn(ActorEvent):
    """The requester withdraws its request."""

    reason: str

    def describe(self) -> str:
        return f"{self.actor} withdraws its request" + (f": {self.reason}" if self.reason else "")


class CaseConcluded(ActorEvent):
    """A case closes without a decision (``level`` none)."""

    level: str
    summary: str

    def describe(self) -> str:
        return "Case concluded without a decision" + (f": {self.summary}" if self.summary else "")


EVENTS = (
    RequestLodged,
    ConsultationRequested,
    PeacekeepingRequested,
    ForcesTasked,
    DeploymentOrdered,
    UnitsArrived,
    OperationsBegun,
    WithdrawalBegun,
    UnitsDeparted,
    ForcesWithdrawn,
    ForcesReleased,
    RequestWithdrawn,
    CaseConcluded,
)
