"""Collective forces, national contributions, foreign bases and airfields.

``registered_strength`` is the figure the engine checks taskings against; ``estimates`` keep every
sourced figure, including the ones that disagree. Holds records only; it must not read files.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from csto.model.bodies import Establishment
from csto.model.common import ISO3, Frozen, Place, Quantity, Slug, Sourced


class Contribution(Sourced):
    """A member's national contribution to a collective force."""

    state: ISO3
    units: str
    personnel: Quantity | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


class Force(Sourced):
    """A collective force or a regional group of forces."""

    id: Slug
    name: str
    short: str
    kind: Literal["rapid_reaction", "rapid_deployment", "peacekeeping", "aviation", "regional_group"]
    status: Literal["active", "planned", "uncertain", "disbanded"]
    established: Establishment
    region: str
    mission: str
    registered_strength: Quantity | None = None
    estimates: tuple[Quantity, ...] = ()
    members: tuple[ISO3, ...] = Field(default=(), description="states that take part")
    contributions: tuple[Contribution, ...] = ()
    first_used: dt.date | None = None

    def exists_on(self, day: dt.date) -> bool:
        return self.established.date <= day

    def active_contributions(self, day: dt.date) -> list[Contribution]:
        """The national contributions in force on ``day`` (the one reading of their dates)."""
        return [c for c in self.contributions if c.active_on(day)]

    def registered_by_state(self, day: dt.date) -> dict[str, float]:
        """Each state's registered personnel in the contributions active on ``day``."""
        return {c.state: c.personnel.value for c in self.active_contributions(day) if c.personnel is not None}

    @property
    def registered_total(self) -> float | None:
        return self.registered_strength.value if self.registered_strength else None


class Base(Sourced):
    """A foreign (Russian) military base on a member's territory."""

    id: Slug
    name: str
    operator: ISO3
    host: ISO3
    location: Place
    established: Establishment | None = None
    personnel: Quantity | None = None
    lease_until: int | None = Field(default=None, description="year to which the lease runs")
    role: str | None = None

    def exists_on(self, day: dt.date) -> bool:
        return self.established is None or self.established.date <= day


class Airfield(Sourced):
    """An airfield used or usable for airlift."""

    id: Slug
    name: str
    state: ISO3
    icao: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    runway_m: int | None = None
    use: Literal["military", "civil", "joint"]
    notes: str | None = None


class ForcesFile(Frozen):
    """The shape of ``forces.yaml``."""

    forces: tuple[Force, ...]
    bases: tuple[Base, ...] = ()


class AirfieldsFile(Frozen):
    """The shape of ``airfields.yaml``."""

    airfields: tuple[Airfield, ...]
