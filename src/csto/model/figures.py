"""Figures by year: a ``Series`` of dated ``Quantity`` points (population, GDP, military spending, personnel).

A view of a day reads ``Series.at(day)``: the point of that day's year or the latest earlier one, never a later
one; with none, ``absent(day)`` says why. Points inherit the series' source and unit. Holds records only; it must
not read files, and derived numbers (spending in USD) live with the state that owns both series.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from pydantic import Field, model_validator

from csto.model.common import CONFIDENCE_ORDER, Frozen, Quantity, SourceKeys


class Series(Frozen):
    """One indicator of one state by year. ``source`` cites the series (each point may cite its own);
    ``gap`` says what the offline data lacks (years not available, a series not found)."""

    source: SourceKeys | None = None
    unit: str = "count"
    gap: str | None = None
    points: tuple[Quantity, ...] = Field(default=(), description="one figure per year, oldest first")

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if "value" in data:  # the older one-figure form: a single dated point (and what the series lacks)
            if "year" not in data:
                raise ValueError("a figure needs its year (year: YYYY)")
            point = {k: v for k, v in data.items() if k != "gap"}
            return {"points": [point], "unit": data.get("unit", "count"), "gap": data.get("gap")}
        points = data.get("points")
        if not isinstance(points, list):
            return data
        inherited = {k: data[k] for k in ("source", "unit") if k in data}
        return {**data, "points": [_inherit(p, inherited) for p in points]}

    @model_validator(mode="after")
    def _ordered(self) -> Series:
        if not self.points and not self.gap:
            raise ValueError("a series with no figure must say why in gap")
        for a, b in pairwise(self.points):
            if b.year <= a.year:
                raise ValueError(f"figures must be one per year, oldest first (year {b.year} after {a.year})")
        return self

    def at(self, day: dt.date) -> Quantity | None:
        """The figure of ``day``'s year or the latest earlier one; ``None`` if every figure is later."""
        best: Quantity | None = None
        for p in self.points:
            if p.year > day.year:
                break
            best = p
        return best

    def year_of(self, year: int) -> Quantity | None:
        """The figure of exactly ``year``, if the series has one."""
        return next((p for p in self.points if p.year == year), None)

    def latest(self) -> Quantity | None:
        return self.points[-1] if self.points else None

    def absent(self, day: dt.date) -> str:
        """Why there is no figure for ``day`` (call only when ``at(day)`` is ``None``)."""
        first = self.points[0].year if self.points else None
        why = f"the earliest figure is of {first}" if first else "no figure in the data"
        return f"no figure for {day.year} or earlier: {why}" + (f" ({self.gap})" if self.gap else "")


def _inherit(point: Any, inherited: dict[str, Any]) -> Any:
    if not isinstance(point, dict):
        return point
    return {**inherited, **point}


def figure_doc(q: Quantity | None, absent: str = "") -> dict[str, Any]:
    """A figure as plain data for ``--json``: value, year, unit, source and confidence (a figure whose data states
    none is undisputed: ``high``), or ``value: None`` with the reason it is absent."""
    if q is None:
        return {"value": None, "year": None, "confidence": None, "absent": absent or "no figure"}
    out: dict[str, Any] = {
        "value": q.value,
        "year": q.year,
        "unit": q.unit,
        "source": list(q.source),
        "confidence": q.confidence or "high",
    }
    if q.low is not None:
        out["low"] = q.low
    if q.high is not None:
        out["high"] = q.high
    if q.note and q.note.startswith("derived"):
        out["derived"] = q.note
    return out


def total_doc(values: list[Quantity | None]) -> dict[str, Any]:
    """The sum of the figures present, with the years they come from and how many members have none."""
    present = [q for q in values if q is not None]
    years = sorted({q.year for q in present})
    weakest = min((q.confidence or "high" for q in present), key=lambda c: CONFIDENCE_ORDER[c], default=None)
    return {
        "value": sum(q.value for q in present),
        "years": years,
        "missing": len(values) - len(present),
        "confidence": weakest,
    }


def span_text(total: dict[str, Any]) -> str:
    """A total's years and gaps for a table: ``2015–2018; 1 without``, ``2024`` or ``no figure``."""
    ys = total["years"]
    span = "no figure" if not ys else (str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}")
    return span + (f"; {total['missing']} without" if total["missing"] else "")


def same_year(series: list[Series], day: dt.date) -> list[Quantity | None]:
    """Each series' figure of one common year: the latest year up to ``day`` that every series has, so that a
    total never adds figures of different years. With no common year, each series' own figure of ``day``."""
    if series:
        common = set.intersection(*({p.year for p in s.points if p.year <= day.year} for s in series))
        if common:
            year = max(common)
            return [s.year_of(year) for s in series]
    return [s.at(day) for s in series]
