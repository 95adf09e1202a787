"""Building blocks shared by every record: the frozen base, sources, confidence and quantities.

Every fact in the data carries ``source`` (one or more keys into ``sources.yaml``) and, where
it is disputed, ``confidence``. This module defines those shapes; it must not read files.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Confidence = Literal["high", "medium", "low", "unverified"]
CONFIDENCE_ORDER: dict[str, int] = {"high": 3, "medium": 2, "low": 1, "unverified": 0}

ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="a lower-case identifier")]

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _as_tuple(value: Any) -> Any:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(value)
    return value


SourceKeys = Annotated[tuple[str, ...], BeforeValidator(_as_tuple), Field(min_length=1)]


class Frozen(BaseModel):
    """Base of every record: immutable, and unknown fields are errors (they are usually typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class Sourced(Frozen):
    """A fact with its source keys, an optional confidence and an optional note."""

    source: SourceKeys
    confidence: Confidence | None = None
    note: str | None = None


class Justified(Frozen):
    """A record whose numbers rest on sources, or on an assumption stated in ``rationale`` (model parameters,
    planning figures): ``source`` or ``assumed: true``, and an assumption always says why."""

    rationale: str = ""
    source: SourceKeys | None = None
    assumed: bool = False
    confidence: Confidence | None = None

    @model_validator(mode="after")
    def _justified(self) -> Justified:
        if self.source is None and not self.assumed:
            raise ValueError(
                "give a source, or set assumed: true and explain the assumption in the rationale"
            )
        if self.assumed and not self.rationale.strip():
            raise ValueError("an assumption needs a rationale")
        return self


#: The CLI's marks for uncertain values, and the legend printed under a table that uses them.
MARK_LOW = "~"
MARK_UNVERIFIED = "?"
MARK_LEGEND = "~ low confidence · ? unverified or assumed"
#: The web's class for an uncertain value (a dotted underline, see app.css).
UNCERTAIN_CLASS = "uncertain"


def mark(confidence: str | None, *, assumed: bool = False) -> str:
    """The mark of a value's confidence: ``?`` if assumed or unverified, ``~`` if low, else ``""``.

    The one place that decides which values are flagged; the CLI appends it, the web maps it to a class."""
    if assumed or confidence == "unverified":
        return MARK_UNVERIFIED
    if confidence == "low":
        return MARK_LOW
    return ""


def marked(text: str, confidence: str | None, *, assumed: bool = False) -> str:
    """``text`` followed by its mark (``"12,000 ~"``); unchanged for a sure value."""
    m = mark(confidence, assumed=assumed)
    return f"{text} {m}" if m else text


def uncertain_class(confidence: str | None, *, assumed: bool = False) -> str:
    """The web's CSS class for the value: ``"uncertain"`` (dotted underline) when it carries a mark."""
    return UNCERTAIN_CLASS if mark(confidence, assumed=assumed) else ""


class Conflict(Frozen):
    """A figure or claim that disagrees with the chosen value, and where it comes from."""

    value: str
    source: SourceKeys
    note: str | None = None


class Quantity(Sourced):
    """A number with the year it refers to; ``low``/``high`` give a range where sources differ."""

    value: float
    year: int = Field(ge=1900, le=2100)
    unit: str = "count"
    low: float | None = None
    high: float | None = None
    as_text: str | None = None
    conflicts: tuple[Conflict, ...] = ()

    def display(self) -> str:
        """A short human rendering such as ``45,000 (40,000-50,000; 2025)``."""
        if self.unit == "pct_gdp":
            core = f"{self.value:g}% of GDP"
        elif self.unit == "usd":
            core = _money(self.value)
        else:
            core = f"{self.value:,.0f}"
        if self.low is not None and self.high is not None and self.unit == "count":
            core += f" ({self.low:,.0f}-{self.high:,.0f})"
        return f"{core} ({self.year})"


def _money(v: float) -> str:
    if v >= 1e12:
        return f"${v / 1e12:.2f} trn"
    if v >= 1e9:
        return f"${v / 1e9:.1f} bn"
    if v >= 1e6:
        return f"${v / 1e6:.0f} m"
    return f"${v:,.0f}"


class Source(Frozen):
    """An entry of ``sources.yaml``: what the source is and where to find it."""

    key: str
    title: str
    url: str | None = None
    publisher: str
    date: str = Field(description="publication or snapshot date: YYYY, YYYY-MM, YYYY-MM-DD or 'undated'")
    accessed: str | None = None
    note: str | None = None
    kind: Literal["primary", "official", "news", "reference", "dataset", "analysis", "derived"] = "news"

    @field_validator("date", "accessed", mode="before")
    @classmethod
    def _date_text(cls, v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str) and v != "undated" and not _PARTIAL_DATE.match(v):
            raise ValueError(f"'{v}' is not a date like 2012-12-19, 2012-12 or 2012 (or 'undated')")
        return v


class DatedEvent(Sourced):
    """One dated line of a timeline."""

    date: dt.date
    event: str
    time: str | None = Field(default=None, description="local time HH:MM where known")
    date_precision: Literal["day", "month", "year"] = "day"


class Place(Frozen):
    """A named place with optional coordinates (WGS84 degrees)."""

    name: str
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    source: SourceKeys | None = None
    confidence: Confidence | None = None
