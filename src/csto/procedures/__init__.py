"""The organization's procedures as state machines over the rules, and the engine that runs them.

Every procedure offers ``legal_actions(actor)``, ``apply(action)`` (events, or a ``RefusedError``
citing the article), ``is_terminal`` and ``outcome``. Layer: procedures. It may import the model and
the rules; it never imports the ledger, the simulator, the web or the CLI.
"""

from __future__ import annotations

from csto.procedures.accession import Accession
from csto.procedures.arms import ArmsSupply
from csto.procedures.assistance import AssistanceRequest
from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.bases import BaseConsent
from csto.procedures.budget import BudgetAssessment
from csto.procedures.consultation import Consultation
from csto.procedures.council_case import _CaseWithDecision
from csto.procedures.deployment import Deployment
from csto.procedures.engine import PROCEDURES, Engine, all_action_kinds, register, starters
from csto.procedures.exercise import Exercise
from csto.procedures.floor import CONTROL, Floor
from csto.procedures.freeze import FrozenParticipation
from csto.procedures.intel import IntelReport
from csto.procedures.operation import StandingOperation
from csto.procedures.peacekeeping import PeacekeepingMandate
from csto.procedures.status_application import StatusApplication
from csto.procedures.suspension import Suspension
from csto.procedures.training import TrainingQuota
from csto.procedures.withdrawal import Withdrawal
from csto.procedures.world import World

__all__ = [
    "CONTROL",
    "PROCEDURES",
    "Accession",
    "Action",
    "ActionSpec",
    "ArmsSupply",
    "AssistanceRequest",
    "BaseConsent",
    "BudgetAssessment",
    "Consultation",
    "Deployment",
    "DomainEvent",
    "Engine",
    "Exercise",
    "Floor",
    "FrozenParticipation",
    "IntelReport",
    "Param",
    "PeacekeepingMandate",
    "Procedure",
    "StandingOperation",
    "StatusApplication",
    "Suspension",
    "TrainingQuota",
    "Withdrawal",
    "World",
    "_CaseWithDecision",
    "all_action_kinds",
    "register",
    "starters",
]
