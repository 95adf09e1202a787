"""The organization's procedures as state machines over the rules, and the engine that runs them.

Every procedure offers ``legal_actions(actor)``, ``apply(action)`` (events, or a ``RefusedError``
citing the article), ``is_terminal`` and ``outcome``. Layer: procedures. It may import the model and
the rules; it never imports the ledger, the simulator, the web or the CLI.
"""

from __future__ import annotations

from csto.procedures import cooperation as _cooperation  # noqa: F401  (registers the cooperation procedures)
from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.engine import PROCEDURES, Engine, all_action_kinds, starters
from csto.procedures.world import World

__all__ = [
    "PROCEDURES",
    "Action",
    "ActionSpec",
    "DomainEvent",
    "Engine",
    "Param",
    "Procedure",
    "World",
    "all_action_kinds",
    "starters",
]
