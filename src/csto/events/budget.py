"""Events of the common budget: proposed, adopted (with each member's assessment), payments, posts, arrears.

Told in the generic way (``Type (field=value, ...)``). Money is a JSON number as the procedure wrote
it. It must not import the procedures or the ledger.
"""

from __future__ import annotations

from csto.events.base import ActorEvent, Number

__all__ = [
    "ArrearsRecorded",
    "BudgetAdopted",
    "BudgetDropped",
    "BudgetProposed",
    "PaymentRecorded",
    "PostFilled",
]


class BudgetProposed(ActorEvent):
    """A year's budget: its total and the scale of shares (percent per state)."""

    year: int
    total: Number
    shares: dict[str, Number]
    citation: str


class BudgetAdopted(ActorEvent):
    """The budget as adopted: members' assessments; states not assessed (their status) cut it by ``unfunded``."""

    year: int
    total: Number
    shares: dict[str, Number]
    assessments: dict[str, Number]
    not_assessed: list[str]
    statuses: dict[str, str]
    unfunded: Number
    adopted_total: Number
    reason: str
    sources: list[str]
    citation: str


class PaymentRecorded(ActorEvent):
    """A member pays towards the year's assessment."""

    state: str
    amount: Number
    year: int


class PostFilled(ActorEvent):
    """A member's national fills a post in a body."""

    state: str
    post: str


class ArrearsRecorded(ActorEvent):
    """What each member still owes for the year."""

    year: int
    arrears: dict[str, Number]
    total_arrears: Number


class BudgetDropped(ActorEvent):
    """The budget proposal is dropped."""

    year: int


EVENTS = (BudgetProposed, BudgetAdopted, PaymentRecorded, PostFilled, ArrearsRecorded, BudgetDropped)
