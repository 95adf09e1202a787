"""Historical crises and the corrections to common errors about them.

An episode records what happened: dates, place, requester, article invoked, the response on the
ladder ``none < statement < mission < assistance < deployment``, forces by country and a timeline.
Holds records only; decision models must never key on an episode's id.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from csto.model.common import ISO3, DatedEvent, Frozen, Quantity, Slug, Sourced

RESPONSE_LADDER: tuple[str, ...] = ("none", "statement", "mission", "assistance", "deployment")
Response = Literal["none", "statement", "mission", "assistance", "deployment"]
CrisisKind = Literal[
    "external_attack",
    "incursion",
    "threat_of_incursion",
    "terrorist_attack",
    "internal_unrest",
    "mutiny",
    "member_vs_member",
    "unrecognised_territory",
]


def response_rank(level: str) -> int:
    """Position of ``level`` on the response ladder (0 for none)."""
    return RESPONSE_LADDER.index(level)


class Location(Frozen):
    """Where a crisis took place."""

    state: ISO3
    region: str
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    recognised_territory: bool = True


class Request(Sourced):
    """Who asked whom for what, and under which article."""

    state: ISO3 | None
    by: str | None = None
    addressed_to: Literal["csto", "alliance", "russia", "ally", "lead_state", "un", "none"] = Field(
        description=(
            "csto: the CSTO; alliance: the alliance of the dataset (e.g. NATO); russia or lead_state: the "
            "lead state alone; ally: one other state alone (to_state); un: the United Nations"
        )
    )
    to_state: ISO3 | None = Field(default=None, description="the state asked, with addressed_to: ally")
    article: Literal["none", "art2", "art4"]
    date: dt.date | None = None
    time: str | None = None
    framing: str | None = None


class ForceContribution(Sourced):
    """Forces one state sent in an episode."""

    state: ISO3
    personnel: int | None = None
    vehicles: int | None = None
    units: str | None = None


class EpisodeResponse(Sourced):
    """The CSTO's response on the ladder, with its decision."""

    level: Response
    summary: str
    decision_body: str | None = None
    decision_date: dt.date | None = None
    hours_to_decision: float | None = None
    hours_to_first_units: float | None = None
    totals: Quantity | None = None
    vehicles: Quantity | None = None


class Episode(Sourced):
    """A historical crisis and what the CSTO did."""

    id: Slug
    title: str
    start: dt.date
    end: dt.date
    location: Location
    kind: CrisisKind
    aggressor: str
    aggressor_state: ISO3 | None = None
    aggressor_is_member: bool = False
    request: Request
    response: EpisodeResponse
    forces: tuple[ForceContribution, ...] = ()
    timeline: tuple[DatedEvent, ...] = ()
    consequences: str | None = None


class Correction(Sourced):
    """A claim common in popular articles that the record contradicts, with the correct facts."""

    id: Slug
    claim: str
    verdict: Literal["false", "partly_false", "misleading"]
    correction: str
    seen_in: tuple[str, ...] = ()


class EpisodesFile(Frozen):
    """The shape of ``episodes.yaml``."""

    episodes: tuple[Episode, ...]


class CorrectionsFile(Frozen):
    """The shape of ``corrections.yaml``."""

    corrections: tuple[Correction, ...]
