"""StandingOperation: one standing regional operation (Channel, Illegal, Proxy) and its recorded stages.

Who takes part is judged by ``csto.rules.cooperation.operation_participation``; this module keeps the
stages and refuses a stage recorded twice or out of order. Only ``ev_*`` changes state.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.params import (
    as_numbers,
    param_day,
    param_str,
    param_strs,
)
from csto.rules import RefusedError
from csto.rules.cooperation import STANDING_OPERATIONS, operation_participation, operation_stage


class StandingOperation(Procedure):
    """A standing regional operation (Channel, Illegal, Proxy): one case per operation, stages recorded.

    Each stage names its participants (members taking part; third states and organisations attend as
    observers) and its results as numbers. There is no operation data file; the facts in the sources
    (e.g. UNODC observing Channel in 2024) are documentation only. The case never closes.
    """

    kind = "operation"
    title = "Standing regional operation"
    article = ("charter", "3")
    starts = frozenset({"record_stage"})
    specs = {
        "record_stage": ActionSpec(
            "record_stage",
            "'secretariat' or a member taking part",
            "Record one stage of the operation.",
            {
                "operation": Param("str", required=True, choices=STANDING_OPERATIONS),
                "stage": Param("str", required=True),
                "start": Param("date", required=True),
                "end": Param("date", required=True),
                "participants": Param("states", required=True),
                "observers": Param("list[str]", help="third states or organisations attending (not checked)"),
                "results": Param("dict[str,float]", help="e.g. {drugs_seized_t: 9}"),
            },
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.operation: str | None = None
        self.stages: list[dict[str, Any]] = []

    def allowed_now(self, kind: str, actor: str) -> str | None:
        return None if kind == "record_stage" else f"'{kind}' does not apply here"

    def on_record_stage(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        operation = param_str(action, "operation").lower()
        if self.operation is not None and operation != self.operation:
            raise RefusedError(
                self.refusal(
                    f"this case records the '{self.operation}' operation, not '{operation}': open a new case"
                )
            )
        if action.actor != "secretariat":
            self.check(operation_participation(sit, action.actor, operation))
        stage = param_str(action, "stage")
        if any(s["stage"] == stage for s in self.stages):
            raise RefusedError(self.refusal(f"stage '{stage}' has already been recorded"))
        start, end = param_day(action, "start"), param_day(action, "end")
        if end < start:
            raise RefusedError(self.refusal(f"the stage ends ({end}) before it starts ({start})"))
        participants = sorted(set(param_strs(action, "participants")))
        self.check(operation_stage(sit, operation, participants))
        return [
            self.event(
                "StageRecorded",
                action,
                operation=operation,
                stage=stage,
                start=start.isoformat(),
                end=end.isoformat(),
                participants=participants,
                observers=param_strs(action, "observers"),
                results=as_numbers(action.get("results"), "results"),
            )
        ]

    def ev_StageRecorded(self, e: DomainEvent) -> None:
        d = e.data
        self.operation = d["operation"]
        self.stages.append({k: v for k, v in d.items() if k not in ("actor", "operation")})
        self.step = "recorded"

    def totals(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for s in self.stages:
            for k, v in s["results"].items():
                out[k] = round(out.get(k, 0.0) + float(v), 6)
        return dict(sorted(out.items()))

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "operation": self.operation,
            "stages": [dict(s) for s in self.stages],
            "totals": self.totals(),
        }
