"""The sweepable parameters: their names, what each changes, the bounds a range must stay within, and how a
point of the sweep is applied to the model's parameters and the scenario.

The names live in ``PARAMETERS`` and nowhere else. This module checks and applies; it never samples a design,
runs a crisis or analyses results.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from csto.errors import InputError
from csto.game.scenario import Scenario
from csto.policy import FACTORS, PolicyParams


@dataclass(frozen=True)
class Parameter:
    """One sweepable parameter: its name, what it changes, and the bounds a range must stay within."""

    name: str
    description: str
    minimum: float | None = None  # inclusive
    maximum: float | None = None  # inclusive

    def allowed(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"within [{self.minimum:g}, {self.maximum:g}]"
        if self.minimum is not None:
            return f"≥ {self.minimum:g}"
        return "any number"


def _parameters() -> dict[str, Parameter]:
    out = {
        f"weight.{f}": Parameter(f"weight.{f}", f"the mean weight of the factor {f}", minimum=0.0)
        for f in FACTORS
    }
    for p in (
        Parameter("threshold.support", "score above which a member supports (must stay above object)"),
        Parameter("threshold.object", "score below which a member objects (must stay below support)"),
        Parameter("threshold.noise_sd", "per-member, per-trial noise on each score", minimum=0.0),
        Parameter("scenario.intensity", "the crisis' intensity", minimum=0.0, maximum=1.0),
        Parameter("timing.session_hours", "hours to convene the Council", minimum=0.0),
        Parameter("timing.decision_hours", "hours of deliberation", minimum=0.0),
        Parameter("timing.readiness_hours", "hours to make units ready", minimum=0.0),
    ):
        out[p.name] = p
    return out


PARAMETERS: dict[str, Parameter] = _parameters()


def valid_names() -> str:
    return ", ".join(PARAMETERS)


@dataclass(frozen=True)
class ParamRange:
    """A parameter swept from ``low`` to ``high`` (checked against the parameter's allowed bounds)."""

    name: str
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "low": self.low, "high": self.high}


def bad_param(message: str, expected: str) -> InputError:
    """An ``InputError`` on ``--param``."""
    return InputError(message, field="--param", expected=expected)


def check_range(r: ParamRange) -> ParamRange:
    """``r`` if its name is known and its bounds are ordered and allowed; else ``InputError`` naming the bound."""
    spec = PARAMETERS.get(r.name)
    if spec is None:
        raise bad_param(f"unknown parameter '{r.name}'", "one of: " + valid_names())
    text = f"{r.name}={r.low:g}:{r.high:g}"
    for which, v in (("lower", r.low), ("upper", r.high)):
        if not math.isfinite(v):
            raise bad_param(
                f"{text}: the {which} bound is not a finite number", "NAME=LOW:HIGH with finite numbers"
            )
    if r.low >= r.high:
        raise bad_param(
            f"{text}: the lower bound {r.low:g} must be below the upper bound {r.high:g}",
            "NAME=LOW:HIGH with LOW < HIGH",
        )
    if spec.minimum is not None and r.low < spec.minimum:
        raise bad_param(
            f"{text}: the lower bound {r.low:g} is below {spec.minimum:g}", f"{r.name} {spec.allowed()}"
        )
    if spec.maximum is not None and r.high > spec.maximum:
        raise bad_param(
            f"{text}: the upper bound {r.high:g} is above {spec.maximum:g}", f"{r.name} {spec.allowed()}"
        )
    return r


def parse_param(text: str) -> ParamRange:
    """``NAME=LOW:HIGH`` → a checked ``ParamRange``."""
    name, eq, rest = text.partition("=")
    name = name.strip()
    lo_s, colon, hi_s = rest.partition(":")
    if not eq or not colon or not name:
        if name and name not in PARAMETERS:
            raise bad_param(f"unknown parameter '{name}'", "one of: " + valid_names())
        raise bad_param(f"'{text}' is not NAME=LOW:HIGH", "NAME=LOW:HIGH, e.g. weight.lead_state=0:2")
    if name not in PARAMETERS:
        raise bad_param(f"unknown parameter '{name}'", "one of: " + valid_names())
    bounds: list[float] = []
    for which, s in (("lower", lo_s), ("upper", hi_s)):
        try:
            bounds.append(float(s))
        except ValueError:
            raise bad_param(
                f"'{text}': the {which} bound '{s.strip()}' is not a number", "NAME=LOW:HIGH, e.g. 0:2"
            ) from None
    return check_range(ParamRange(name, bounds[0], bounds[1]))


def apply_point(
    params: PolicyParams, scenario: Scenario, values: Mapping[str, float]
) -> tuple[PolicyParams, Scenario]:
    """The parameters and scenario at one point (unnamed values keep their nominal value)."""
    unknown = [n for n in values if n not in PARAMETERS]
    if unknown:
        raise bad_param(f"unknown parameter '{unknown[0]}'", "one of: " + valid_names())
    groups: dict[str, dict[str, float]] = {"weight": {}, "threshold": {}, "timing": {}, "scenario": {}}
    for name, v in values.items():
        head, _, attr = name.partition(".")
        groups[head][attr] = float(v)
    update: dict[str, Any] = {}
    if groups["weight"]:
        w = groups["weight"]
        update["weights"] = tuple(
            x.model_copy(update={"weight": w[x.factor]}) if x.factor in w else x for x in params.weights
        )
    if groups["threshold"]:
        update["thresholds"] = params.thresholds.model_copy(update=groups["threshold"])
    if groups["timing"]:
        update["timing"] = params.timing.model_copy(update=groups["timing"])
    if update:
        params = params.model_copy(update=update)
    if groups["scenario"]:
        scenario = scenario.model_copy(update=groups["scenario"])
    return params, scenario


def check_point(params: PolicyParams, values: Mapping[str, float], index: int) -> None:
    """The cross-parameter constraint, at one sample: the support threshold above the object threshold."""
    th = params.thresholds
    support = values.get("threshold.support", th.support)
    obj = values.get("threshold.object", th.object)
    if support > obj:
        return
    if "threshold.support" in values and "threshold.object" in values:
        bound = "the lower bound of threshold.support must lie above the upper bound of threshold.object"
    elif "threshold.support" in values:
        bound = (
            f"the lower bound of threshold.support is too low (must stay above threshold.object = {obj:g})"
        )
    else:
        bound = f"the upper bound of threshold.object is too high (must stay below threshold.support = {support:g})"
    raise bad_param(
        f"at sample point {index}, threshold.support = {support:g} is not above threshold.object = {obj:g}: {bound}",
        "ranges in which threshold.support > threshold.object at every sample",
    )
