"""States and their membership over time: dated status intervals with sources.

A ``State`` is any state that was ever a party (or an observer or partner). Its ``memberships``
are non-overlapping intervals ``[start, end)``; the status on a day is the interval containing it.
Holds records only; it must not read files.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Literal

from pydantic import Field, model_validator

from csto.model.common import CONFIDENCE_ORDER, ISO3, Confidence, Conflict, Frozen, Place, Quantity, Sourced
from csto.model.figures import Series

Status = Literal["signatory", "member", "frozen", "suspended", "withdrawn", "observer", "partner"]
#: Statuses that count a state among the members on a day (the rest are former or outside).
MEMBER_STATUSES: frozenset[str] = frozenset({"member", "frozen", "suspended"})
STATUSES: tuple[str, ...] = ("signatory", "member", "frozen", "suspended", "withdrawn", "observer", "partner")


class Membership(Sourced):
    """A status held during ``[start, end)``; ``end`` is None while it lasts."""

    status: Status
    start: dt.date
    end: dt.date | None = None
    basis: str = Field(description="the act or event that began this status")
    date_precision: Literal["day", "month", "year"] = "day"
    conflicts: tuple[Conflict, ...] = ()

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class State(Frozen):
    """A state with its capital, its figures by year (see ``csto.model.figures``) and membership history."""

    iso3: ISO3
    name: str
    capital: Place
    population: Series
    gdp_usd: Series
    military_personnel: Series
    military_spending: Series
    memberships: tuple[Membership, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _intervals(self) -> State:
        ms = self.memberships
        for a, b in pairwise(ms):
            if a.end is None or a.end > b.start:
                raise ValueError(
                    f"membership intervals of {self.iso3} overlap or are out of order at {b.start}"
                )
        for m in ms:
            if m.end is not None and m.end <= m.start:
                raise ValueError(f"membership of {self.iso3} from {m.start} ends before it starts")
        return self

    def membership_at(self, day: dt.date) -> Membership | None:
        for m in self.memberships:
            if m.covers(day):
                return m
        return None

    def status_at(self, day: dt.date) -> str | None:
        m = self.membership_at(day)
        return m.status if m else None

    def figure(self, name: str, day: dt.date) -> Quantity | None:
        """The figure ``name`` (one of ``FIGURES``) of ``day``'s year or the latest earlier one."""
        series: Series = getattr(self, name)
        return series.at(day)

    def spending_usd(self, day: dt.date) -> Quantity | None:
        """Military spending in USD on ``day``: the dollar figure, or the share of GDP times the GDP of the
        same year. A share is never multiplied by another year's GDP; then there is no figure."""
        s = self.military_spending.at(day)
        if s is None or s.unit not in ("usd", "pct_gdp"):
            return None
        if s.unit == "usd":
            return s
        gdp = self.gdp_usd.year_of(s.year)
        if gdp is None:
            return None
        # built from two validated figures: constructed, so that no validator is built for it (defer_build)
        return Quantity.model_construct(
            value=s.value / 100.0 * gdp.value,
            year=s.year,
            unit="usd",
            source=s.source + tuple(k for k in gdp.source if k not in s.source),
            confidence=_weaker(s.confidence, gdp.confidence),
            note=f"derived: {s.value:g}% of GDP times the GDP of {gdp.year}",
        )

    def spending_absent(self, day: dt.date) -> str:
        """Why ``spending_usd(day)`` is None."""
        s = self.military_spending.at(day)
        if s is None:
            return self.military_spending.absent(day)
        return f"the share of GDP is of {s.year} and there is no GDP figure of {s.year} to multiply it by"


#: The figures every state carries, in display order.
FIGURES: tuple[str, ...] = ("population", "gdp_usd", "military_personnel", "military_spending")


def _weaker(a: Confidence | None, b: Confidence | None) -> Confidence | None:
    if a is None or b is None:
        return a or b
    return a if CONFIDENCE_ORDER[a] <= CONFIDENCE_ORDER[b] else b


class ThirdState(Sourced):
    """A state that was never a party but appears in the data (a base host, an aggressor)."""

    iso3: ISO3
    name: str


class MembersFile(Frozen):
    """The shape of ``members.yaml``."""

    states: tuple[State, ...]
    third_states: tuple[ThirdState, ...] = ()
