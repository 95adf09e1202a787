"""Events of a council session: convened, proposals tabled, votes cast, decided (or not), subjects tabled.

``DecisionAdopted`` carries the adopted proposal's own terms beside the tally, so it is the one class
that admits fields beyond those declared (a new proposal parameter). It must not import the procedures
or the ledger.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, JsonValue

from csto.events.base import ActorEvent, Number

__all__ = [
    "DecisionAdopted",
    "DecisionFailed",
    "ProposalTabled",
    "SessionConvened",
    "SubjectDropped",
    "SubjectTabled",
    "VoteCast",
]


class SessionConvened(ActorEvent):
    """A body meets on the case; ``entitled`` take part, ``frozen`` among them do not vote."""

    body: str
    body_name: str
    chair: str | None
    format: str
    entitled: list[str]
    frozen: list[str]
    excluded: list[str]
    proposal: dict[str, JsonValue]

    def describe(self) -> str:
        frozen = f"; frozen: {', '.join(self.frozen)}" if self.frozen else ""
        return (
            f"{self.body_name} convened ({self.format}), chair {self.chair or '—'}; "
            f"taking part: {', '.join(self.entitled)}{frozen}"
        )


class ProposalTabled(ActorEvent):
    """A draft decision is put to the session (a new round of votes)."""

    proposal: dict[str, JsonValue]
    round: int

    def describe(self) -> str:
        return f"{self.actor} tables: " + ", ".join(f"{k} {v}" for k, v in self.proposal.items())


class VoteCast(ActorEvent):
    """A member's position on the proposal (``changed``: it had voted in this round before)."""

    state: str
    position: str
    reason: str
    changed: bool

    def describe(self) -> str:
        why = f" — {self.reason}" if self.reason else ""
        return f"{self.state} {self.position.replace('_', ' ')}{why}"


class _Tally(ActorEvent):
    """The count at the close of a round, common to adopted and failed decisions."""

    body: str
    support: list[str]
    stand_aside: list[str]
    object_: list[str] = Field(alias="object")
    absent: list[str]
    frozen: list[str]
    limited_format: bool
    reason: str
    reasons: dict[str, str]
    article: str
    round: int


class DecisionAdopted(_Tally):
    """The proposal is adopted; its terms (``level``, ``summary``, ...) stand beside the tally."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, JsonValue] = Field(init=False)

    level: str | None = None
    subject: str | None = None
    summary: str | None = None
    mandate: str | None = None
    text: str | None = None
    integration_months: int | None = None
    year: int | None = None
    total: Number | None = None
    shares: dict[str, Number] | None = None

    def describe(self) -> str:
        what = self.level or self.subject or self.summary or "decision"
        return (
            f"Decision adopted: {what} — {len(self.support)} support, {len(self.stand_aside)} stand aside, "
            f"{len(self.object_)} object ({self.reason})"
        )


class DecisionFailed(_Tally):
    """The round ends without a decision; the session stays open."""

    proposal: dict[str, JsonValue]

    def describe(self) -> str:
        return f"No decision: {self.reason}"


class SubjectTabled(ActorEvent):
    """A subject (a decision or a statement) is put before a body."""

    subject: str | None
    text: str

    def describe(self) -> str:
        return f"{self.actor} tables: {self.subject}"


class SubjectDropped(ActorEvent):
    """A tabled subject is dropped without a decision."""


EVENTS = (
    SessionConvened,
    ProposalTabled,
    VoteCast,
    DecisionAdopted,
    DecisionFailed,
    SubjectTabled,
    SubjectDropped,
)
