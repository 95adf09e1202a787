"""Withdrawal: a member leaves by notice (Charter Art. 19) or by not renewing at a term's end (CST Art. 11).

The notice period, the treaty's terms and settling arrears are judged by ``csto.rules.membership``;
this module keeps the order of the steps and the day the withdrawal takes effect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.rules import RefusedError
from csto.rules.membership import (
    non_renewal,
    withdrawal_notice,
    withdrawal_obligations,
)


def _parse_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class Withdrawal(Procedure):
    """A member leaves: by notice (Charter Art. 19) or by not renewing at a term's end (CST Art. 11)."""

    kind = "withdrawal"
    title = "Withdrawal"
    article = ("charter", "19")
    starts = frozenset({"notify_withdrawal"})
    specs = {
        "notify_withdrawal": ActionSpec(
            "notify_withdrawal",
            "the member leaving",
            "Give written notice of withdrawal (or of not renewing the treaty).",
            {
                "mode": Param("str", choices=("notice", "non_renewal"), default="notice"),
                "effective": Param("date", required=True, help="the day the withdrawal takes effect"),
                "reason": Param("str"),
            },
        ),
        "revoke": ActionSpec("revoke", "the member", "Revoke the notice before it takes effect."),
        "take_effect": ActionSpec(
            "take_effect", "'secretariat' (the depositary)", "Record that the withdrawal took effect."
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.state: str | None = None
        self.effective: dt.date | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"withdrawn", "revoked"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "notify_withdrawal":
            return None if self.step == "new" else "notice has already been given"
        if self.step != "notified":
            return "no withdrawal notice is pending"
        if kind == "revoke" and actor != self.state:
            return f"only {self.state} may revoke its notice"
        if kind == "take_effect" and actor != "secretariat":
            return "the depositary (the Secretariat) records the withdrawal"
        return None

    def on_notify_withdrawal(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        effective = _parse_day(action.get("effective"))
        mode = str(action.get("mode", "notice"))
        if mode == "non_renewal":
            self.check(non_renewal(sit, action.actor, effective))
            cite = sit.cite("cst", "11")
        else:
            self.check(withdrawal_notice(sit, action.actor, action.at.date(), effective))
            self.check(withdrawal_obligations(sit, action.actor, self.world.arrears(action.actor)))
            cite = sit.cite("charter", "19", "withdrawal_right")
        return [
            self.event(
                "WithdrawalNotified",
                action,
                state=action.actor,
                mode=mode,
                effective=effective.isoformat(),
                reason=action.get("reason") or "",
                citation=cite,
                notice_months=sit.config.withdrawal_notice_months,
            )
        ]

    def on_revoke(self, action: Action) -> list[DomainEvent]:
        return [self.event("WithdrawalRevoked", action, state=self.state)]

    def on_take_effect(self, action: Action) -> list[DomainEvent]:
        assert self.effective is not None and self.state is not None
        if action.at.date() < self.effective:
            raise RefusedError(self.refusal(f"the withdrawal takes effect on {self.effective.isoformat()}"))
        sit = self.world.situation(action.at)
        self.check(withdrawal_obligations(sit, self.state, self.world.arrears(self.state)))
        return [self.event("StatusChanged", action, state=self.state, status="withdrawn", basis="withdrawal")]

    def ev_WithdrawalNotified(self, e: DomainEvent) -> None:
        self.state = e.data["state"]
        self.effective = dt.date.fromisoformat(e.data["effective"])
        self.step = "notified"

    def ev_WithdrawalRevoked(self, e: DomainEvent) -> None:
        self.step = "revoked"

    def ev_StatusChanged(self, e: DomainEvent) -> None:
        self.step = "withdrawn"
