"""Events of membership: accession, withdrawal, suspension, frozen participation and observer status.

A change of a state's status itself is ``StatusChanged`` (csto.events.world); these are the steps
around it. It must not import the procedures or the ledger.
"""

from __future__ import annotations

from csto.events.base import ActorEvent

__all__ = [
    "ApplicationLodged",
    "ApplicationRejected",
    "ApplicationReviewed",
    "ParticipationFrozen",
    "ProtocolRatified",
    "ProtocolSigned",
    "StatusApplied",
    "StatusRefused",
    "SuspensionDropped",
    "SuspensionProposed",
    "WithdrawalNotified",
    "WithdrawalRevoked",
]


class ApplicationLodged(ActorEvent):
    """A state applies for membership (Charter Art. 19)."""

    applicant: str
    citation: str

    def describe(self) -> str:
        return f"{self.applicant} applies for membership ({self.citation})"


class ApplicationReviewed(ActorEvent):
    """The Secretariat's review of an application, with its recommendation."""

    findings: str
    recommend: str | None

    def describe(self) -> str:
        return f"Secretariat review: recommends {self.recommend} — {self.findings}"


class ApplicationRejected(ActorEvent):
    """The application is rejected."""

    applicant: str


class ProtocolSigned(ActorEvent):
    """The applicant signs the accession protocol."""

    state: str

    def describe(self) -> str:
        return f"{self.state} signs the accession protocol"


class ProtocolRatified(ActorEvent):
    """The applicant ratifies; full rights follow at the end of the integration period (ISO date)."""

    state: str
    integration_ends: str

    def describe(self) -> str:
        return f"{self.state} ratifies; integration period until {self.integration_ends}"


class WithdrawalNotified(ActorEvent):
    """A member gives notice of withdrawal (or of non-renewal), effective on an ISO date."""

    state: str
    mode: str
    effective: str
    reason: str
    citation: str
    notice_months: int

    def describe(self) -> str:
        return f"{self.state} notifies withdrawal ({self.mode}), effective {self.effective} under {self.citation}"


class WithdrawalRevoked(ActorEvent):
    """The member revokes its notice before it takes effect."""

    state: str


class SuspensionProposed(ActorEvent):
    """A member's suspension is proposed, on grounds."""

    state: str
    grounds: str | None

    def describe(self) -> str:
        return f"{self.actor} proposes to suspend {self.state}: {self.grounds}"


class SuspensionDropped(ActorEvent):
    """The proposed suspension is dropped."""

    state: str


class ParticipationFrozen(ActorEvent):
    """A member declares that it freezes its participation."""

    state: str
    reason: str

    def describe(self) -> str:
        return f"{self.state} freezes its participation" + (f": {self.reason}" if self.reason else "")


class StatusApplied(ActorEvent):
    """A state applies for a status (observer or partner)."""

    applicant: str
    status: str


class StatusRefused(ActorEvent):
    """The status applied for is refused."""

    applicant: str


EVENTS = (
    ApplicationLodged,
    ApplicationReviewed,
    ApplicationRejected,
    ProtocolSigned,
    ProtocolRatified,
    WithdrawalNotified,
    WithdrawalRevoked,
    SuspensionProposed,
    SuspensionDropped,
    ParticipationFrozen,
    StatusApplied,
    StatusRefused,
)
