"""The organization's bodies: composition, decision rule, chair periods, office-holders and practices.

Decision rules are data (consensus, stand-aside allowed, quorum) so that one ``CouncilDecision``
mechanism can serve every body. A chair is known only for its sourced periods: any other day is unknown.
Holds records only; it must not read files.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from csto.model.common import ISO3, Frozen, Slug, Sourced


class Establishment(Sourced):
    """When and by what act something was created; ``instrument`` names the founding act in treaty.yaml
    where it is one (the body cannot be dated before it)."""

    date: dt.date
    basis: str
    date_precision: Literal["day", "month", "year"] = "day"
    instrument: Slug | None = None


class DecisionRule(Sourced):
    """How a body decides: consensus of those entitled to vote; a member may stand aside."""

    rule: Literal["consensus", "majority", "none"]
    stand_aside: bool = Field(description="a member may stay out without blocking (the 'limited format')")
    silence: bool = Field(
        default=False,
        description="silence procedure: a draft counts as agreed unless a member objects, so a member that "
        "neither supports nor objects consents",
    )
    voters: Literal["members", "members_not_suspended", "none"] = "members_not_suspended"
    quorum: str | None = None
    quorum_fraction: float | None = Field(default=None, ge=0, le=1)
    procedural: str | None = None


UNKNOWN = "unknown"


class ChairPeriod(Sourced):
    """Who chaired during ``[start, end)``; ``state: unknown`` records a stretch the sources do not cover."""

    start: dt.date
    end: dt.date
    state: ISO3 | Literal["unknown"]

    @model_validator(mode="after")
    def _ordered(self) -> ChairPeriod:
        if self.end <= self.start:
            raise ValueError(f"a chair period must end after it starts ({self.start} to {self.end})")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day < self.end


class ChairRule(Sourced):
    """How the chair rotates, and the sourced ``periods``. ``order``/``anchor_year`` are an inferred rotation
    that only planning (a game set in a year with no recorded chair) may use; it is never shown as a fact."""

    rotation: str
    order: tuple[ISO3, ...] = ()
    anchor_year: int | None = Field(default=None, description="a year whose chair is order[0]")
    periods: tuple[ChairPeriod, ...] = ()

    def period_on(self, day: dt.date) -> ChairPeriod | None:
        for p in self.periods:
            if p.covers(day):
                return p
        return None


class PracticePeriod(Sourced):
    """A stretch ``[start, end)`` in which a practice is attested (``end`` None: still attested)."""

    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class Practice(Sourced):
    """A way the organization works that no retrieved text lays down (e.g. standing aside without
    blocking), with the periods it is attested for. A period of low or unverified confidence is uncertain."""

    id: Slug
    name: str
    description: str
    bodies: tuple[Slug, ...] = ()
    periods: tuple[PracticePeriod, ...] = Field(min_length=1)

    def period_on(self, day: dt.date) -> PracticePeriod | None:
        for p in self.periods:
            if p.covers(day):
                return p
        return None


class Officer(Sourced):
    """A holder of an office (e.g. the Secretary-General) with the tenure."""

    role: str
    name: str
    state: ISO3
    start: dt.date
    end: dt.date | None = None
    acting: bool = False
    date_precision: Literal["day", "month", "year"] = "day"


class Body(Sourced):
    """A body of the organization."""

    id: Slug
    name: str
    short: str
    kind: Literal["council", "committee", "permanent", "secretariat", "military", "parliamentary"]
    established: Establishment
    abolished: dt.date | None = None
    composition: str
    functions: str
    decision_rule: DecisionRule
    chair: ChairRule | None = None
    officers: tuple[Officer, ...] = ()
    seat: str | None = None

    def exists_on(self, day: dt.date) -> bool:
        return self.established.date <= day and (self.abolished is None or day < self.abolished)

    def chair_on(self, day: dt.date) -> str | None:
        """The sourced chair on ``day``, or None where the sources do not say (shown as "unknown")."""
        if self.chair is None:
            return None
        p = self.chair.period_on(day)
        return None if p is None or p.state == UNKNOWN else p.state

    def chair_in(self, year: int) -> str | None:
        """A chair to plan with in ``year`` (the game's use): the sourced chair on 1 July, else the inferred
        rotation order, else None. Views of a date use ``chair_on``, which never infers."""
        if self.chair is None:
            return None
        known = self.chair_on(dt.date(year, 7, 1))
        if known is not None:
            return known
        if self.chair.order and self.chair.anchor_year is not None:
            order = self.chair.order
            return order[(year - self.chair.anchor_year) % len(order)]
        return None

    def officers_on(self, day: dt.date) -> tuple[Officer, ...]:
        return tuple(o for o in self.officers if o.start <= day and (o.end is None or day <= o.end))


class BodiesFile(Frozen):
    """The shape of ``bodies.yaml``."""

    bodies: tuple[Body, ...]
    practices: tuple[Practice, ...] = ()
