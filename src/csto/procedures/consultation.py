"""Consultation: joint consultations when a member's security is threatened (CST Art. 2).

Who may ask is judged by ``csto.rules.defence``; the council steps come from ``_CaseWithDecision``.
"""

from __future__ import annotations

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import council_specs
from csto.procedures.council_case import (
    CONCLUDE_SPEC,
    LEVEL_PARAMS,
    TASK_SPEC,
    WITHDRAW_SPEC,
    _CaseWithDecision,
)
from csto.rules.defence import (
    may_request_consultation,
)


class Consultation(_CaseWithDecision):
    """Joint consultations when a member's security is threatened (CST Art. 2)."""

    kind = "consultation"
    title = "Consultations"
    article = ("cst", "2")
    opening = "request_consultation"
    starts = frozenset({"request_consultation"})
    specs = {
        "request_consultation": ActionSpec(
            "request_consultation",
            "a member",
            "Ask the others to consult on a threat.",
            {"subject": Param("str", required=True), "threat": Param("str")},
        ),
        **council_specs(LEVEL_PARAMS),
        "withdraw_request": WITHDRAW_SPEC,
        "conclude": CONCLUDE_SPEC,
        "task_forces": TASK_SPEC,
    }

    def on_request_consultation(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(may_request_consultation(sit, action.actor))
        return [
            self.event(
                "ConsultationRequested",
                action,
                requester=action.actor,
                subject=action.get("subject"),
                threat=action.get("threat"),
                citation=sit.cite("cst", "2"),
            )
        ]

    def ev_ConsultationRequested(self, e: DomainEvent) -> None:
        self.request = {k: v for k, v in e.data.items() if k != "actor"}
        self.step = "requested"
