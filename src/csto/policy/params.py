"""The decision models' parameters, read from ``policy.yaml``: factor weights, thresholds, member attributes.

Every weight carries its rationale and either a source key or ``assumed: true``; every member attribute
(alignment, ties, regime, parliament approval, pull of the lead state) carries a source or is marked
assumed with a rationale. Nothing here is keyed by an episode: the model sees only situation features.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import Field, model_validator

from csto.model.common import ISO3, Frozen, Justified, SourceKeys

Factor = Literal[
    "treaty_coverage",
    "article_invoked",
    "self_interest",
    "own_request",
    "alignment",
    "lead_state",
    "ties_to_aggressor",
    "regime_solidarity",
    "severity",
    "domestic_constraint",
    "capacity_cost",
    "commitments_elsewhere",
    "chair_duty",
]
FACTORS: tuple[str, ...] = get_args(Factor)
LEVELS: tuple[str, ...] = ("none", "statement", "mission", "assistance", "deployment")


class Weight(Justified):
    """The weight of one factor, with its spread for the Monte Carlo."""

    factor: Factor
    weight: float = Field(ge=0)
    sd: float = Field(ge=0, description="standard deviation of the weight across Monte Carlo trials")


class LevelProfile(Justified):
    """What each rung of the ladder costs and how hostile it is to the aggressor (0..1)."""

    level: Literal["none", "statement", "mission", "assistance", "deployment"]
    cost: float = Field(ge=0, le=1)
    hostility: float = Field(ge=0, le=1)
    troops: bool


class Thresholds(Justified):
    """Score above ``support`` → support; below ``object`` → object; in between → stand aside."""

    support: float
    object: float
    noise_sd: float = Field(ge=0, description="per-member, per-trial noise added to each score")

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.object >= self.support:
            raise ValueError("the object threshold must be below the support threshold")
        return self


class Change(Justified):
    """A dated change of a member attribute: from ``since`` on, ``value`` (sourced, or assumed with a reason)."""

    since: dt.date
    value: float


class Attribute(Justified):
    """One sourced or assumed value of a member attribute, with its dated changes (oldest first): the value
    holds until the first change, each change from its day on."""

    value: float
    changes: tuple[Change, ...] = ()

    @model_validator(mode="after")
    def _ordered_changes(self) -> Attribute:
        for a, b in zip(self.changes, self.changes[1:], strict=False):
            if b.since <= a.since:
                raise ValueError(f"changes must be oldest first ({b.since} after {a.since})")
        return self

    def on(self, day: dt.date | None) -> float:
        """The value on ``day`` (the latest value when no day is given)."""
        if day is None:
            return self.changes[-1].value if self.changes else self.value
        out = self.value
        for c in self.changes:
            if c.since > day:
                break
            out = c.value
        return out


class MemberProfile(Frozen):
    """What the model knows about one member."""

    iso3: ISO3
    regime: Attribute = Field(description="solidarity with governments facing unrest, 0 (none) .. 1 (strong)")
    parliament_approval: Attribute = Field(
        description="1 if sending troops abroad needs parliament's approval"
    )
    lead_pull: Attribute = Field(description="how much the lead state's stance moves this member, 0..1")
    alignment: dict[str, Attribute] = Field(
        default_factory=dict, description="closeness to each member, 0..1"
    )
    ties: dict[str, Attribute] = Field(
        default_factory=dict, description="ties to possible aggressor states, 0..1"
    )
    min_contingent: Attribute = Field(description="smallest contingent it sends when it sends troops")


class Timing(Justified):
    """Provisional timing of a decision and a deployment (until the airlift planner replaces it)."""

    session_hours: float
    session_hours_sd: float
    decision_hours: float
    decision_hours_sd: float
    readiness_hours: float
    readiness_hours_sd: float
    cruise_kmh: float
    seats_per_sortie: float
    sorties_per_day: float = Field(description="flights a day the air bridge delivers into the area")
    approval_hours: float = Field(
        description="delay before a contingent that needs parliament's approval can go"
    )
    mission_days: float = Field(default=10.0, description="days from all in to the start of the withdrawal")
    vehicles_per_person: float = Field(default=0.12, description="vehicles per person tasked")


class ForceChoice(Justified):
    """Which collective force a decision to deploy draws on, by kind of crisis and region."""

    kind: Literal[
        "external_attack", "incursion", "internal_unrest", "member_vs_member", "unrecognised_territory"
    ]
    force: str
    share_of_strength: float = Field(
        gt=0, le=1, description="share of the force's strength tasked at intensity 1"
    )
    central_asia_force: str | None = None


class PolicyParams(Frozen):
    """The shape of ``policy.yaml``."""

    lead_state: ISO3
    weights: tuple[Weight, ...]
    levels: tuple[LevelProfile, ...]
    thresholds: Thresholds
    members: tuple[MemberProfile, ...] = ()
    timing: Timing
    forces: tuple[ForceChoice, ...]
    central_asia: tuple[ISO3, ...] = ()
    source: SourceKeys | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _complete(self) -> PolicyParams:
        have = {w.factor for w in self.weights}
        missing = set(FACTORS) - have
        if missing:
            raise ValueError(f"weights missing for factors: {', '.join(sorted(missing))}")
        if {lv.level for lv in self.levels} != set(LEVELS):
            raise ValueError("levels must give each rung: " + ", ".join(LEVELS))
        return self

    def weight(self, factor: str) -> Weight:
        return next(w for w in self.weights if w.factor == factor)

    def level(self, name: str) -> LevelProfile:
        return next(lv for lv in self.levels if lv.level == name)

    def member(self, iso3: str) -> MemberProfile | None:
        return next((m for m in self.members if m.iso3 == iso3), None)
