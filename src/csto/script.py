"""Play scripts: a tabletop sequence of actions in YAML, read with line numbers and checked before running.

Each step names ``at``, ``actor``, ``action`` and ``case``; the other keys are the action's parameters
(checked against its ``ActionSpec``); ``expect: refused`` marks a step that should be refused. A
malformed script is rejected whole, naming file, line and field, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csto.errors import ScriptError
from csto.model import Dataset
from csto.model.yamlio import YamlDoc, read_yaml
from csto.procedures import PROCEDURES, Action, ActionSpec, Param, starters

RESERVED = {"at", "actor", "action", "case", "expect", "note"}
ROLE_ACTORS = {"secretariat", "joint_staff", "csc", "cfm", "cdm", "cssc", "pc", "control"}
TOP_KEYS = {"title", "description", "alliance", "start", "timezone", "config", "steps", "sources"}


@dataclass(frozen=True)
class Step:
    """One checked step of a script."""

    number: int
    line: int
    action: Action
    expect: str
    note: str | None = None


@dataclass(frozen=True)
class Script:
    """A checked play script."""

    file: str
    title: str
    description: str
    alliance: str
    start: dt.datetime
    timezone: dt.tzinfo
    config: dict[str, Any]
    steps: list[Step] = field(default_factory=list)


def _err(doc: YamlDoc, path: tuple[str | int, ...], msg: str, expected: str | None = None) -> ScriptError:
    from csto.model.yamlio import dotted

    return ScriptError(msg, file=str(doc.file), line=doc.line_of(path), field=dotted(path), expected=expected)


def parse_time(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, str):
        try:
            t = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return t if t.tzinfo else t.replace(tzinfo=tz)
    return None


def _parse_tz(doc: YamlDoc, value: Any) -> dt.tzinfo:
    if value is None:
        return dt.UTC
    text = str(value).strip()
    sign = 1
    if text.startswith(("+", "-")):
        sign = -1 if text[0] == "-" else 1
        hh, _, mm = text[1:].partition(":")
        if hh.isdigit() and (not mm or mm.isdigit()) and len(hh) <= 2 and len(mm) <= 2:
            try:
                return dt.timezone(sign * dt.timedelta(hours=int(hh), minutes=int(mm or 0)))
            except ValueError:  # 24 hours or more
                pass
    raise _err(doc, ("timezone",), f"bad timezone '{value}'", "a UTC offset such as +06:00")


def load_script(path: str | Path, dataset: Dataset) -> Script:
    """Read and check a play script; raise ``ScriptError`` (file, line, field) on the first problem."""
    doc = read_yaml(Path(path))
    if not isinstance(doc.data, dict):
        raise _err(doc, (), "a play script must be a mapping", "keys title, start, steps")
    data: dict[str, Any] = doc.data
    for key in data:
        if key not in TOP_KEYS:
            raise _err(doc, (key,), "unknown field", "one of: " + ", ".join(sorted(TOP_KEYS)))
    tz = _parse_tz(doc, data.get("timezone"))
    start = parse_time(data.get("start"), tz)
    if start is None:
        raise _err(
            doc, ("start",), "missing or malformed start time", "a date-time like 2022-01-05T18:00:00+06:00"
        )
    steps_raw = data.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        raise _err(doc, ("steps",), "missing or empty list of steps", "a list of steps")
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise _err(
            doc, ("config",), "config must be a mapping", "rule settings such as withdrawal_notice_months: 6"
        )
    from csto.rules import RulesConfig

    known_cfg = set(RulesConfig.__dataclass_fields__)
    for k, v in config.items():
        if k not in known_cfg:
            raise _err(doc, ("config", k), "unknown rule setting", "one of: " + ", ".join(sorted(known_cfg)))
        kind = str(RulesConfig.__dataclass_fields__[k].type)
        if kind == "bool" and not isinstance(v, bool):
            raise _err(doc, ("config", k), f"bad value {v!r}", "true or false")
        if kind == "int" and (isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 1200):
            raise _err(doc, ("config", k), f"bad value {v!r}", "a whole number from 0 to 1200")
        if kind == "float" and (isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1):
            raise _err(doc, ("config", k), f"bad value {v!r}", "a number from 0 to 1")
    if str(data.get("alliance") or dataset.info.id) != dataset.info.id:
        raise _err(
            doc,
            ("alliance",),
            f"the script is for '{data.get('alliance')}' but the dataset is '{dataset.info.id}'",
            dataset.info.id,
        )
    # The engine opens the world on the start's UTC day, and rules add months and years to the steps'
    # times: the start must fall in the alliance's time, and every time must leave room in the calendar.
    try:
        opened = start.astimezone(dt.UTC)
    except OverflowError:
        raise _err(doc, ("start",), "start is out of range", "a date-time like 2022-01-05T18:00:00") from None
    if opened.date() < dataset.info.founded:
        raise _err(
            doc,
            ("start",),
            f"starts on {opened.date().isoformat()} (UTC), before the {dataset.info.name} existed",
            f"a start on or after {dataset.info.founded.isoformat()}",
        )
    known_states = {s.iso3 for s in dataset.states} | {t.iso3 for t in dataset.third_states}
    starts = starters()
    case_kind: dict[str, str] = {}
    steps: list[Step] = []
    prev = start
    for i, raw in enumerate(steps_raw):
        base: tuple[str | int, ...] = ("steps", i)
        if not isinstance(raw, dict):
            raise _err(doc, base, "a step must be a mapping", "at, actor, action, case and parameters")
        for req in ("actor", "action", "case"):
            if req not in raw:
                raise _err(doc, (*base, req), "missing required field", f"the step's {req}")
        kind = str(raw["action"])
        case = str(raw["case"])
        actor = str(raw["actor"])
        if not case or case != case.strip() or len(case) > 100 or not case.isprintable():
            raise _err(  # the case names the ledger stream '<procedure>/<case>'
                doc,
                (*base, "case"),
                f"bad case id {raw['case']!r}",
                "an id of 1-100 printable characters without leading or trailing spaces",
            )
        proc_kind = case_kind.get(case)
        if proc_kind is None:
            cls = starts.get(kind)
            if cls is None:
                all_kinds = sorted({k for c in PROCEDURES.values() for k in c.specs})
                if kind in all_kinds:
                    raise _err(
                        doc,
                        (*base, "action"),
                        f"'{kind}' needs an open case, and case '{case}' has not been opened",
                        "an opening action first: " + ", ".join(sorted(starts)),
                    )
                raise _err(
                    doc, (*base, "action"), f"unknown action '{kind}'", "one of: " + ", ".join(all_kinds)
                )
            proc_kind = cls.kind
            case_kind[case] = proc_kind
        proc_cls = PROCEDURES[proc_kind]
        spec = proc_cls.specs.get(kind)
        if spec is None:
            raise _err(
                doc,
                (*base, "action"),
                f"'{kind}' is not a step of {proc_cls.title} (case '{case}')",
                "one of: " + ", ".join(sorted(proc_cls.specs)),
            )
        if actor not in known_states and actor not in ROLE_ACTORS:
            raise _err(
                doc,
                (*base, "actor"),
                f"unknown actor '{actor}'",
                "an ISO3 state code from members.yaml or one of: " + ", ".join(sorted(ROLE_ACTORS)),
            )
        at = parse_time(raw.get("at", prev), tz) if "at" in raw else prev
        if at is None:
            raise _err(
                doc, (*base, "at"), f"malformed time {raw.get('at')!r}", "a date-time like 2022-01-06T02:00"
            )
        try:
            at.astimezone(dt.UTC) + dt.timedelta(days=3660)
        except OverflowError:
            raise _err(
                doc, (*base, "at"), f"time out of range ({at.isoformat()})", "a date-time before 9990"
            ) from None
        if at < prev:
            raise _err(
                doc,
                (*base, "at"),
                f"time runs backwards ({at.isoformat()} < {prev.isoformat()})",
                "steps in time order",
            )
        prev = at
        expect = str(raw.get("expect", "ok"))
        if expect not in ("ok", "refused"):
            raise _err(doc, (*base, "expect"), f"bad expect '{expect}'", "ok or refused")
        params = _check_params(
            doc, base, spec, {k: v for k, v in raw.items() if k not in RESERVED}, known_states
        )
        steps.append(
            Step(i + 1, doc.line_of(base), Action(kind, actor, at, case, params), expect, raw.get("note"))
        )
    return Script(
        file=str(path),
        title=str(data.get("title") or Path(path).stem),
        description=str(data.get("description") or ""),
        alliance=str(data.get("alliance") or "csto"),
        start=start,
        timezone=tz,
        config=dict(config),
        steps=steps,
    )


def _check_params(
    doc: YamlDoc, base: tuple[str | int, ...], spec: ActionSpec, given: dict[str, Any], states: set[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in given.items():
        p = spec.params.get(key)
        if p is None:
            allowed = ", ".join(sorted(spec.params)) or "none"
            raise _err(doc, (*base, key), f"'{spec.kind}' takes no parameter '{key}'", f"one of: {allowed}")
        out[key] = _coerce(doc, (*base, key), p, value, states)
    for key, p in spec.params.items():
        if p.required and key not in given:
            raise _err(
                doc, (*base, key), "missing required field", f"{p.type}{': ' + p.help if p.help else ''}"
            )
        if key not in out and p.default is not None:
            out[key] = p.default
    return out


def _coerce(doc: YamlDoc, path: tuple[str | int, ...], p: Param, v: Any, states: set[str]) -> Any:
    def bad(expected: str) -> ScriptError:
        return _err(doc, path, f"bad value {v!r}", expected)

    t = p.type
    if t in ("str", "state"):
        if isinstance(v, (dict, list)) or v is None:
            raise bad("text")
        s = str(v)
        if p.choices and s not in p.choices:
            raise bad("one of: " + ", ".join(p.choices))
        if t == "state" and s not in states:
            raise bad("an ISO3 state code from members.yaml")
        return s
    if t == "int":
        if isinstance(v, bool) or not isinstance(v, int):
            raise bad("a whole number")
        return v

    def finite(x: Any) -> bool:  # NaN, infinities and ints beyond a float have no place in an event
        try:
            return math.isfinite(x)
        except OverflowError:
            return False

    if t == "float":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not finite(v):
            raise bad("a finite number")
        return float(v)
    if t == "bool":
        if not isinstance(v, bool):
            raise bad("true or false")
        return v
    if t == "date":
        d = v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else None
        if d is None and isinstance(v, str):
            try:
                d = dt.date.fromisoformat(v)
            except ValueError:
                d = None
        if d is None:
            raise bad("a date YYYY-MM-DD")
        return d.isoformat()
    if t in ("list[str]", "states"):
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise bad("a list of text values")
        if t == "states":
            for x in v:
                if x not in states:
                    raise bad(f"ISO3 state codes ('{x}' is unknown)")
        return list(v)
    if t == "json":

        def plain(x: Any, depth: int = 0) -> bool:  # what an event's data may hold
            if x is None or isinstance(x, (bool, int, str)):
                return True
            if isinstance(x, float):
                return finite(x)
            if isinstance(x, list) and depth < 50:
                return all(plain(i, depth + 1) for i in x)
            if isinstance(x, dict) and depth < 50:
                return all(isinstance(k, str) and plain(i, depth + 1) for k, i in x.items())
            return False

        if not plain(v):
            raise bad("plain JSON: text, finite numbers, true/false, null, lists and mappings (quote dates)")
        return v
    if t in ("dict[str,int]", "dict[str,float]"):
        if not isinstance(v, dict):
            raise bad("a mapping such as {RUS: 1500}")
        out = {}
        for k, x in v.items():
            num_ok = isinstance(x, int) if t == "dict[str,int]" else isinstance(x, (int, float))
            if isinstance(x, bool) or not num_ok or not finite(x):
                raise _err(
                    doc,
                    (*path, k),
                    f"bad value {x!r}",
                    "a whole number" if t == "dict[str,int]" else "a number",
                )
            out[str(k)] = x
        return out
    return v
