"""The room's door check on raw input: a value no database column can hold is refused before any route runs.

``screen`` is an app-wide dependency. It reads a request's path parameters, query, JSON body or form, and it
refuses with a 422 naming the field (``RequestValidationError``) a text with a NUL or an unpaired surrogate
(PostgreSQL cannot store either), an integer outside a signed 64-bit column, or a number that is not finite.
It checks only what any column can hold. Each route's own model still checks the meaning of the values.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

#: The range of a signed 64-bit SQL integer (``BIGINT``), the widest column any value ends up in.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
#: How deep the check walks a JSON body (deeper documents are refused as a whole).
MAX_DEPTH = 64

Loc = tuple[str | int, ...]


def problem(value: object) -> tuple[str, str] | None:
    """Why ``value`` cannot be stored, as (message, error type), or None when it can."""
    if isinstance(value, str):
        if "\x00" in value:
            return "a NUL character (\\u0000) is not allowed", "string_nul"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "an unpaired surrogate is not valid text", "string_unicode"
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
        return f"an integer between {INT_MIN} and {INT_MAX} is expected", "int_out_of_range"
    if isinstance(value, float) and not math.isfinite(value):
        return "a finite number is expected", "float_not_finite"
    return None


def walk(value: Any, loc: Loc, depth: int = 0) -> Iterator[tuple[Loc, Any]]:
    """(location, value) of ``value`` and everything inside it: keys of objects count as values too."""
    yield loc, value
    if depth >= MAX_DEPTH:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield loc, k
            yield from walk(v, (*loc, str(k)), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, (*loc, i), depth + 1)


def check(items: Iterator[tuple[Loc, Any]]) -> None:
    """Raise a 422 (``RequestValidationError``) naming every location whose value cannot be stored."""
    errors = []
    for loc, value in items:
        found = problem(value)
        if found is not None:
            msg, kind = found
            errors.append({"loc": list(loc), "msg": msg, "type": kind, "input": None})
    if errors:
        raise RequestValidationError(errors)


def _params(request: Request) -> Iterator[tuple[Loc, Any]]:
    for name, value in request.path_params.items():
        yield ("path", name), value
    for name, value in request.query_params.multi_items():
        yield ("query", name), name
        yield ("query", name), value


async def _body(request: Request) -> Iterator[tuple[Loc, Any]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        raw = await request.body()
        try:
            doc = json.loads(raw) if raw else None
        except (ValueError, RecursionError):
            return iter(())  # the route's own parsing reports a body that is not JSON
        return walk(doc, ("body",))
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        return iter([(("body", k), v) for k, v in form.multi_items() if isinstance(v, str)])
    return iter(())


async def screen(request: Request) -> None:
    """The app-wide dependency: refuse (422) a request carrying a value that no column can hold."""
    check(_params(request))
    if request.method in ("POST", "PUT", "PATCH"):
        check(await _body(request))
