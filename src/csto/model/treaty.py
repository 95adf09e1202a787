"""The legal instruments: the Collective Security Treaty, the Charter, their amendments and articles.

Each article has dated versions; a version holds a summary in our words, machine-readable codes
and parameters, and its source. Alliance-level codes use ATOP's vocabulary so that alliances can
be compared. This module holds records only; the rules engine reads them, never the reverse.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any, Literal

from pydantic import Field, model_validator

from csto.model.common import Confidence, Conflict, Frozen, Slug, Sourced


class Signature(Sourced):
    """Where and when an instrument was signed."""

    date: dt.date
    place: str
    conflicts: tuple[Conflict, ...] = ()


class Amendment(Sourced):
    """A protocol that changed an instrument, with the articles it touched."""

    id: Slug
    title: str
    signed: dt.date
    in_force: dt.date | None = None
    place: str | None = None
    articles: tuple[str, ...] = ()
    summary: str


class ArticleVersion(Sourced):
    """An article's content during ``[start, end)``; ``end`` is None while it is in force."""

    start: dt.date = Field(alias="from")
    end: dt.date | None = Field(default=None, alias="to")
    amended_by: Slug | None = None
    summary: str
    codes: tuple[Slug, ...] = ()
    params: dict[str, Any] = Field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()

    def in_force_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class Article(Frozen):
    """One article of an instrument, with its versions over time."""

    number: str
    title: str
    versions: tuple[ArticleVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Article:
        for a, b in pairwise(self.versions):
            if a.end is None or a.end > b.start:
                raise ValueError(
                    f"versions of article {self.number} overlap: one from {a.start} runs past {b.start}"
                )
        return self

    def version_at(self, day: dt.date) -> ArticleVersion | None:
        for v in self.versions:
            if v.in_force_on(day):
                return v
        return None


class Instrument(Sourced):
    """A treaty or charter: signature, entry into force, amendments and articles."""

    id: Slug
    title: str
    short: str = Field(description="short label used in citations, e.g. 'CST' or 'Charter'")
    kind: Literal["treaty", "charter", "protocol", "agreement", "regulation", "decision"]
    signed: Signature
    in_force: dt.date
    in_force_placeholder: bool = Field(
        default=False,
        description="in_force stands in (e.g. the signing date) because the real date was not found",
    )
    in_force_confidence: Confidence | None = None
    amendments: tuple[Amendment, ...] = ()
    articles: tuple[Article, ...] = ()

    @model_validator(mode="after")
    def _placeholder_is_not_sure(self) -> Instrument:
        if self.in_force_placeholder and self.in_force_confidence not in ("low", "unverified"):
            raise ValueError(
                "in_force_confidence must be low or unverified when in_force is a placeholder "
                f"(got {self.in_force_confidence or 'none'})"
            )
        return self

    def article(self, number: str) -> Article | None:
        for a in self.articles:
            if a.number == number:
                return a
        return None

    def amendment(self, amendment_id: str) -> Amendment | None:
        for am in self.amendments:
            if am.id == amendment_id:
                return am
        return None

    def citation(self, number: str, version: ArticleVersion | None = None) -> str:
        """A citation such as ``CST Art. 4 (as amended 2010)``; article 'whole' cites the instrument."""
        label = self.short if number == "whole" else f"{self.short} Art. {number}"
        if version is not None and version.amended_by:
            am = self.amendment(version.amended_by)
            if am is not None:
                label += f" (as amended {am.signed.year})"
        return label


class AtopCode(Sourced):
    """One alliance-level variable in ATOP's vocabulary, with who coded it and on what basis."""

    variable: Slug
    value: int | float | str
    basis: str = Field(description="the article(s) or record that justify the value")
    coded_by: Literal["atop", "csto"] = Field(
        description="'atop' where the ATOP dataset gives this value; 'csto' where this project coded it"
    )
    meaning: str | None = None


class AtopCoding(Sourced):
    """The alliance coded in ATOP's vocabulary."""

    atop_id: int | None = None
    codes: tuple[AtopCode, ...]

    def value(self, variable: str) -> int | float | str | None:
        for c in self.codes:
            if c.variable == variable:
                return c.value
        return None


class Provision(Frozen):
    """An article version in force on a given day, with its citation (a view built by ``load``)."""

    instrument: str
    number: str
    title: str
    citation: str
    version: ArticleVersion


class TreatyFile(Frozen):
    """The shape of ``treaty.yaml``."""

    instruments: tuple[Instrument, ...]
    atop: AtopCoding
