"""Events of the world as a whole: its opening, a state's status, other alliances, hostile acts, breaches.

``WorldOpened`` is the first event of every ledger written by a session (stream ``world``); it has no
actor. It must not import the procedures or the ledger.
"""

from __future__ import annotations

from pydantic import JsonValue

from csto.events.base import ActorEvent, EventBody

__all__ = [
    "AllianceJoined",
    "AllianceLeft",
    "BreachFlagged",
    "HostileActReported",
    "StatusChanged",
    "WorldOpened",
]


class WorldOpened(EventBody):
    """The world as the data has it at the start: each state's status, and the rules' settings.

    ``config`` holds the rule settings by name (``csto.rules.RulesConfig``); it stays a plain mapping
    so that a ledger keeps loading when a setting is added.
    """

    alliance: str
    statuses: dict[str, str]
    config: dict[str, JsonValue]

    def describe(self) -> str:
        return f"World opened: {len(self.statuses)} states with a status ({self.alliance})"


class StatusChanged(ActorEvent):
    """A state's status changes (member, signatory, frozen, suspended, withdrawn, observer, ...)."""

    state: str
    status: str
    basis: str

    def describe(self) -> str:
        return f"{self.state} is now {self.status} ({self.basis})"


class BreachFlagged(ActorEvent):
    """A step that breaches a provision, flagged with the article."""

    state: str
    article: str
    reason: str

    def describe(self) -> str:
        return f"Breach flagged: {self.state} — {self.article}: {self.reason}"


class HostileActReported(ActorEvent):
    """A member reports an act against it by another state."""

    victim: str
    by: str
    description: str | None

    def describe(self) -> str:
        return f"{self.victim} reports an act by {self.by}: {self.description}"


class AllianceJoined(ActorEvent):
    """A state joins another alliance."""

    state: str
    alliance: str

    def describe(self) -> str:
        return f"{self.state} joins {self.alliance}"


class AllianceLeft(ActorEvent):
    """A state leaves another alliance."""

    state: str
    alliance: str | None


EVENTS = (WorldOpened, StatusChanged, BreachFlagged, HostileActReported, AllianceJoined, AllianceLeft)
