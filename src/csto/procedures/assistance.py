"""AssistanceRequest: a member's request for collective assistance (CST Art. 4, or Art. 2 measures).

Who may request, what Art. 4 covers and whether Art. 2 measures exist that day are judged by
``csto.rules.defence``; the council steps and tasking come from ``_CaseWithDecision``.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param
from csto.procedures.council import council_specs
from csto.procedures.council_case import (
    CONCLUDE_SPEC,
    FORCE_LEVELS,
    LEVEL_PARAMS,
    TASK_SPEC,
    WITHDRAW_SPEC,
    _CaseWithDecision,
)
from csto.rules.defence import (
    CRISIS_KINDS,
    art4_scope,
    may_request_art2_assistance,
    may_request_assistance,
    out_of_area,
)


class AssistanceRequest(_CaseWithDecision):
    """A member's request for collective assistance (CST Art. 4, or Art. 2 assistance measures)."""

    kind = "assistance"
    title = "Request for collective assistance"
    article = ("cst", "4")
    opening = "request_assistance"
    starts = frozenset({"request_assistance"})
    specs = {
        "request_assistance": ActionSpec(
            "request_assistance",
            "the member asking for help",
            "Ask the organization for assistance against an attack or threat.",
            {
                "article": Param("str", choices=("art4", "art2"), default="art4"),
                "attacked": Param("state", help="the member attacked (default: the requester)"),
                "kind": Param("str", required=True, choices=CRISIS_KINDS),
                "aggressor": Param("str", help="who attacks: a state code or a description"),
                "aggressor_is_member": Param("bool", default=False),
                "recognised_territory": Param("bool", default=True),
                "framed_as_armed_attack": Param(
                    "bool", default=False, help="unrest presented as an armed attack"
                ),
                "region": Param("str"),
                "framing": Param("str", help="how the requester describes the threat"),
            },
        ),
        **council_specs(LEVEL_PARAMS),
        "task_forces": TASK_SPEC,
        "withdraw_request": WITHDRAW_SPEC,
        "conclude": CONCLUDE_SPEC,
    }

    def on_request_assistance(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        article = str(action.get("article", "art4"))
        attacked = str(action.get("attacked") or action.actor)
        kind = str(action.get("kind"))
        if article == "art4":
            self.check(may_request_assistance(sit, action.actor, attacked))
            self.check(
                art4_scope(
                    sit,
                    kind,
                    aggressor_is_member=bool(action.get("aggressor_is_member", False)),
                    recognised_territory=bool(action.get("recognised_territory", True)),
                    framed_as_armed_attack=bool(action.get("framed_as_armed_attack", False)),
                    attacked_is_member=sit.is_member(attacked),
                )
            )
            cite = sit.cite("cst", "4")
        else:
            self.check(may_request_art2_assistance(sit, action.actor))
            cite = sit.cite("cst", "2")
        return [
            self.event(
                "RequestLodged",
                action,
                requester=action.actor,
                attacked=attacked,
                article=article,
                citation=cite,
                kind=kind,
                aggressor=action.get("aggressor"),
                aggressor_is_member=bool(action.get("aggressor_is_member", False)),
                recognised_territory=bool(action.get("recognised_territory", True)),
                framed_as_armed_attack=bool(action.get("framed_as_armed_attack", False)),
                region=action.get("region"),
                framing=action.get("framing"),
            )
        ]

    def ev_RequestLodged(self, e: DomainEvent) -> None:
        self.request = {k: v for k, v in e.data.items() if k != "actor"}
        self.step = "requested"

    def validate_proposal(self, action: Action, proposal: dict[str, Any]) -> None:
        super().validate_proposal(action, proposal)
        sit = self.world.situation(action.at)
        if self.request.get("article") == "art4" and proposal.get("level") in FORCE_LEVELS:
            self.check(out_of_area(sit, str(self.request.get("attacked")), un_mandate=False))
