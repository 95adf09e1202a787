"""Crisis scenarios: the situation's features in YAML (place, kind, aggressor, request, framing, intensity,
context and injects), read with line numbers and checked for contradictions.

A scenario may name the historical episode it describes (``episode:``) so that runs can be compared with
the record; the decision models never read that name, only the features.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, model_validator

from csto.errors import ScriptError
from csto.model import Dataset
from csto.model.common import ISO3, Frozen, Slug
from csto.model.episodes import CrisisKind
from csto.model.yamlio import located_error, read_yaml

Kind = CrisisKind
#: Kinds where the trouble comes from inside the member (its own people, or part of its own forces).
INTERNAL_KINDS = frozenset({"internal_unrest", "mutiny"})
#: Kinds brought by non-state armed groups.
NON_STATE_KINDS = frozenset({"incursion", "threat_of_incursion", "terrorist_attack"})


def intensity_of_deaths(deaths: int) -> float:
    """The scenario's intensity from the deaths it counts: min(1, log10(1 + deaths) / 4), and at least 0.05
    for any death, so that a clash with one death is not zero (docs/model/intensity.md)."""
    import math

    if deaths <= 0:
        return 0.0
    return round(min(1.0, max(0.05, math.log10(1 + deaths) / 4)), 3)


class Where(Frozen):
    """Where it happens."""

    state: ISO3
    region: str
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    recognised_territory: bool = True


class Aggressor(Frozen):
    """Who attacks: a state (ISO3) or a non-state group, member or not."""

    name: str
    state: ISO3 | None = None
    non_state: bool = False
    member: bool = False


class Party(Frozen):
    """A member that fights in the crisis, beyond the location's state and a member aggressor: for
    instance a member whose army fights for an unrecognised entity, or an ally of the attacked state."""

    state: ISO3
    role: Literal["aggressor", "defender"]
    note: str | None = None


class ScenarioRequest(Frozen):
    """Who asks, to whom, under which article, and when (hours after the scenario's start).

    Only a request to the organization itself (``csto`` or ``alliance``) opens its procedure; an appeal to
    one ally (``ally`` with ``to_state``, or ``lead_state``), to the UN, or to nobody is recorded as such and
    lodges nothing. ``authority: contested`` marks a requester whose authority to speak for the state is
    disputed."""

    state: ISO3 | None = None
    article: Literal["none", "art2", "art4"] = "none"
    addressed_to: Literal["csto", "alliance", "ally", "lead_state", "un", "none"] = "csto"
    to_state: ISO3 | None = None
    authority: Literal["recognised", "contested"] = "recognised"
    t_hours: float = Field(default=0.0, ge=0)

    @property
    def to_organization(self) -> bool:
        """Whether the request goes to the organization itself (and so may open its procedure)."""
        return self.state is not None and self.addressed_to in ("csto", "alliance")


class Context(Frozen):
    """Circumstances outside the crisis that bear on the decision."""

    lead_state_at_war: bool = False
    session_format: Literal["video", "in_person"] = "video"


class Inject(Frozen):
    """An event injected during the run, ``t_hours`` after the request."""

    t_hours: float = Field(ge=0)
    kind: Literal["note", "intensity", "request_withdrawn", "framing"]
    text: str
    value: float | str | None = None


class Scenario(Frozen):
    """A crisis to run."""

    id: Slug
    title: str
    description: str = ""
    episode: Slug | None = Field(default=None, description="the historical episode this describes, if any")
    hypothetical: bool = False
    start: dt.datetime
    timezone: str = "+00:00"
    location: Where
    kind: Kind
    aggressor: Aggressor
    request: ScenarioRequest
    parties: tuple[Party, ...] = ()
    framing: str | None = None
    framed_as_armed_attack: bool = False
    deaths: int | None = Field(default=None, ge=0, description="deaths in the crisis, if known")
    intensity: float = Field(
        ge=0, le=1, description="0..1; when omitted, derived from deaths (see intensity_of_deaths)"
    )
    force_size: int | None = Field(
        default=None, gt=0, description="personnel wanted, if a deployment is decided"
    )
    destination_airfield: str | None = None
    context: Context = Field(default_factory=Context)
    injects: tuple[Inject, ...] = ()
    sources: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _derive_intensity(cls, data: Any) -> Any:
        if isinstance(data, dict) and "intensity" not in data and isinstance(data.get("deaths"), int):
            return {**data, "intensity": intensity_of_deaths(data["deaths"])}
        return data

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Scenario:
        if info.context and info.context.get("contradictions") == "later":
            return self  # load_scenario reports them with the lines of the fields
        c = contradiction(self)
        if c is not None:
            raise ValueError(c.message)
        return self

    @property
    def request_time(self) -> dt.datetime:
        return self.start + dt.timedelta(hours=self.request.t_hours)


@dataclass(frozen=True)
class Contradiction:
    """Two fields of a scenario that cannot both hold: ``field`` and, where another field is involved,
    ``other`` (dotted paths), with what is wrong."""

    field: str
    message: str
    other: str | None = None
    expected: str = "fields that agree"


def contradiction(sc: Scenario) -> Contradiction | None:
    """The first pair of fields of ``sc`` that contradict each other, or None."""
    a, r, kind = sc.aggressor, sc.request, sc.kind
    if kind == "member_vs_member" and (not a.member or a.state is None):
        return Contradiction(
            "aggressor.member",
            "kind member_vs_member needs an aggressor that is a member state (aggressor.member: true and "
            "aggressor.state)",
            "kind",
        )
    if a.member and kind not in ("member_vs_member", "external_attack", "unrecognised_territory"):
        return Contradiction(
            "aggressor.member",
            f"a member aggressor fits member_vs_member (against a member), external_attack (against a "
            f"non-member) or unrecognised_territory, not {kind}",
            "kind",
        )
    if a.member and a.state is None:
        return Contradiction("aggressor.state", "aggressor.member: true needs aggressor.state (which member)")
    if kind == "unrecognised_territory" and sc.location.recognised_territory:
        return Contradiction(
            "location.recognised_territory",
            "kind unrecognised_territory needs location.recognised_territory: false",
            "kind",
        )
    if kind in NON_STATE_KINDS and not a.non_state:
        return Contradiction(
            "aggressor.non_state",
            f"{kind.replace('_', ' ')} is by non-state armed groups: set aggressor.non_state: true",
            "kind",
        )
    if kind == "external_attack" and (a.non_state or a.state is None):
        return Contradiction(
            "aggressor.state" if a.state is None else "aggressor.non_state",
            "an external armed attack is by a state: give aggressor.state and non_state: false",
            "kind",
        )
    if sc.framed_as_armed_attack and kind not in INTERNAL_KINDS:
        return Contradiction(
            "framed_as_armed_attack",
            "framed_as_armed_attack applies to internal_unrest and mutiny only",
            "kind",
        )
    if r.state is None and r.article != "none":
        return Contradiction(
            "request.article",
            f"the request states article {r.article} but names no requester (request.state is null)",
            "request.state",
            "a requester in request.state, or article: none",
        )
    if r.state is None and r.addressed_to not in ("none",):
        return Contradiction(
            "request.addressed_to",
            f"the request is addressed to {r.addressed_to} but names no requester (request.state is null)",
            "request.state",
            "a requester in request.state, or addressed_to: none",
        )
    if r.addressed_to == "ally" and r.to_state is None:
        return Contradiction("request.to_state", "addressed_to: ally needs request.to_state (which ally)")
    if r.to_state is not None and r.addressed_to != "ally":
        return Contradiction(
            "request.to_state", "request.to_state goes with addressed_to: ally", "request.addressed_to"
        )
    if sc.deaths is not None and abs(intensity_of_deaths(sc.deaths) - sc.intensity) > 0.1:
        return Contradiction(
            "intensity",
            f"intensity {sc.intensity} does not fit {sc.deaths} deaths (which give "
            f"{intensity_of_deaths(sc.deaths)}: min(1, log10(1 + deaths) / 4))",
            "deaths",
            "an intensity within 0.1 of the deaths' value, or no intensity",
        )
    seen: set[str] = set()
    for i, p in enumerate(sc.parties):
        if p.state in seen:
            return Contradiction(f"parties.{i}.state", f"{p.state} is listed twice among the parties")
        seen.add(p.state)
        if a.member and p.state == a.state and p.role != "aggressor":
            return Contradiction(
                f"parties.{i}.role", f"{p.state} is the aggressor, not a {p.role}", "aggressor.state"
            )
    return None


def _tz(text: str) -> dt.tzinfo:
    sign = -1 if text.startswith("-") else 1
    hh, _, mm = text.lstrip("+-").partition(":")
    return dt.timezone(sign * dt.timedelta(hours=int(hh), minutes=int(mm or 0)))


def _path(dotted: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in dotted.split(".")]


def load_scenario(path: str | Path, dataset: Dataset) -> Scenario:
    """Read and check a scenario; a bad one raises ``ScriptError`` with file, line and field."""
    doc = read_yaml(Path(path))
    data: Any = doc.data
    if isinstance(data, dict) and isinstance(data.get("start"), (dt.datetime, dt.date, str)):
        start = data["start"]
        tzs = str(data.get("timezone", "+00:00"))
        try:
            tz = _tz(tzs)
        except (ValueError, OverflowError):
            raise ScriptError(
                f"bad timezone '{tzs}'",
                file=str(path),
                line=doc.line_of(("timezone",)),
                field="timezone",
                expected="a UTC offset such as +06:00",
            ) from None
        if isinstance(start, str):
            try:
                start = dt.datetime.fromisoformat(start)
            except ValueError:
                start = None
        if isinstance(start, dt.datetime):
            data = {**data, "start": start if start.tzinfo else start.replace(tzinfo=tz)}
        elif isinstance(start, dt.date):
            data = {**data, "start": dt.datetime(start.year, start.month, start.day, tzinfo=tz)}
    start_raw = data.get("start") if isinstance(data, dict) else None
    if isinstance(start_raw, str):  # not ISO (parsed above): Pydantic would read "1500000000" as Unix time
        with contextlib.suppress(ValueError):
            start_raw = float(start_raw)
    if isinstance(start_raw, (int, float)):  # bool is an int too
        raise ScriptError(
            f"start must be a date-time, not {data['start']!r}",
            file=str(path),
            line=doc.line_of(("start",)),
            field="start",
            expected="a date-time like 2022-01-05T18:00:00",
        )
    try:
        sc = Scenario.model_validate(data, context={"contradictions": "later"})
    except ValidationError as exc:
        err = located_error(exc, doc)
        raise ScriptError(
            err.message, file=err.file, line=err.line, field=err.field, expected=err.expected
        ) from None
    bad = contradiction(sc)
    if bad is not None:
        line = doc.line_of(tuple(_path(bad.field)))
        where = ""
        if bad.other is not None:
            where = f" (see {bad.other}, line {doc.line_of(tuple(_path(bad.other)))})"
        raise ScriptError(
            bad.message + where, file=str(path), line=line, field=bad.field, expected=bad.expected
        )
    if len(sc.id) > 100:  # the id names a file (scenarios/<id>.yaml) and a report folder
        raise ScriptError(
            f"id is {len(sc.id)} characters long",
            file=str(path),
            line=doc.line_of(("id",)),
            field="id",
            expected="an id of at most 100 characters",
        )
    # The run opens the world on the start's UTC day and works in UTC from the request on, with room
    # for a deployment and its withdrawal (years): both moments must exist and fall in the alliance's time.
    field_ = "start"
    try:
        opened = sc.start.astimezone(dt.UTC)
        field_ = "request.t_hours"
        sc.request_time.astimezone(dt.UTC) + dt.timedelta(days=3660)
    except OverflowError:
        raise ScriptError(
            "start plus request.t_hours is outside the calendar"
            if field_ != "start"
            else "start is out of range",
            file=str(path),
            line=doc.line_of(tuple(field_.split("."))),
            field=field_,
            expected="a date-time between the alliance's founding and year 9990, and a request within it",
        ) from None
    if opened.date() < dataset.info.founded:
        raise ScriptError(
            f"starts on {opened.date().isoformat()} (UTC), before the {dataset.info.name} existed",
            file=str(path),
            line=doc.line_of(("start",)),
            field="start",
            expected=f"a start on or after {dataset.info.founded.isoformat()}",
        )
    known = {s.iso3 for s in dataset.states} | {t.iso3 for t in dataset.third_states}
    for path_, code in (
        (("location", "state"), sc.location.state),
        (("aggressor", "state"), sc.aggressor.state),
        (("request", "state"), sc.request.state),
    ):
        if code is not None and code not in known:
            raise ScriptError(
                f"unknown state code '{code}'",
                file=str(path),
                line=doc.line_of(path_),
                field=".".join(path_),
                expected="an ISO3 code from members.yaml",
            )
    if sc.aggressor.member and sc.aggressor.state is not None:
        status = dataset.state(sc.aggressor.state)
        if status is None or status.status_at(sc.start.date()) not in ("member", "frozen", "suspended"):
            raise ScriptError(
                f"aggressor.member is true but {sc.aggressor.state} is not a member on {sc.start.date()}",
                file=str(path),
                line=doc.line_of(("aggressor", "member")),
                field="aggressor.member",
                expected="member: false, or a state that is a member on that date",
            )
    day = sc.start.date()

    def member_on_day(code: str) -> bool:
        st = dataset.state(code)
        return st is not None and st.status_at(day) in ("member", "frozen", "suspended")

    if sc.aggressor.member and sc.kind == "external_attack" and member_on_day(sc.location.state):
        raise ScriptError(
            f"a member ({sc.aggressor.state}) attacking a member's territory ({sc.location.state}) is "
            "member_vs_member, not external_attack",
            file=str(path),
            line=doc.line_of(("kind",)),
            field="kind",
            expected=f"kind: member_vs_member (see location.state, line {doc.line_of(('location', 'state'))})",
        )
    for i, party in enumerate(sc.parties):
        if not member_on_day(party.state):
            raise ScriptError(
                f"parties lists {party.state}, which is not a member on {day}",
                file=str(path),
                line=doc.line_of(("parties", i, "state")),
                field=f"parties.{i}.state",
                expected="members only: a non-member belligerent is the aggressor, or the location's state",
            )
    if sc.request.to_state is not None and sc.request.to_state not in known:
        raise ScriptError(
            f"unknown state code '{sc.request.to_state}'",
            file=str(path),
            line=doc.line_of(("request", "to_state")),
            field="request.to_state",
            expected="an ISO3 code from members.yaml",
        )
    if sc.destination_airfield is not None and sc.destination_airfield not in {
        a.id for a in dataset.airfields
    }:
        raise ScriptError(
            f"unknown airfield '{sc.destination_airfield}'",
            file=str(path),
            line=doc.line_of(("destination_airfield",)),
            field="destination_airfield",
            expected="an id from airfields.yaml (see csto plan airlift --help)",
        )
    if sc.episode is not None and dataset.episode(sc.episode) is None:
        raise ScriptError(
            f"unknown episode '{sc.episode}'",
            file=str(path),
            line=doc.line_of(("episode",)),
            field="episode",
            expected="an id from episodes.yaml",
        )
    return sc
