"""Events of a foreign base on a member's territory: requested, consented to or refused, established.

It must not import the procedures or the ledger.
"""

from __future__ import annotations

from csto.events.base import ActorEvent

__all__ = ["BaseEstablished", "BaseRequestWithdrawn", "BaseRequested", "ConsentGiven", "ConsentRefused"]


class BaseRequested(ActorEvent):
    """A host asks the members whose consent is needed for a third state's base."""

    host: str
    foreign_state: str | None
    site: str | None
    purpose: str | None
    consent_needed_from: list[str]
    citation: str

    def describe(self) -> str:
        return f"{self.host} asks consent for a base of {self.foreign_state} at {self.site} ({self.citation})"


class ConsentGiven(ActorEvent):
    """A member consents to the base."""

    state: str
    reason: str

    def describe(self) -> str:
        return f"{self.state} consents" + (f" — {self.reason}" if self.reason else "")


class ConsentRefused(ActorEvent):
    """A member refuses consent."""

    state: str
    reason: str

    def describe(self) -> str:
        return f"{self.state} refuses consent" + (f" — {self.reason}" if self.reason else "")


class BaseEstablished(ActorEvent):
    """The base is established."""

    host: str
    foreign_state: str
    site: str | None

    def describe(self) -> str:
        return f"Base of {self.foreign_state} established in {self.host} ({self.site})"


class BaseRequestWithdrawn(ActorEvent):
    """The host withdraws its request."""

    host: str


EVENTS = (BaseRequested, ConsentGiven, ConsentRefused, BaseEstablished, BaseRequestWithdrawn)
