"""PeacekeepingMandate: a collective peacekeeping operation at a member's request or under a UN mandate.

The mandate (2007 agreement) is judged by ``csto.rules.defence``; the council steps and tasking come
from ``_CaseWithDecision``.
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
    peacekeeping_mandate,
)


class PeacekeepingMandate(_CaseWithDecision):
    """A peacekeeping operation at a member's request or under a UN mandate (2007 agreement)."""

    kind = "peacekeeping"
    title = "Peacekeeping mandate"
    article = ("peacekeeping-agreement-2007", "3")
    opening = "request_peacekeeping"
    starts = frozenset({"request_peacekeeping"})
    specs = {
        "request_peacekeeping": ActionSpec(
            "request_peacekeeping",
            "the host member (or any member, with a UN mandate)",
            "Ask for a collective peacekeeping operation.",
            {
                "host": Param("state", help="where (default: the requester)"),
                "un_mandate": Param("bool", default=False),
                "tasks": Param("str"),
            },
        ),
        **council_specs(LEVEL_PARAMS),
        "task_forces": TASK_SPEC,
        "withdraw_request": WITHDRAW_SPEC,
        "conclude": CONCLUDE_SPEC,
    }

    def on_request_peacekeeping(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        host = str(action.get("host") or action.actor)
        un = bool(action.get("un_mandate", False))
        self.check(peacekeeping_mandate(sit, host, action.actor, un))
        return [
            self.event(
                "PeacekeepingRequested",
                action,
                requester=action.actor,
                host=host,
                un_mandate=un,
                tasks=action.get("tasks"),
                citation=sit.cite("peacekeeping-agreement-2007", "3"),
            )
        ]

    def ev_PeacekeepingRequested(self, e: DomainEvent) -> None:
        self.request = {k: v for k, v in e.data.items() if k != "actor"}
        self.step = "requested"
