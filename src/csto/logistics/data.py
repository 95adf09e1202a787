"""Supply for the airlift planner, read from ``logistics.yaml``: aircraft types, fleets by state, units with
their home airfields and readiness, airfield ground capacity and operating hours, and movement norms.

Every number carries a source or ``assumed: true`` with its rationale (many planning figures are not
published: turnaround times, apron capacities, unit strengths). Records only; it must not plan.
"""

from __future__ import annotations

from pydantic import Field

from csto.logistics.frictions import ExpectedModel
from csto.model.common import ISO3, Frozen, Justified, Slug


class AircraftType(Justified):
    """A transport type: what one sortie carries and how it flies."""

    id: Slug
    name: str
    payload_t: float = Field(gt=0, description="cargo payload for planning, tonnes")
    seats: int = Field(ge=0, description="troops seated with their kit")
    vehicles_max: int = Field(ge=0, description="vehicles per sortie (by floor space), at most")
    cruise_kmh: float = Field(gt=0)
    range_km: float = Field(gt=0, description="range with the planning payload")
    turnaround_h: float = Field(gt=0, description="ground time to unload or load and refuel")
    min_runway_m: int = Field(default=0, ge=0)


class Fleet(Justified):
    """Aircraft of one type a state can commit to an airlift, and where they are based."""

    state: ISO3
    type: Slug
    count: int = Field(ge=0)
    base: Slug = Field(description="airfield id where the aircraft start")


class Unit(Justified):
    """A national contribution that can be tasked: strength, equipment, readiness and home airfield."""

    id: Slug
    state: ISO3
    name: str
    personnel: int = Field(gt=0)
    vehicles: int = Field(ge=0)
    cargo_t: float = Field(ge=0, description="other cargo, tonnes")
    readiness_h: float = Field(ge=0, description="hours from the order until it is ready to move")
    home_airfield: Slug
    forces: tuple[Slug, ...] = Field(description="collective forces it is registered with")


class AirfieldCapacity(Justified):
    """How many heavy transports an airfield can have on the ground at once, and when it works."""

    airfield: Slug
    max_on_ground: int = Field(gt=0)
    hours: str = Field(
        default="24/7",
        pattern=r"^(24/7|([01][0-9]|2[0-3])-([01][0-9]|2[0-4]))$",
        description="'24/7' or 'HH-HH' local (landings only then)",
    )


class Norms(Justified):
    """Movement norms: vehicle mass, road march, refuelling stops."""

    vehicle_t: float = Field(gt=0, description="average mass of a vehicle, tonnes")
    road_kmh: float = Field(gt=0)
    road_max_km: float = Field(gt=0, description="moves shorter than this go by road")
    refuel_stop_h: float = Field(gt=0)


class LogisticsFile(Frozen):
    """The shape of ``logistics.yaml``."""

    aircraft: tuple[AircraftType, ...]
    fleets: tuple[Fleet, ...]
    units: tuple[Unit, ...]
    airfields: tuple[AirfieldCapacity, ...] = ()
    norms: Norms
    default_capacity: AirfieldCapacity = Field(description="used for airfields with no figure of their own")
    expected: ExpectedModel | None = Field(default=None, description="the frictions of the expected timeline")
