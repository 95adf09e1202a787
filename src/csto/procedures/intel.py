"""IntelReport: a member's intelligence report, its releases and every permitted reading.

Who may file, release and read is judged by the rules in ``csto.rules.cooperation`` (releasability,
parties only) on the statuses of the played world; ``read_verdict`` asks the same rule without reading, for
views such as the ledger browser. Only ``ev_*`` changes state.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.params import (
    param_str,
    param_strs,
)
from csto.rules import RefusedError, Verdict
from csto.rules.cooperation import CLASSIFICATIONS, may_read, participating, release_scope


class IntelReport(Procedure):
    """A report filed by a member, read only by those it is released to (Classified Information Agreement).

    Every permitted reading is recorded (an access record); a refused reading writes nothing. The
    originator may widen the release. The case never closes.
    """

    kind = "intel"
    title = "Intelligence report"
    article = ("classified-2004", "whole")
    starts = frozenset({"file_report"})
    specs = {
        "file_report": ActionSpec(
            "file_report",
            "the originating member",
            "File a report and say whom it is releasable to.",
            {
                "title": Param("str", required=True),
                "classification": Param("str", required=True, choices=CLASSIFICATIONS),
                "releasable_to": Param("states", help="the states that may read it"),
            },
        ),
        "read": ActionSpec(
            "read", "any state", "Read the report (recorded; refused unless it is released to you)."
        ),
        "release": ActionSpec(
            "release",
            "the originator",
            "Release the report to more states.",
            {"to": Param("states", required=True)},
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.originator: str | None = None
        self.title_: str | None = None
        self.classification: str | None = None
        self.releasable_to: list[str] = []
        self.access: list[dict[str, str]] = []

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "file_report":
            return None if self.step == "new" else "the report has already been filed"
        if self.step == "new":
            return "no report has been filed"
        if kind == "release" and actor != self.originator:
            return f"only the originator ({self.originator}) releases the report"
        return None

    def on_file_report(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(participating(sit, action.actor, "classified-2004-releasability", "intelligence sharing"))
        classification = param_str(action, "classification")
        to = sorted(set(param_strs(action, "releasable_to")) - {action.actor})
        self.check(release_scope(sit, action.actor, to, classification))
        return [
            self.event(
                "ReportFiled",
                action,
                originator=action.actor,
                title=param_str(action, "title"),
                classification=classification,
                releasable_to=to,
                citation=sit.cite(*self.article),
            )
        ]

    def read_verdict(self, reader: str, at: dt.datetime | None = None) -> Verdict:
        """Whether ``reader`` may read the report at ``at`` (default: the world's clock), under the
        releasability rule and the statuses of the played world; nothing is recorded."""
        if self.originator is None or self.classification is None:
            return self.refusal(f"no report has been filed in case '{self.case}'")
        sit = self.world.situation(at)
        return may_read(sit, reader, self.originator, self.releasable_to, self.classification)

    def on_read(self, action: Action) -> list[DomainEvent]:
        self.check(self.read_verdict(action.actor, action.at))
        return [self.event("ReportRead", action, reader=action.actor)]

    def on_release(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        assert self.classification is not None
        new = sorted(set(param_strs(action, "to")) - set(self.releasable_to) - {action.actor})
        if not new:
            raise RefusedError(self.refusal("the report is already releasable to every state named"))
        self.check(release_scope(sit, action.actor, new, self.classification))
        return [self.event("ReleaseExtended", action, to=new)]

    def ev_ReportFiled(self, e: DomainEvent) -> None:
        d = e.data
        self.originator, self.title_, self.classification = d["originator"], d["title"], d["classification"]
        self.releasable_to = list(d["releasable_to"])
        self.step = "filed"

    def ev_ReportRead(self, e: DomainEvent) -> None:
        self.access.append({"reader": e.data["reader"], "at": e.at.isoformat()})

    def ev_ReleaseExtended(self, e: DomainEvent) -> None:
        self.releasable_to = sorted(set(self.releasable_to) | set(e.data["to"]))

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "originator": self.originator,
            "title": self.title_,
            "classification": self.classification,
            "releasable_to": list(self.releasable_to),
            "access": [dict(a) for a in self.access],
        }
