"""Rules on military training (Training Agreement 2005): who sets quotas, on which terms, and places used.

The terms of training are defined here once (``QUOTA_TERMS`` for quotas a host sets, ``TRAINING_TERMS``
for what a sender may ask, paid places needing no quota); the ``TrainingQuota`` procedure reads them.
Nothing here mutates state.
"""

from __future__ import annotations

from csto.rules.core import ALLOWED, Situation, Verdict, rule
from csto.rules.membership import taking_part

#: Terms on which a host sets a quota for a sender.
QUOTA_TERMS = ("free", "preferential")
#: Terms on which a sender sends trainees: within a quota, or paid (no quota needed).
TRAINING_TERMS = (*QUOTA_TERMS, "paid")

ACTIVITY = "the joint training system"


@rule(
    "training-2005-quota",
    "training-2005",
    "whole",
    "Military personnel are trained under contracts: paid, or within quotas set by the host on preferential "
    "(host pays tuition, sender upkeep) or free (host pays both) terms.",
)
def training_places(
    sit: Situation, host: str, sender: str, terms: str, places: int, remaining: int | None
) -> Verdict:
    for state in (host, sender):
        v = taking_part(sit, state, "training-2005-quota", ACTIVITY)
        if not v.ok:
            return v
    if terms not in TRAINING_TERMS:
        return sit.refuse("training-2005-quota", f"unknown terms '{terms}' (free, preferential or paid)")
    if places <= 0:
        return sit.refuse("training-2005-quota", "the number of places must be positive")
    if terms != "paid":
        if remaining is None:
            return sit.refuse(
                "training-2005-quota",
                f"{host} has set no {terms} quota for {sender}; only paid places are open",
            )
        if places > remaining:
            return sit.refuse(
                "training-2005-quota",
                f"{sender} asks for {places} {terms} places but only {remaining} remain in {host}'s quota",
            )
    return ALLOWED


@rule(
    "training-2005-quota-setting",
    "training-2005",
    "whole",
    "A host member taking part sets free or preferential quotas for another member taking part (paid places "
    "need none); a quota is never set below the places already allocated against it.",
)
def quota_setting(sit: Situation, host: str, sender: str, terms: str, places: int, allocated: int) -> Verdict:
    for state in (host, sender):
        v = taking_part(sit, state, "training-2005-quota-setting", ACTIVITY)
        if not v.ok:
            return v
    if sender == host:
        return sit.refuse("training-2005-quota-setting", "a host does not set a quota for itself")
    if terms not in QUOTA_TERMS:
        return sit.refuse(
            "training-2005-quota-setting", f"quotas are free or preferential, not '{terms}' (paid needs none)"
        )
    if places < allocated:
        return sit.refuse(
            "training-2005-quota-setting",
            f"{allocated} {terms} places are already allocated; the quota cannot be {places}",
        )
    return ALLOWED
