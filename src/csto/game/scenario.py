"""Crisis scenarios: the situation's features in YAML (place, kind, aggressor, request, framing, intensity,
context and injects), read with line numbers and checked for contradictions.

A scenario may name the historical episode it describes (``episode:``) so that runs can be compared with
the record; the decision models never read that name, only the features.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from csto.errors import ScriptError
from csto.model import Dataset
from csto.model.common import ISO3, Frozen, Slug
from csto.model.yamlio import located_error, read_yaml

Kind = Literal[
    "external_attack", "incursion", "internal_unrest", "member_vs_member", "unrecognised_territory"
]


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


class ScenarioRequest(Frozen):
    """Who asks, under which article, and when (hours after the scenario's start)."""

    state: ISO3 | None = None
    article: Literal["none", "art2", "art4"] = "none"
    addressed_to: Literal["csto", "alliance", "lead_state", "none"] = "csto"
    t_hours: float = Field(default=0.0, ge=0)


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
    framing: str | None = None
    framed_as_armed_attack: bool = False
    intensity: float = Field(ge=0, le=1)
    force_size: int | None = Field(
        default=None, gt=0, description="personnel wanted, if a deployment is decided"
    )
    destination_airfield: str | None = None
    context: Context = Field(default_factory=Context)
    injects: tuple[Inject, ...] = ()
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        a = self.aggressor
        if self.kind == "member_vs_member":
            if not a.member or a.state is None:
                raise ValueError(
                    "kind member_vs_member needs an aggressor that is a member state (aggressor.member: true "
                    "and aggressor.state)"
                )
        elif a.member:
            raise ValueError(f"an aggressor that is a member makes this member_vs_member, not {self.kind}")
        if self.kind == "unrecognised_territory" and self.location.recognised_territory:
            raise ValueError("kind unrecognised_territory needs location.recognised_territory: false")
        if self.kind == "incursion" and not a.non_state:
            raise ValueError("an incursion is by non-state armed groups: set aggressor.non_state: true")
        if self.kind == "external_attack" and (a.non_state or a.state is None):
            raise ValueError(
                "an external armed attack is by a state: give aggressor.state and non_state: false"
            )
        if self.request.article != "none" and self.request.state is None:
            raise ValueError("request.article needs request.state (who asks)")
        if self.framed_as_armed_attack and self.kind != "internal_unrest":
            raise ValueError("framed_as_armed_attack applies to internal_unrest only")
        return self

    @property
    def request_time(self) -> dt.datetime:
        return self.start + dt.timedelta(hours=self.request.t_hours)


def _tz(text: str) -> dt.tzinfo:
    sign = -1 if text.startswith("-") else 1
    hh, _, mm = text.lstrip("+-").partition(":")
    return dt.timezone(sign * dt.timedelta(hours=int(hh), minutes=int(mm or 0)))


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
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        err = located_error(exc, doc)
        raise ScriptError(
            err.message, file=err.file, line=err.line, field=err.field, expected=err.expected
        ) from None
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
