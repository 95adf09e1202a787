"""The frictions of a real airlift, read from the ``expected:`` section of ``logistics.yaml``: national
go-aheads, aircraft generation at each base, loading positions, crew duty, arrival fields' hours and
alternates, loading as flown and sustainment flights, with the recorded lift they are checked against.

Each uncertain figure is a ``Spread`` (low, mode, high; a triangular draw). Records only: it must not plan.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from csto.model.common import ISO3, Frozen, Justified, Slug


class Spread(Frozen):
    """An uncertain figure: the most likely value and the range it is drawn from (triangular)."""

    low: float = Field(ge=0)
    mode: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Spread:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        return self


class NationalDecision(Justified):
    """Hours after the Council's decision until a state's own go-ahead (a parliament's vote, a decree)."""

    state: ISO3
    hours: Spread


class Generation(Justified):
    """Aircraft at a base: the share ready at the order, and the hours until the rest have joined."""

    base: Slug
    ready_share: Spread = Field(description="share of the base's aircraft ready at the order (0-1)")
    generation_h: Spread = Field(description="hours until the last of the others is ready")

    @model_validator(mode="after")
    def _share(self) -> Generation:
        if self.ready_share.high > 1:
            raise ValueError("ready_share is a share: at most 1")
        return self


class Loading(Justified):
    """A home airfield's loading: aircraft loaded at once and the hours one takes."""

    airfield: Slug
    positions: int = Field(gt=0)
    load_h: Spread


class Crew(Justified):
    """One crew per aircraft: the longest duty period and the rest after it."""

    duty_h: Spread
    rest_h: Spread


class Arrival(Justified):
    """A destination's handling: hours to unload one aircraft, and the fields that share its traffic."""

    airfield: Slug
    unload_h: Spread
    alternates: tuple[Slug, ...] = Field(default=(), description="fields that take the overflow")


class LoadAsFlown(Justified):
    """The share of an aircraft's vehicle places filled on a sortie, as lifts are actually loaded."""

    vehicle_share: Spread
    min_payload_t: float = Field(ge=0, description="only aircraft of at least this payload fly the lift")

    @model_validator(mode="after")
    def _share(self) -> LoadAsFlown:
        if self.vehicle_share.high > 1 or self.vehicle_share.low <= 0:
            raise ValueError("vehicle_share is a share: above 0 and at most 1")
        return self


class Sustainment(Justified):
    """Supply flights beyond the first lift: per day per 1,000 troops on the ground, from the lead's hub."""

    per_day_per_1000: Spread
    origin: Slug


class Clock(Justified):
    """The destination's local hour at the order (working hours are local)."""

    order_local_hour: float = Field(ge=0, lt=24)


class AirliftRecord(Justified):
    """A recorded lift to check the plan against, counted from the Council's decision (hours)."""

    episode: Slug
    all_in_hours: Spread = Field(description="completion: low, central, high")
    flights: Spread = Field(description="flights into the theatre: low, central, high")
    first_units_hours: Spread = Field(description="first units on the ground: low, central, high")


class ExpectedModel(Frozen):
    """The shape of ``expected:`` in ``logistics.yaml``."""

    draws: int = Field(ge=1, le=1001, description="simulated draws (odd: the median is one draw)")
    seed: int = Field(ge=0)
    clock: Clock
    decisions: tuple[NationalDecision, ...] = ()
    generation: tuple[Generation, ...] = ()
    default_generation: Generation
    loading: tuple[Loading, ...] = ()
    default_loading: Loading
    crew: Crew
    arrivals: tuple[Arrival, ...] = ()
    default_arrival: Arrival
    load_as_flown: LoadAsFlown
    sustainment: Sustainment
    records: tuple[AirliftRecord, ...] = ()

    @model_validator(mode="after")
    def _odd(self) -> ExpectedModel:
        if self.draws % 2 == 0:
            raise ValueError("draws must be odd, so that the median is one draw's timeline")
        return self
