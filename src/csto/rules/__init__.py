"""The provisions as checks: each rule returns ``Allowed`` or ``Refused`` with the article and a reason.

Rules read the provisions in force on the day of the action (their codes and parameters) from
``csto.model``; citations therefore follow the amendments (``CST Art. 4 (as amended 2010)``).
Layer: rules. It may import the model only; procedures call it, it never calls them.
"""

from __future__ import annotations

from csto.rules import bases, cooperation, decisions, defence, membership, training  # noqa: F401  (registers rules)
from csto.rules.core import (
    ALLOWED,
    RULES,
    Allowed,
    Refused,
    RefusedError,
    Rule,
    RulesConfig,
    Situation,
    Verdict,
    first_refusal,
    rule_table,
)

__all__ = [
    "ALLOWED",
    "RULES",
    "Allowed",
    "Refused",
    "RefusedError",
    "Rule",
    "RulesConfig",
    "Situation",
    "Verdict",
    "first_refusal",
    "rule_table",
]
