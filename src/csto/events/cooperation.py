"""Events of military cooperation: joint exercises, arms supply, training quotas, intelligence reports and
the stages of recorded operations.

These steps are told in the generic way (``Type (field=value, ...)``), as they always were. It must
not import the procedures or the ledger.
"""

from __future__ import annotations

from csto.events.base import ActorEvent, Number

__all__ = [
    "AfterActionRecorded",
    "Delivered",
    "ExerciseCancelled",
    "ExerciseConducted",
    "ExercisePlanned",
    "OrderCancelled",
    "OrderPlaced",
    "ParticipantJoined",
    "PlacesAllocated",
    "QuotaSet",
    "ReleaseExtended",
    "ReportFiled",
    "ReportRead",
    "Retransferred",
    "StageRecorded",
]


class ExercisePlanned(ActorEvent):
    """A joint exercise of a series is planned: host, dates (ISO), forces and scenario."""

    name: str
    series: str
    host: str
    start: str
    end: str
    forces: list[str]
    scenario: str
    citation: str


class ParticipantJoined(ActorEvent):
    """A member sends a contingent to the exercise."""

    state: str
    personnel: int
    units: str


class ExerciseConducted(ActorEvent):
    """The exercise takes place with the members present (``dropped_out``: no longer members)."""

    participants: list[str]
    dropped_out: list[str]
    personnel: int


class AfterActionRecorded(ActorEvent):
    """The exercise's findings and lessons."""

    findings: str
    lessons: list[str]


class ExerciseCancelled(ActorEvent):
    """The exercise is cancelled."""

    reason: str


class OrderPlaced(ActorEvent):
    """An arms order between members, at a price measured against the supplier's domestic price."""

    buyer: str
    supplier: str
    item: str
    quantity: int
    unit_price: Number
    domestic_price: Number
    export_price: Number
    total: Number
    saving: Number
    price_basis: str
    citation: str


class Delivered(ActorEvent):
    """The order is delivered."""

    supplier: str
    buyer: str
    item: str
    quantity: int


class Retransferred(ActorEvent):
    """Delivered arms passed on to a third party (with or without the supplier's consent)."""

    holder: str
    recipient: str
    supplier_consent: bool
    item: str
    quantity: int
    citation: str


class OrderCancelled(ActorEvent):
    """The order is cancelled."""

    reason: str


class QuotaSet(ActorEvent):
    """A host sets a year's training places for a sending member, on terms (free, preferential)."""

    host: str
    sender: str
    terms: str
    places: int
    year: int
    citation: str


class PlacesAllocated(ActorEvent):
    """Training places allocated under the quota (``remaining_after`` None where the terms set no quota)."""

    host: str
    sender: str
    terms: str
    places: int
    speciality: str
    remaining_after: int | None


class ReportFiled(ActorEvent):
    """An intelligence report filed by its originator, releasable to the states named."""

    originator: str
    title: str
    classification: str
    releasable_to: list[str]
    citation: str


class ReportRead(ActorEvent):
    """A state reads the report."""

    reader: str


class ReleaseExtended(ActorEvent):
    """The originator releases the report to more states."""

    to: list[str]


class StageRecorded(ActorEvent):
    """A stage of a recorded operation: dates (ISO), participants, observers and numeric results."""

    operation: str
    stage: str
    start: str
    end: str
    participants: list[str]
    observers: list[str]
    results: dict[str, Number]


EVENTS = (
    ExercisePlanned,
    ParticipantJoined,
    ExerciseConducted,
    AfterActionRecorded,
    ExerciseCancelled,
    OrderPlaced,
    Delivered,
    Retransferred,
    OrderCancelled,
    QuotaSet,
    PlacesAllocated,
    ReportFiled,
    ReportRead,
    ReleaseExtended,
    StageRecorded,
)
