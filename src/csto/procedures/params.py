"""Reading action parameters for the procedures: text, numbers, flags, dates and lists, or a clear error.

A malformed parameter raises a ``ScriptError`` naming the field and what was expected; the rules
judge the values, this module only reads them. It holds no state and knows no treaty.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from csto.errors import ScriptError
from csto.procedures.base import Action


def missing(name: str, expected: str) -> ScriptError:
    return ScriptError(f"parameter '{name}' is missing or malformed", field=name, expected=expected)


def param_str(action: Action, name: str) -> str:
    value = action.get(name)
    if value is None or isinstance(value, list | tuple | dict | set) or str(value).strip() == "":
        raise missing(name, "a non-empty text")
    return str(value).strip()


def param_text(action: Action, name: str) -> str:
    """An optional free-text parameter, as text ('' when absent)."""
    value = action.get(name)
    return "" if value is None else str(value)


def param_int(action: Action, name: str) -> int:
    value = action.get(name)
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise missing(name, "a whole number")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise missing(name, "a whole number") from None


def as_number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise missing(name, "a number")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise missing(name, "a number") from None
    if not math.isfinite(out):
        raise missing(name, "a finite number")
    return out


def param_float(action: Action, name: str, default: float | None = None) -> float:
    value = action.get(name)
    if value is None and default is not None:
        return default
    return as_number(value, name)


def param_bool(action: Action, name: str, default: bool = False) -> bool:
    value = action.get(name, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise missing(name, "true or false")


def param_day(action: Action, name: str) -> dt.date:
    value = action.get(name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise missing(name, "a date YYYY-MM-DD") from None


def param_strs(action: Action, name: str) -> list[str]:
    value = action.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple | set | frozenset):
        raise missing(name, "a list of names")
    return [str(v) for v in value]


def as_numbers(value: Any, name: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise missing(name, "a mapping of names to numbers")
    return {str(k): as_number(v, name) for k, v in value.items()}
