"""Compliance: a party joining another military alliance, or acting against another party (CST Art. 1).

Such acts are sovereign acts and are recorded, but each is flagged as a breach of Art. 1 with the
article cited, so analysts and the exercise record can see them.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.rules.membership import no_action_against_party, no_other_alliances


class Compliance(Procedure):
    """An open record of Art. 1 matters for one case (never terminal)."""

    kind = "compliance"
    title = "Compliance with CST Art. 1"
    article = ("cst", "1")
    starts = frozenset({"join_alliance", "report_hostile_act", "leave_alliance"})
    specs = {
        "join_alliance": ActionSpec(
            "join_alliance",
            "any state",
            "A state joins another alliance or grouping.",
            {"alliance": Param("str", required=True), "military": Param("bool", default=True)},
        ),
        "leave_alliance": ActionSpec(
            "leave_alliance",
            "any state",
            "A state leaves another alliance.",
            {"alliance": Param("str", required=True)},
        ),
        "report_hostile_act": ActionSpec(
            "report_hostile_act",
            "the member affected",
            "Report a use or threat of force, or another act, by one party against another.",
            {"by": Param("state", required=True), "description": Param("str", required=True)},
        ),
    }

    def allowed_now(self, kind: str, actor: str) -> str | None:
        return None

    def on_join_alliance(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        alliance = str(action.get("alliance"))
        events = [self.event("AllianceJoined", action, state=action.actor, alliance=alliance)]
        if sit.is_member(action.actor) and bool(action.get("military", True)):
            v = no_other_alliances(sit, action.actor, [alliance])
            if not v.ok:
                events.append(
                    self.event(
                        "BreachFlagged", action, state=action.actor, article=v.article, reason=v.reason
                    )
                )
        return events

    def on_leave_alliance(self, action: Action) -> list[DomainEvent]:
        return [self.event("AllianceLeft", action, state=action.actor, alliance=action.get("alliance"))]

    def on_report_hostile_act(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        by = str(action.get("by"))
        events = [
            self.event(
                "HostileActReported",
                action,
                victim=action.actor,
                by=by,
                description=action.get("description"),
            )
        ]
        v = no_action_against_party(sit, by, action.actor)
        if not v.ok:
            events.append(self.event("BreachFlagged", action, state=by, article=v.article, reason=v.reason))
        return events

    def snapshot(self) -> dict[str, Any]:
        return super().snapshot()
