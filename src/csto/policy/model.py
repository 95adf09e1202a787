"""The decision model: for a member and a proposed rung of the ladder, a score from weighted factors,
a stance (support, stand aside, object) and an offered contribution, with every reason spelled out.

score = Σ weight(f) · value(f) + noise. Each value is computed from the crisis' features and the member's
profile; each weight comes from ``policy.yaml`` with its rationale and source (or ``assumed``). The lead
state decides first; its stance then pulls the others in proportion to their dependence on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from csto.errors import DataError
from csto.model import Dataset
from csto.model.yamlio import read_yaml, validate
from csto.policy.params import FACTORS, MemberProfile, PolicyParams

HOSTILE_BASE = 0.1


@dataclass(frozen=True)
class CrisisFeatures:
    """What the models may know of a crisis: features only, never its name."""

    kind: str
    location_state: str
    recognised_territory: bool
    aggressor_state: str | None
    aggressor_is_member: bool
    non_state: bool
    article: str  # none | art2 | art4, as lodged (after the rules accepted it)
    requester: str | None
    covered: bool  # does the collective-defence article apply (rules' verdict)?
    framed_as_armed_attack: bool
    intensity: float
    lead_state_at_war: bool
    chair: str | None
    personnel: Mapping[str, float] = field(default_factory=dict)  # active military by state
    #: the states fighting (the location's state, a member aggressor, the scenario's parties) and of them
    #: the aggressors; the requester too, when it asks for itself
    parties: frozenset[str] = frozenset()
    aggressors: frozenset[str] = frozenset()
    #: to whom the request went: csto/alliance (the organization), ally, lead_state, un, none
    addressed_to: str = "csto"
    #: the trouble comes from inside the member (unrest, a mutiny or coup attempt)
    internal: bool = False
    #: the day of the crisis, for dated member profiles (ISO date)
    day: str = ""


@dataclass(frozen=True)
class Reason:
    """One factor behind a stance."""

    factor: str
    value: float
    weight: float
    contribution: float
    basis: str  # the rationale of the weight
    source: tuple[str, ...] = ()  # source keys, or empty when the weight is assumed
    assumed: bool = False


@dataclass(frozen=True)
class MemberVote:
    """A member's stance on a proposed rung, with its score, reasons and offered contribution."""

    iso3: str
    level: str
    stance: str
    score: float
    reasons: tuple[Reason, ...]
    offer: int = 0


@dataclass(frozen=True)
class Draw:
    """One trial's random draws: factor weights, per-member noise, and timing noise (standard normals)."""

    weights: Mapping[str, float]
    noise: Mapping[str, float]
    timing: tuple[float, float, float]


def nominal_draw(params: PolicyParams) -> Draw:
    """The central case: mean weights, no noise."""
    return Draw({w.factor: w.weight for w in params.weights}, {}, (0.0, 0.0, 0.0))


def sample_draws(
    rng: np.random.Generator, params: PolicyParams, members: list[str], trials: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pre-draw every trial's randomness in one place (one seeded path):
    weights (trials × factors, truncated at 0), member noise (trials × members) and timing (trials × 3)."""
    mean = np.array([params.weight(f).weight for f in FACTORS])
    sd = np.array([params.weight(f).sd for f in FACTORS])
    weights = np.maximum(0.0, mean + sd * rng.standard_normal((trials, len(FACTORS))))
    noise = params.thresholds.noise_sd * rng.standard_normal((trials, len(members)))
    timing = rng.standard_normal((trials, 3))
    return weights, noise, timing


def draw_at(arrays: tuple[np.ndarray, np.ndarray, np.ndarray], members: list[str], i: int) -> Draw:
    weights, noise, timing = arrays
    return Draw(
        {f: float(weights[i, j]) for j, f in enumerate(FACTORS)},
        {m: float(noise[i, k]) for k, m in enumerate(members)},
        (float(timing[i, 0]), float(timing[i, 1]), float(timing[i, 2])),
    )


def _attr(profile: MemberProfile | None, name: str, default: float, day: dt.date | None = None) -> float:
    if profile is None:
        return default
    a = getattr(profile, name)
    return float(a.on(day))


def _pair(
    profile: MemberProfile | None, table: str, other: str | None, default: float, day: dt.date | None = None
) -> float:
    if profile is None or other is None:
        return default
    entry = getattr(profile, table).get(other)
    return float(entry.on(day)) if entry is not None else default


def burden(personnel: float) -> float:
    """How heavily a contribution weighs on a state of this size (0 for the largest, near 1 for small)."""
    return 1.0 / (1.0 + max(personnel, 0.0) / 50_000.0)


def factor_values(
    iso3: str, level: str, f: CrisisFeatures, params: PolicyParams, lead_stance: str | None
) -> dict[str, float]:
    """The value of every factor for ``iso3`` on a proposal at ``level``."""
    lv = params.level(level)
    h = max(lv.hostility, HOSTILE_BASE)
    day = crisis_day(f)
    prof = params.member(iso3)
    affected = f.requester or f.location_state
    is_aggressor = iso3 in f.aggressors
    is_party = iso3 in f.parties or iso3 == f.requester
    values: dict[str, float] = dict.fromkeys(FACTORS, 0.0)
    values["treaty_coverage"] = (1.0 if f.covered else -1.0) * h
    values["article_invoked"] = {"art4": 1.0, "art2": 0.5}.get(f.article, -0.5) * h
    if is_aggressor:
        values["self_interest"] = -1.0 * h
    elif iso3 == f.requester:
        values["self_interest"] = 1.0
    elif is_party:
        values["own_request"] = wish_of_unasked(f, h)
    if not is_party:
        # Closeness matters in proportion to what is asked: little for a neutral call, fully for troops.
        values["alignment"] = 2.0 * (_pair(prof, "alignment", affected, 0.5, day) - 0.5) * max(h, 0.3)
    if iso3 != params.lead_state and lead_stance is not None and not is_party:
        pull = _attr(prof, "lead_pull", 0.5, day)
        # Without the lead's backing a step has no cover: its standing aside weighs against, more so the more
        # hostile (and costly) the step.
        lead_value = {"support": 1.0, "object": -1.0}.get(lead_stance, -0.5 * h)
        values["lead_state"] = lead_value * pull
    if not is_party:
        ties = max(
            (
                _pair(prof, "alignment", a, 0.5, day)
                if a in f.aggressors
                else _pair(prof, "ties", a, 0.0, day)
                for a in _aggressor_states(f)
            ),
            default=0.0,
        )
        values["ties_to_aggressor"] = -ties * h
    if f.internal and not is_party:
        values["regime_solidarity"] = _attr(prof, "regime", 0.5, day) * (
            1.0 if f.framed_as_armed_attack else 0.5
        )
    values["severity"] = f.intensity
    if lv.troops and not is_party:
        values["domestic_constraint"] = -_attr(prof, "parliament_approval", 0.0, day)
    if not is_party:
        values["capacity_cost"] = -lv.cost * burden(f.personnel.get(iso3, 20_000.0))
    if iso3 == params.lead_state and f.lead_state_at_war and not is_aggressor:
        # forces and attention to spare: a cost for steps that take them, nothing for a statement's words
        values["commitments_elsewhere"] = -1.0 if lv.troops else -lv.cost
    if iso3 == f.chair and not is_party:
        values["chair_duty"] = 1.0
    return values


def wish_of_unasked(f: CrisisFeatures, h: float) -> float:
    """What a member at the centre of a crisis wants from the organization when it has not asked it: one
    that appealed to an ally or to the UN wants help, if not this way (+0.5); a government handling trouble
    from inside (or a terrorist attack at home) that asked no one wants no collective step on it, the less
    the more intrusive the step (-h, the rung's hostility: little for words, fully for troops); one attacked
    from outside that did not ask welcomes solidarity (+0.25)."""
    if f.addressed_to in ("ally", "lead_state", "un"):
        return 0.5
    if f.internal or f.kind == "terrorist_attack":
        return -h
    return 0.25


def _aggressor_states(f: CrisisFeatures) -> list[str]:
    out = sorted(f.aggressors)
    if f.aggressor_state and f.aggressor_state not in f.aggressors:
        out.append(f.aggressor_state)
    return out


def crisis_day(f: CrisisFeatures) -> dt.date | None:
    return dt.date.fromisoformat(f.day) if f.day else None


def member_vote(
    iso3: str,
    level: str,
    f: CrisisFeatures,
    params: PolicyParams,
    draw: Draw,
    lead_stance: str | None = None,
    needed: int = 0,
) -> MemberVote:
    """The member's stance on a proposal at ``level``, with its reasons and, for troops, its offer."""
    values = factor_values(iso3, level, f, params, lead_stance)
    reasons = []
    score = 0.0
    for factor in FACTORS:
        v = values[factor]
        if v == 0.0:
            continue
        w = draw.weights[factor]
        wp = params.weight(factor)
        c = w * v
        score += c
        reasons.append(
            Reason(
                factor,
                round(v, 4),
                round(w, 4),
                round(c, 4),
                wp.rationale,
                tuple(wp.source or ()),
                wp.assumed,
            )
        )
    score += draw.noise.get(iso3, 0.0)
    th = params.thresholds
    stance = "support" if score > th.support else "object" if score < th.object else "stand_aside"
    reasons.sort(key=lambda r: -abs(r.contribution))
    offer = 0
    if stance == "support" and params.level(level).troops and iso3 not in f.parties and iso3 != f.requester:
        prof = params.member(iso3)
        offer = int(prof.min_contingent.value) if prof else 100
    return MemberVote(iso3, level, stance, round(score, 4), tuple(reasons), offer)


def frozen_vote(iso3: str, level: str) -> MemberVote:
    """A member whose participation is frozen: recorded as standing aside, by the rules, not by a score."""
    reason = Reason(
        "own_status",
        -1.0,
        1.0,
        0.0,
        "A member that has frozen its participation stands aside from every decision (Charter Art. 12, practice "
        "since 2024); the engine refuses its vote and records it as standing aside.",
        (),
        False,
    )
    return MemberVote(iso3, level, "stand_aside", 0.0, (reason,), 0)


def split_force(offers: Mapping[str, int], lead: str, needed: int) -> dict[str, int]:
    """Contributions: each supporter's offer, the lead state filling the rest of ``needed``."""
    out = {k: v for k, v in offers.items() if v > 0}
    if lead in out:
        others = sum(v for k, v in out.items() if k != lead)
        out[lead] = max(out[lead], needed - others)
    return out


@lru_cache(maxsize=8)
def _load_policy_dir(directory: str) -> PolicyParams:
    root = Path(directory)
    doc = read_yaml(root / "policy.yaml", display_name=f"{root.name}/policy.yaml")
    members_path = root / "policy_members.yaml"
    data: Any = dict(doc.data) if isinstance(doc.data, dict) else doc.data
    if members_path.is_file() and isinstance(data, dict):
        mdoc = read_yaml(members_path, display_name=f"{root.name}/policy_members.yaml")
        if not isinstance(mdoc.data, dict) or "members" not in mdoc.data:
            raise DataError(
                "policy_members.yaml must hold 'members:'", file=str(mdoc.file), line=1, field="members"
            )
        from pydantic import ValidationError

        try:
            members = tuple(MemberProfile.model_validate(m) for m in mdoc.data["members"])
        except ValidationError as exc:
            from csto.model.yamlio import located_error

            raise located_error(exc, mdoc, prefix=("members",)) from None
        data = {**data, "members": [m.model_dump() for m in members]}
        from csto.model.yamlio import YamlDoc

        doc = YamlDoc(doc.file, data, doc.lines)
    params: PolicyParams = validate(PolicyParams, doc)
    return params


def load_policy(dataset: Dataset) -> PolicyParams:
    """The policy parameters that sit beside the dataset; every source key must resolve in its sources."""
    params = _load_policy_dir(dataset.directory)
    _check_policy_sources(dataset)
    return params


@lru_cache(maxsize=8)
def _policy_sources_checked(directory: str, keys: frozenset[str]) -> bool:
    from csto.model.alliance import check_source_keys

    root = Path(directory)
    for name in ("policy.yaml", "policy_members.yaml"):
        path = root / name
        if not path.is_file():
            continue
        check_source_keys(read_yaml(path, display_name=f"{root.name}/{name}"), keys)
    return True


def _check_policy_sources(dataset: Dataset) -> None:
    _policy_sources_checked(dataset.directory, frozenset(dataset.sources))


def personnel_of(dataset: Dataset, day: dt.date | None = None) -> dict[str, float]:
    """Each state's active-personnel figure on ``day`` (the figure of that year or the latest earlier one;
    the earliest figure where every figure is later, marked so in docs/data/figures.md); the latest without
    a day."""
    out: dict[str, float] = {}
    for s in dataset.states:
        series = s.military_personnel
        q = (
            series.latest()
            if day is None
            else (series.at(day) or (series.points[0] if series.points else None))
        )
        if q is not None:
            out[s.iso3] = float(q.value)
    return out
