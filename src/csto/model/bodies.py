"""The organization's bodies: composition, decision rule, chair rotation and office-holders.

Decision rules are data (consensus, stand-aside allowed, quorum) so that one ``CouncilDecision``
mechanism can serve every body. Holds records only; it must not read files.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from csto.model.common import ISO3, Frozen, Slug, Sourced


class Establishment(Sourced):
    """When and by what act something was created."""

    date: dt.date
    basis: str
    date_precision: Literal["day", "month", "year"] = "day"


class DecisionRule(Sourced):
    """How a body decides: consensus of those entitled to vote; a member may stand aside."""

    rule: Literal["consensus", "majority", "none"]
    stand_aside: bool = Field(description="a member may stay out without blocking (the 'limited format')")
    voters: Literal["members", "members_not_suspended", "none"] = "members_not_suspended"
    quorum: str | None = None
    quorum_fraction: float | None = Field(default=None, ge=0, le=1)
    procedural: str | None = None


class ChairYear(Sourced):
    """An observed chair for a calendar year."""

    year: int
    state: ISO3


class ChairRule(Sourced):
    """How the chair rotates; ``order`` is the rotation used where no chair is recorded."""

    rotation: str
    order: tuple[ISO3, ...] = ()
    anchor_year: int | None = Field(default=None, description="a year whose chair is order[0]")
    observed: tuple[ChairYear, ...] = ()


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

    def chair_in(self, year: int) -> str | None:
        """The chair for ``year``: the recorded one, else the rotation order, else None."""
        if self.chair is None:
            return None
        for obs in self.chair.observed:
            if obs.year == year:
                return obs.state
        if self.chair.order and self.chair.anchor_year is not None:
            order = self.chair.order
            return order[(year - self.chair.anchor_year) % len(order)]
        return None

    def officers_on(self, day: dt.date) -> tuple[Officer, ...]:
        return tuple(o for o in self.officers if o.start <= day and (o.end is None or day <= o.end))


class BodiesFile(Frozen):
    """The shape of ``bodies.yaml``."""

    bodies: tuple[Body, ...]
