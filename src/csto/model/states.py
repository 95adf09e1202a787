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

from csto.model.common import ISO3, Conflict, Frozen, Place, Quantity, Sourced

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
    """A state with its capital, economy, military and membership history."""

    iso3: ISO3
    name: str
    capital: Place
    population: Quantity
    gdp_usd: Quantity
    military_personnel: Quantity
    military_spending: Quantity
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

    def spending_usd(self) -> float | None:
        """Military spending in USD, derived from %GDP where the source gives a share."""
        s = self.military_spending
        if s.unit == "usd":
            return s.value
        if s.unit == "pct_gdp":
            return s.value / 100.0 * self.gdp_usd.value
        return None


class ThirdState(Sourced):
    """A state that was never a party but appears in the data (a base host, an aggressor)."""

    iso3: ISO3
    name: str


class MembersFile(Frozen):
    """The shape of ``members.yaml``."""

    states: tuple[State, ...]
    third_states: tuple[ThirdState, ...] = ()
