"""Verdicts, the rule registry, the configuration of uncertain rules, and the situation rules see.

A ``Rule`` names the instrument and article it enforces; ``Situation.refuse`` builds the citation
from the version in force on the day (so a refusal in 2011 cites ``CST Art. 4`` and one in 2013
``CST Art. 4 (as amended 2010)``). Nothing here mutates state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from csto.model import Alliance

MEMBER_LIKE = frozenset({"member", "frozen", "suspended"})


@dataclass(frozen=True)
class Allowed:
    """The action is allowed."""

    ok: Literal[True] = True


ALLOWED = Allowed()


@dataclass(frozen=True)
class Refused:
    """The action is refused: the article that forbids it, why, and which rule said so."""

    article: str
    reason: str
    rule: str
    uncertain: bool = False
    ok: Literal[False] = False

    def __str__(self) -> str:
        flag = " [rule marked uncertain]" if self.uncertain else ""
        return f"refused under {self.article}: {self.reason}{flag}"


Verdict = Allowed | Refused


class RefusedError(Exception):
    """A refusal raised at the edges (procedures' ``apply``); carries the ``Refused`` value."""

    def __init__(self, refused: Refused) -> None:
        super().__init__(str(refused))
        self.refused = refused


@dataclass(frozen=True)
class RulesConfig:
    """Settings for rules whose legal text is uncertain. Each default cites its source in ``UNCERTAIN``."""

    withdrawal_notice_months: int = 6
    unilateral_withdrawal_allowed: bool = True
    absent_counts_as_stand_aside: bool = True
    quorum_fraction: float = 0.5
    frozen_members_consent_to_bases: bool = True
    settle_arrears_before_withdrawal: bool = True

    def with_(self, **changes: Any) -> RulesConfig:
        from dataclasses import replace

        return replace(self, **changes)


#: Which config settings stand for uncertain law, and what the uncertainty is.
UNCERTAIN: dict[str, str] = {
    "withdrawal_notice_months": "Charter Art. 19: six months' notice, as the Russian foreign ministry cited it in "
    "2024 (the Charter's own text not read that far); for CST Art. 11 the period is unverified.",
    "unilateral_withdrawal_allowed": "TASS (2012-12-19) wrote that the Charter provides no unilateral withdrawal; "
    "the 2004 regulations on secession suggest it does. Default: allowed with notice.",
    "absent_counts_as_stand_aside": "Practice at the 2023-11-23 Minsk summit: decisions taken without Armenia "
    "were declared legitimate; the legal clause was not located.",
    "quorum_fraction": "No quorum figure was found in the sources; a majority of those entitled to take part "
    "is assumed.",
    "frozen_members_consent_to_bases": "The 2011 decision requires every member's consent; whether a member that "
    "froze its participation must still consent is not addressed by any source.",
    "settle_arrears_before_withdrawal": "Charter Art. 19 as the Russian foreign ministry cited it in 2024: a member "
    "withdraws after settling its obligations.",
}


@dataclass(frozen=True)
class Situation:
    """What a rule may look at: the alliance on the day, current statuses and other memberships."""

    alliance: Alliance
    at: dt.datetime
    statuses: Mapping[str, str]
    other_alliances: Mapping[str, frozenset[str]] = field(default_factory=dict)
    config: RulesConfig = field(default_factory=RulesConfig)

    @property
    def day(self) -> dt.date:
        return self.at.date()

    def status(self, iso3: str) -> str | None:
        return self.statuses.get(iso3)

    def is_member(self, iso3: str) -> bool:
        """A party with member rights or obligations today (member, frozen or suspended)."""
        return self.statuses.get(iso3) in MEMBER_LIKE

    def members(self) -> list[str]:
        return sorted(k for k, v in self.statuses.items() if v in MEMBER_LIKE)

    def voters(self) -> list[str]:
        """Members entitled to take part in decisions (not suspended, not frozen)."""
        return sorted(k for k, v in self.statuses.items() if v == "member")

    def _equivalent(self, instrument: str, number: str, anchor: str | None = None) -> Any:
        """For another alliance's dataset: the provision in force that carries the same anchor code (``anchor``
        where one article holds several provisions, e.g. Charter Art. 19's admission and withdrawal)."""
        anchor = anchor or ANCHORS.get((instrument, number))
        if anchor is None:
            return None
        for p in self.alliance.provisions:
            if anchor in p.version.codes:
                return p
        return None

    def _native(self, instrument: str) -> bool:
        return self.alliance.dataset.instrument(instrument) is not None

    def has_code(self, instrument: str, number: str, code: str) -> bool:
        p = (
            self.alliance.provision(instrument, number)
            if self._native(instrument)
            else self._equivalent(instrument, number)
        )
        return p is not None and code in p.version.codes

    def top_council(self) -> str:
        """The alliance's highest decision body (the first council in its data)."""
        for b in self.alliance.bodies:
            if b.kind == "council":
                return b.id
        return "csc"

    def param(self, instrument: str, number: str, name: str, default: Any = None) -> Any:
        p = self.alliance.provision(instrument, number)
        if p is None:
            return default
        return p.version.params.get(name, default)

    def cite(self, instrument: str, number: str, anchor: str | None = None) -> str:
        """The article as it stands that day; for another alliance, its provision with the same anchor code,
        or else its top council's decision rule (the rules name the CSTO's articles)."""
        if self._native(instrument):
            return self.alliance.cite(instrument, number)
        p = self._equivalent(instrument, number, anchor)
        if p is not None:
            return str(p.citation)
        body = self.alliance.body(self.top_council())
        if body is not None:
            return f"{body.short} decision rule ({body.decision_rule.rule})"
        return f"{self.alliance.name} practice"

    def refuse(self, rule_id: str, reason: str) -> Refused:
        r = RULES[rule_id]
        return Refused(
            article=self.cite(r.instrument, r.article, r.anchor),
            reason=reason,
            rule=rule_id,
            uncertain=r.uncertain,
        )


@dataclass(frozen=True)
class Rule:
    """A provision as a check."""

    id: str
    instrument: str
    article: str
    summary: str
    check: Callable[..., Any]
    uncertain: bool = False
    basis: str = ""
    anchor: str | None = None


RULES: dict[str, Rule] = {}

#: The code that marks, in any alliance's treaty, the provision a CSTO article stands for: so the same rules
#: cite NATO's Art. 5 where they cite the CSTO's Art. 4. Articles with no equivalent fall back to the top
#: council's decision rule.
ANCHORS: dict[tuple[str, str], str] = {
    ("cst", "1"): "peaceful_settlement",
    ("cst", "2"): "consultation",
    ("cst", "4"): "collective_defence",
    ("cst", "6"): "collective_defence",
    ("cst", "11"): "withdrawal_right",
    ("charter", "19"): "open_to_accession",
}

F = TypeVar("F", bound=Callable[..., Any])


def rule(
    rule_id: str,
    instrument: str,
    article: str,
    summary: str,
    *,
    uncertain: bool = False,
    basis: str = "",
    anchor: str | None = None,
) -> Callable[[F], F]:
    """Register ``fn`` as the check for ``rule_id``; ``anchor`` overrides the article's code in ``ANCHORS``."""

    def deco(fn: F) -> F:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, instrument, article, summary, fn, uncertain, basis, anchor)
        return fn

    return deco


def first_refusal(verdicts: Iterable[Verdict]) -> Refused | None:
    """The first refusal among ``verdicts`` (checked lazily, in order), or None."""
    for v in verdicts:
        if isinstance(v, Refused):
            return v
    return None


def rule_table() -> list[dict[str, Any]]:
    """Every rule with its article, for ``csto treaty --rules``."""
    return [
        {
            "rule": r.id,
            "instrument": r.instrument,
            "article": r.article,
            "summary": r.summary,
            "uncertain": r.uncertain,
            "basis": r.basis,
        }
        for r in sorted(RULES.values(), key=lambda r: (r.instrument, _artkey(r.article), r.id))
    ]


def _artkey(a: str) -> tuple[int, str]:
    digits = "".join(ch for ch in a if ch.isdigit())
    return (int(digits) if digits else 0, a)
