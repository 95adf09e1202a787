"""Explainable decision models of the member states: a stance on each rung of the ladder, an offered
contribution, and the reasons behind it (each a factor, its value, its weight and the weight's source).

Layer: policy. It may import the model only. It sees a crisis through ``CrisisFeatures`` — never an
episode's name — so it generalises to situations that are not in the data.
"""

from __future__ import annotations

from csto.policy.model import (
    CrisisFeatures,
    Draw,
    MemberVote,
    Reason,
    load_policy,
    member_vote,
    nominal_draw,
    sample_draws,
)
from csto.policy.params import FACTORS, LEVELS, PolicyParams

__all__ = [
    "FACTORS",
    "LEVELS",
    "CrisisFeatures",
    "Draw",
    "MemberVote",
    "PolicyParams",
    "Reason",
    "load_policy",
    "member_vote",
    "nominal_draw",
    "sample_draws",
]
