"""Typed, frozen records of an alliance, and ``load(alliance, at=date)`` to see it on a day.

Layer: model. It may read the package data and user datasets; it must not import rules,
procedures, the ledger or anything above them.
"""

from __future__ import annotations

from csto.model.alliance import (
    Alliance,
    AllianceInfo,
    Dataset,
    MemberStatus,
    available_alliances,
    load,
    load_dataset,
    parse_date,
    view_at,
)
from csto.model.bodies import Body, DecisionRule, Officer
from csto.model.common import Conflict, Quantity, Source, Sourced
from csto.model.episodes import RESPONSE_LADDER, Correction, Episode, response_rank
from csto.model.forces import Airfield, Base, Contribution, Force
from csto.model.states import MEMBER_STATUSES, STATUSES, Membership, State
from csto.model.treaty import Article, ArticleVersion, AtopCoding, Instrument, Provision

__all__ = [
    "MEMBER_STATUSES",
    "RESPONSE_LADDER",
    "STATUSES",
    "Airfield",
    "Alliance",
    "AllianceInfo",
    "Article",
    "ArticleVersion",
    "AtopCoding",
    "Base",
    "Body",
    "Conflict",
    "Contribution",
    "Correction",
    "Dataset",
    "DecisionRule",
    "Episode",
    "Force",
    "Instrument",
    "MemberStatus",
    "Membership",
    "Officer",
    "Provision",
    "Quantity",
    "Source",
    "Sourced",
    "State",
    "available_alliances",
    "load",
    "load_dataset",
    "parse_date",
    "response_rank",
    "view_at",
]
