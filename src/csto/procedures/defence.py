"""The defence procedures under one name: Consultation (CST Art. 2), AssistanceRequest (Art. 4),
PeacekeepingMandate, Deployment and their shared council case.

Each lives in its own module; this one only gathers them for callers that import them together. It
holds no logic and must not grow any.
"""

from __future__ import annotations

from csto.procedures.assistance import AssistanceRequest
from csto.procedures.consultation import Consultation
from csto.procedures.council_case import FORCE_LEVELS, _CaseWithDecision
from csto.procedures.deployment import Deployment
from csto.procedures.peacekeeping import PeacekeepingMandate

__all__ = [
    "FORCE_LEVELS",
    "AssistanceRequest",
    "Consultation",
    "Deployment",
    "PeacekeepingMandate",
    "_CaseWithDecision",
]
