"""Cooperation procedures: exercises, arms supply, training quotas, the budget, intelligence, standing operations.

Each is a ``Procedure`` over one case, registered with the engine; handlers check the rules in
``csto.rules.cooperation`` and return events, and only the ``ev_*`` handlers change state, so a replay
of the events rebuilds every case exactly. Nothing here touches the ledger, the simulator or the web.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from csto.errors import ScriptError
from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.council import Ballot, CouncilSteps, council_specs
from csto.procedures.engine import register
from csto.rules import RefusedError
from csto.rules.cooperation import (
    CLASSIFICATIONS,
    CSTO_EXERCISE_SERIES,
    STANDING_OPERATIONS,
    budget_payment,
    budget_scale,
    exercise_participation,
    exercise_series,
    may_fill_post,
    may_read,
    operation_participation,
    participating,
    preferential_supply,
    release_scope,
    retransfer,
    training_places,
)

#: Who plans and runs an exercise: the Joint Staff, the Council of Defence Ministers or the Secretariat.
EXERCISE_PLANNERS = ("joint_staff", "cdm", "secretariat")
QUOTA_TERMS = ("free", "preferential")
#: Sources for not assessing a frozen member and cutting the budget instead (keys in sources.yaml).
BUDGET_CUT_SOURCES = ("rferl_2024_armenia_budget", "massispost_2024_armenia_budget", "nsn_2024_csto_budget")


# --------------------------------------------------------------------------- parameter helpers


def _missing(name: str, expected: str) -> ScriptError:
    return ScriptError(f"parameter '{name}' is missing or malformed", field=name, expected=expected)


def _str(action: Action, name: str) -> str:
    value = action.get(name)
    if value is None or isinstance(value, list | tuple | dict | set) or str(value).strip() == "":
        raise _missing(name, "a non-empty text")
    return str(value).strip()


def _text(action: Action, name: str) -> str:
    """An optional free-text parameter, as text ('' when absent)."""
    value = action.get(name)
    return "" if value is None else str(value)


def _int(action: Action, name: str) -> int:
    value = action.get(name)
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise _missing(name, "a whole number")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        raise _missing(name, "a whole number") from None


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise _missing(name, "a number")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise _missing(name, "a number") from None
    if not math.isfinite(out):
        raise _missing(name, "a finite number")
    return out


def _float(action: Action, name: str, default: float | None = None) -> float:
    value = action.get(name)
    if value is None and default is not None:
        return default
    return _number(value, name)


def _bool(action: Action, name: str, default: bool = False) -> bool:
    value = action.get(name, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _missing(name, "true or false")


def _day(action: Action, name: str) -> dt.date:
    value = action.get(name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _missing(name, "a date YYYY-MM-DD") from None


def _strs(action: Action, name: str) -> list[str]:
    value = action.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple | set | frozenset):
        raise _missing(name, "a list of names")
    return [str(v) for v in value]


def _numbers(value: Any, name: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _missing(name, "a mapping of names to numbers")
    return {str(k): _number(v, name) for k, v in value.items()}


# --------------------------------------------------------------------------- Exercise


class Exercise(Procedure):
    """A joint exercise of the collective forces: planned → (contingents join) → conducted → recorded."""

    kind = "exercise"
    title = "Joint exercise"
    article = ("forces-2010", "whole")
    starts = frozenset({"plan"})
    specs = {
        "plan": ActionSpec(
            "plan",
            "'joint_staff', 'cdm' or 'secretariat'",
            "Plan an exercise in one of the CSTO's own series.",
            {
                "name": Param("str", required=True, help="e.g. Interaction-2023"),
                "series": Param("str", required=True, help=", ".join(CSTO_EXERCISE_SERIES)),
                "host": Param("state", required=True, help="the member on whose territory it is held"),
                "start": Param("date", required=True),
                "end": Param("date", required=True),
                "forces": Param("list[str]", help="collective forces exercised, e.g. crrf, peacekeeping"),
                "scenario": Param("str"),
            },
        ),
        "join": ActionSpec(
            "join",
            "a member taking part",
            "Send a contingent to the exercise.",
            {"personnel": Param("int", required=True), "units": Param("str")},
        ),
        "conduct": ActionSpec(
            "conduct", "'joint_staff'", "Record that the exercise took place (on or after start)."
        ),
        "record_aar": ActionSpec(
            "record_aar",
            "'joint_staff'",
            "Record the after-action review.",
            {"findings": Param("str", required=True), "lessons": Param("list[str]")},
        ),
        "cancel": ActionSpec(
            "cancel", "'joint_staff', 'cdm' or 'secretariat'", "Cancel.", {"reason": Param("str")}
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.name: str | None = None
        self.series: str | None = None
        self.host: str | None = None
        self.start: dt.date | None = None
        self.end: dt.date | None = None
        self.forces: list[str] = []
        self.participants: dict[str, dict[str, Any]] = {}
        self.conducted: dict[str, Any] = {}
        self.findings: str | None = None
        self.lessons: list[str] = []

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"recorded", "cancelled"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "plan":
            return None if self.step == "new" else "the exercise is already planned"
        if self.step == "new":
            return "no exercise has been planned: start with 'plan'"
        if kind == "join":
            if self.step != "planned":
                return "contingents join before the exercise is conducted"
            return f"{actor} has already joined" if actor in self.participants else None
        if kind == "conduct":
            if actor != "joint_staff":
                return "the Joint Staff records that an exercise took place"
            return None if self.step == "planned" else "the exercise has already been conducted"
        if kind == "record_aar":
            if actor != "joint_staff":
                return "the Joint Staff records the after-action review"
            return None if self.step == "conducted" else "the after-action review follows the exercise"
        if kind == "cancel":
            if actor not in EXERCISE_PLANNERS:
                return f"an exercise is cancelled by {', '.join(EXERCISE_PLANNERS)}, not {actor}"
            return None if self.step == "planned" else "only a planned exercise can be cancelled"
        return f"'{kind}' does not apply here"

    def on_plan(self, action: Action) -> list[DomainEvent]:
        if action.actor not in EXERCISE_PLANNERS:
            raise RefusedError(
                self.refusal(f"exercises are planned by {', '.join(EXERCISE_PLANNERS)}, not {action.actor}")
            )
        sit = self.world.situation(action.at)
        series = _str(action, "series")
        self.check(exercise_series(sit, series))
        host = _str(action, "host")
        self.check(exercise_participation(sit, host))
        start, end = _day(action, "start"), _day(action, "end")
        if end < start:
            raise RefusedError(self.refusal(f"the exercise ends ({end}) before it starts ({start})"))
        forces = _strs(action, "forces")
        known = {f.id for f in sit.alliance.forces}
        unknown = [f for f in forces if f not in known]
        if unknown:
            raise RefusedError(
                self.refusal(f"no collective force {', '.join(unknown)} exists on {sit.day.isoformat()}")
            )
        return [
            self.event(
                "ExercisePlanned",
                action,
                name=_str(action, "name"),
                series=series,
                host=host,
                start=start.isoformat(),
                end=end.isoformat(),
                forces=forces,
                scenario=_text(action, "scenario"),
                citation=sit.cite(*self.article),
            )
        ]

    def on_join(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(exercise_participation(sit, action.actor))
        personnel = _int(action, "personnel")
        if personnel <= 0:
            raise RefusedError(self.refusal(f"a contingent needs personnel, not {personnel}"))
        return [
            self.event(
                "ParticipantJoined",
                action,
                state=action.actor,
                personnel=personnel,
                units=_text(action, "units"),
            )
        ]

    def on_conduct(self, action: Action) -> list[DomainEvent]:
        assert self.start is not None and self.host is not None
        if action.at.date() < self.start:
            raise RefusedError(self.refusal(f"the exercise starts on {self.start.isoformat()}, not before"))
        sit = self.world.situation(action.at)
        self.check(exercise_participation(sit, self.host))
        present = sorted(s for s in self.participants if sit.status(s) == "member")
        dropped = sorted(s for s in self.participants if s not in present)
        if not present:
            raise RefusedError(self.refusal("no member taking part has sent a contingent"))
        return [
            self.event(
                "ExerciseConducted",
                action,
                participants=present,
                dropped_out=dropped,
                personnel=sum(int(self.participants[s]["personnel"]) for s in present),
            )
        ]

    def on_record_aar(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "AfterActionRecorded",
                action,
                findings=_str(action, "findings"),
                lessons=_strs(action, "lessons"),
            )
        ]

    def on_cancel(self, action: Action) -> list[DomainEvent]:
        return [self.event("ExerciseCancelled", action, reason=_text(action, "reason"))]

    def ev_ExercisePlanned(self, e: DomainEvent) -> None:
        d = e.data
        self.name, self.series, self.host = d["name"], d["series"], d["host"]
        self.start, self.end = dt.date.fromisoformat(d["start"]), dt.date.fromisoformat(d["end"])
        self.forces = list(d["forces"])
        self.step = "planned"

    def ev_ParticipantJoined(self, e: DomainEvent) -> None:
        self.participants[e.data["state"]] = {"personnel": int(e.data["personnel"]), "units": e.data["units"]}

    def ev_ExerciseConducted(self, e: DomainEvent) -> None:
        self.conducted = {
            "at": e.at.isoformat(),
            "participants": list(e.data["participants"]),
            "dropped_out": list(e.data["dropped_out"]),
            "personnel": int(e.data["personnel"]),
        }
        self.step = "conducted"

    def ev_AfterActionRecorded(self, e: DomainEvent) -> None:
        self.findings = e.data["findings"]
        self.lessons = list(e.data["lessons"])
        self.step = "recorded"

    def ev_ExerciseCancelled(self, e: DomainEvent) -> None:
        self.step = "cancelled"

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "name": self.name,
            "series": self.series,
            "host": self.host,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "forces": list(self.forces),
            "participants": {k: dict(v) for k, v in sorted(self.participants.items())},
            "conducted": dict(self.conducted),
            "findings": self.findings,
            "lessons": list(self.lessons),
        }


# --------------------------------------------------------------------------- ArmsSupply


class ArmsSupply(Procedure):
    """A preferential arms supply (MTC Agreement 2000): ordered → delivered → (retransferred with consent).

    Delivery does not close the case: the no-retransfer obligation (Art. 6) binds the buyer for as long
    as it holds the products, so a delivered case stays open for a retransfer request. Only a retransfer
    or a cancellation before delivery ends it; ``outcome`` is therefore None for a delivered case.
    """

    kind = "arms"
    title = "Arms supply on preferential terms"
    article = ("mtc-2000", "2")
    starts = frozenset({"order"})
    specs = {
        "order": ActionSpec(
            "order",
            "the buying member",
            "Order military products from another member on preferential terms.",
            {
                "supplier": Param("state", required=True),
                "item": Param("str", required=True),
                "quantity": Param("int", required=True),
                "domestic_price": Param(
                    "float", required=True, help="per unit: the supplier's domestic price"
                ),
                "export_price": Param("float", required=True, help="per unit: the supplier's export price"),
                "unit_price": Param(
                    "float", help="per unit: the contract price (default: the domestic price)"
                ),
            },
        ),
        "deliver": ActionSpec("deliver", "the supplier", "Deliver the order."),
        "retransfer": ActionSpec(
            "retransfer",
            "the buyer",
            "Pass the delivered products on to another state, person or organisation.",
            {"recipient": Param("str", required=True), "supplier_consent": Param("bool", default=False)},
        ),
        "cancel": ActionSpec(
            "cancel", "the buyer or the supplier", "Cancel before delivery.", {"reason": Param("str")}
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.order: dict[str, Any] = {}
        self.delivered_at: str | None = None
        self.retransfer_to: str | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"retransferred", "cancelled"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "order":
            return None if self.step == "new" else "the order has already been placed"
        if self.step == "new":
            return "nothing has been ordered: start with 'order'"
        buyer, supplier = self.order.get("buyer"), self.order.get("supplier")
        if kind == "deliver":
            if actor != supplier:
                return f"only the supplier ({supplier}) delivers"
            return None if self.step == "ordered" else "the order has already been delivered"
        if kind == "retransfer":
            if actor != buyer:
                return f"only the buyer ({buyer}) holds the products"
            return None if self.step == "delivered" else "nothing has been delivered yet"
        if kind == "cancel":
            if actor not in (buyer, supplier):
                return f"only the buyer ({buyer}) or the supplier ({supplier}) may cancel"
            return None if self.step == "ordered" else "a delivered order cannot be cancelled"
        return f"'{kind}' does not apply here"

    def on_order(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        supplier = _str(action, "supplier")
        quantity = _int(action, "quantity")
        domestic = _float(action, "domestic_price")
        export = _float(action, "export_price")
        unit = _float(action, "unit_price", default=domestic)
        if quantity <= 0:
            raise RefusedError(self.refusal(f"the quantity must be positive, not {quantity}"))
        if min(domestic, export, unit) < 0:
            raise RefusedError(self.refusal("prices cannot be negative"))
        self.check(preferential_supply(sit, supplier, action.actor, unit, domestic))
        return [
            self.event(
                "OrderPlaced",
                action,
                buyer=action.actor,
                supplier=supplier,
                item=_str(action, "item"),
                quantity=quantity,
                unit_price=unit,
                domestic_price=domestic,
                export_price=export,
                total=round(unit * quantity, 2),
                saving=round((export - unit) * quantity, 2),
                price_basis=sit.param("mtc-2000", "2", "price_basis", "contract"),
                citation=sit.cite("mtc-2000", "2"),
            )
        ]

    def on_deliver(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "Delivered",
                action,
                supplier=self.order["supplier"],
                buyer=self.order["buyer"],
                item=self.order["item"],
                quantity=self.order["quantity"],
            )
        ]

    def on_retransfer(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        recipient = _str(action, "recipient")
        consent = _bool(action, "supplier_consent")
        self.check(retransfer(sit, action.actor, recipient, str(self.order["supplier"]), consent))
        return [
            self.event(
                "Retransferred",
                action,
                holder=action.actor,
                recipient=recipient,
                supplier_consent=consent,
                item=self.order["item"],
                quantity=self.order["quantity"],
                citation=sit.cite("mtc-2000", "6"),
            )
        ]

    def on_cancel(self, action: Action) -> list[DomainEvent]:
        return [self.event("OrderCancelled", action, reason=_text(action, "reason"))]

    def ev_OrderPlaced(self, e: DomainEvent) -> None:
        self.order = {k: v for k, v in e.data.items() if k not in ("actor", "citation")}
        self.step = "ordered"

    def ev_Delivered(self, e: DomainEvent) -> None:
        self.delivered_at = e.at.isoformat()
        self.step = "delivered"

    def ev_Retransferred(self, e: DomainEvent) -> None:
        self.retransfer_to = e.data["recipient"]
        self.step = "retransferred"

    def ev_OrderCancelled(self, e: DomainEvent) -> None:
        self.step = "cancelled"

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "order": dict(sorted(self.order.items())),
            "delivered_at": self.delivered_at,
            "retransferred_to": self.retransfer_to,
        }


# --------------------------------------------------------------------------- TrainingQuota


class TrainingQuota(Procedure):
    """A host's training quotas for one sender and year (Training Agreement 2005), and the places used.

    The host sets free and preferential quotas (setting one again replaces it, never below the places
    already allocated); the sender allocates places against what remains. Paid places need no quota.
    The case never closes: quotas are changed or used up, not ended.
    """

    kind = "training"
    title = "Military training quota"
    article = ("training-2005", "whole")
    starts = frozenset({"set_quota"})
    specs = {
        "set_quota": ActionSpec(
            "set_quota",
            "the host member",
            "Set the number of free or preferential places for a sender in a year.",
            {
                "sender": Param("state", required=True),
                "terms": Param("str", required=True, choices=QUOTA_TERMS),
                "places": Param("int", required=True),
                "year": Param("int", required=True),
            },
        ),
        "allocate": ActionSpec(
            "allocate",
            "the sending member",
            "Send trainees: within a quota (free, preferential) or paid.",
            {
                "terms": Param("str", required=True, choices=("free", "preferential", "paid")),
                "places": Param("int", required=True),
                "speciality": Param("str"),
            },
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.host: str | None = None
        self.sender: str | None = None
        self.year: int | None = None
        self.quotas: dict[str, int] = {}
        self.allocated: dict[str, int] = {}
        self.allocations: list[dict[str, Any]] = []

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "set_quota":
            if self.step != "new" and actor != self.host:
                return f"only the host ({self.host}) sets quotas in this case"
            return None
        if self.step == "new":
            return "no quota has been set: start with 'set_quota'"
        if kind == "allocate":
            return None if actor == self.sender else f"only the sender ({self.sender}) allocates places"
        return f"'{kind}' does not apply here"

    def remaining(self, terms: str) -> int | None:
        """Places left in the quota on ``terms`` (None where no quota was set), from the events."""
        if terms not in self.quotas:
            return None
        return self.quotas[terms] - self.allocated.get(terms, 0)

    def on_set_quota(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        sender, terms = _str(action, "sender"), _str(action, "terms")
        places, year = _int(action, "places"), _int(action, "year")
        if self.step != "new" and (sender, year) != (self.sender, self.year):
            raise RefusedError(
                self.refusal(
                    f"this case holds {self.host}'s {self.year} quota for {self.sender}: open a new case"
                )
            )
        self.check(participating(sit, action.actor, "training-2005-quota", "the joint training system"))
        self.check(participating(sit, sender, "training-2005-quota", "the joint training system"))
        if sender == action.actor:
            raise RefusedError(sit.refuse("training-2005-quota", "a host does not set a quota for itself"))
        if terms not in QUOTA_TERMS:
            raise RefusedError(
                sit.refuse(
                    "training-2005-quota", f"quotas are free or preferential, not '{terms}' (paid needs none)"
                )
            )
        used = self.allocated.get(terms, 0)
        if places < used:
            raise RefusedError(
                sit.refuse(
                    "training-2005-quota",
                    f"{used} {terms} places are already allocated; the quota cannot be {places}",
                )
            )
        return [
            self.event(
                "QuotaSet",
                action,
                host=action.actor,
                sender=sender,
                terms=terms,
                places=places,
                year=year,
                citation=sit.cite(*self.article),
            )
        ]

    def on_allocate(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        assert self.host is not None and self.sender is not None
        terms, places = _str(action, "terms"), _int(action, "places")
        remaining = self.remaining(terms)
        self.check(training_places(sit, self.host, self.sender, terms, places, remaining))
        return [
            self.event(
                "PlacesAllocated",
                action,
                host=self.host,
                sender=self.sender,
                terms=terms,
                places=places,
                speciality=_text(action, "speciality"),
                remaining_after=None if remaining is None or terms == "paid" else remaining - places,
            )
        ]

    def ev_QuotaSet(self, e: DomainEvent) -> None:
        d = e.data
        self.host, self.sender, self.year = d["host"], d["sender"], int(d["year"])
        self.quotas[d["terms"]] = int(d["places"])
        self.step = "open"

    def ev_PlacesAllocated(self, e: DomainEvent) -> None:
        d = e.data
        self.allocated[d["terms"]] = self.allocated.get(d["terms"], 0) + int(d["places"])
        self.allocations.append(
            {"terms": d["terms"], "places": int(d["places"]), "speciality": d["speciality"]}
        )

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "host": self.host,
            "sender": self.sender,
            "year": self.year,
            "quotas": dict(sorted(self.quotas.items())),
            "allocated": dict(sorted(self.allocated.items())),
            "remaining": {t: self.quotas[t] - self.allocated.get(t, 0) for t in sorted(self.quotas)},
            "allocations": [dict(a) for a in self.allocations],
        }


# --------------------------------------------------------------------------- BudgetAssessment


class BudgetAssessment(CouncilSteps):
    """A year's budget: proposed → decided by consensus → assessed → paid → arrears recorded.

    Members whose participation is frozen or suspended when the budget is adopted are not assessed, and
    their share is not redistributed: the budget is cut instead (Armenia 2024). Payments and arrears
    live in the world (``World.assessed`` / ``paid``), so arrears block quota posts and withdrawal.
    """

    kind = "budget"
    title = "Budget assessment"
    article = ("charter", "12")
    starts = frozenset({"propose_budget"})
    specs = {
        "propose_budget": ActionSpec(
            "propose_budget",
            "'secretariat'",
            "Propose a year's budget and the scale of shares (percent, summing to 100).",
            {
                "year": Param("int", required=True),
                "total": Param("float", required=True),
                "shares": Param("dict[str,float]", required=True, help="percent by member, e.g. {RUS: 50}"),
            },
        ),
        **council_specs(
            {"total": Param("float"), "shares": Param("dict[str,float]"), "summary": Param("str")}
        ),
        "pay": ActionSpec(
            "pay",
            "an assessed member",
            "Pay towards what it owes.",
            {"amount": Param("float", required=True)},
        ),
        "fill_post": ActionSpec(
            "fill_post",
            "a member",
            "Fill one of its quota posts in the Secretariat or the Joint Staff.",
            {"post": Param("str", required=True)},
        ),
        "close_year": ActionSpec("close_year", "'secretariat'", "Close the budget year and record arrears."),
        "conclude": ActionSpec("conclude", "the chair or 'secretariat'", "Drop the proposal."),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.ballot = Ballot()
        self.year: int | None = None
        self.total: float = 0.0
        self.shares: dict[str, float] = {}
        self.adopted: dict[str, Any] = {}
        self.paid: dict[str, float] = {}
        self.posts: list[dict[str, str]] = []
        self.arrears: dict[str, float] = {}

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"closed", "dropped"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "propose_budget":
            if actor != "secretariat":
                return "the Secretariat proposes the budget"
            return None if self.step == "new" else "the budget has already been proposed"
        if self.step == "new":
            return "no budget has been proposed: start with 'propose_budget'"
        if kind in ("convene", "propose", "vote", "close"):
            if self.step == "adopted":
                return "the budget has been adopted"
            return self.council_allowed(kind, actor)
        if kind == "conclude":
            if actor not in ("secretariat", self.ballot.chair):
                return "the chair or the Secretariat drops a proposal"
            return None if self.step != "adopted" else "the budget has been adopted"
        if self.step != "adopted":
            return f"'{kind}' follows the adoption of the budget"
        if kind == "close_year" and actor != "secretariat":
            return "the Secretariat closes the budget year"
        return None

    def default_proposal(self) -> dict[str, Any]:
        return {
            "subject": f"budget {self.year}",
            "year": self.year,
            "total": self.total,
            "shares": dict(self.shares),
        }

    def budget_terms(self, proposal: Mapping[str, Any]) -> tuple[float, dict[str, float]]:
        """The total and the scale a tabled proposal stands for (the proposed budget where it is silent)."""
        total = _number(proposal["total"], "total") if proposal.get("total") is not None else self.total
        shares = _numbers(proposal.get("shares"), "shares") or dict(self.shares)
        return total, shares

    def validate_proposal(self, action: Action, proposal: dict[str, Any]) -> None:
        total, shares = self.budget_terms(proposal)
        self.check(budget_scale(self.world.situation(action.at), total, shares))

    # ------------------------------------------------------------------ decide
    def on_propose_budget(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        year, total, shares = (
            _int(action, "year"),
            _float(action, "total"),
            _numbers(action.get("shares"), "shares"),
        )
        self.check(budget_scale(sit, total, shares))
        return [
            self.event(
                "BudgetProposed",
                action,
                year=year,
                total=total,
                shares=shares,
                citation=sit.cite("charter", "11"),
            )
        ]

    def on_close(self, action: Action) -> list[DomainEvent]:
        events = super().on_close(action)
        if events[-1].type != "DecisionAdopted":
            return events
        sit = self.world.situation(action.at)
        total, shares = self.budget_terms(self.ballot.proposal)
        assessments: dict[str, float] = {}
        not_assessed: dict[str, str] = {}
        for state, share in sorted(shares.items()):
            status = sit.status(state) or "none"
            if status == "member":
                assessments[state] = round(total * share / 100.0, 2)
            else:
                not_assessed[state] = status
        unfunded = round(sum(total * shares[s] / 100.0 for s in not_assessed), 2)
        sources = [k for k in BUDGET_CUT_SOURCES if k in sit.alliance.sources]
        if not_assessed:
            who = ", ".join(f"{s} ({st})" for s, st in not_assessed.items())
            reason = (
                f"{who} not assessed: a member that froze or was suspended does not pay, and its share is not "
                f"redistributed; the budget is cut by {unfunded:,.2f} instead, as when Armenia stopped paying in "
                f"2024 ({', '.join(sources) or 'sources not in the data'})"
            )
        else:
            reason = "every member in the scale is assessed"
        events.append(
            self.event(
                "BudgetAdopted",
                action,
                year=self.year,
                total=total,
                shares=shares,
                assessments=assessments,
                not_assessed=sorted(not_assessed),
                statuses=not_assessed,
                unfunded=unfunded,
                adopted_total=round(total - unfunded, 2),
                reason=reason,
                sources=sources,
                citation=sit.cite("charter", "11"),
            )
        )
        return events

    def on_pay(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        amount = _float(action, "amount")
        self.check(budget_payment(sit, action.actor, amount, self.world.arrears(action.actor)))
        return [self.event("PaymentRecorded", action, state=action.actor, amount=amount, year=self.year)]

    def on_fill_post(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(may_fill_post(sit, action.actor, self.world.arrears(action.actor)))
        return [self.event("PostFilled", action, state=action.actor, post=_str(action, "post"))]

    def on_close_year(self, action: Action) -> list[DomainEvent]:
        assert self.year is not None
        if action.at.date() < dt.date(self.year, 12, 31):
            raise RefusedError(
                self.refusal(f"the {self.year} budget year closes on {self.year}-12-31 at the earliest")
            )
        assessed = self.adopted.get("assessments", {})
        arrears = {s: self.world.arrears(s) for s in sorted(assessed)}
        return [
            self.event(
                "ArrearsRecorded",
                action,
                year=self.year,
                arrears={s: a for s, a in arrears.items() if a > 0},
                total_arrears=round(sum(arrears.values()), 2),
            )
        ]

    def on_conclude(self, action: Action) -> list[DomainEvent]:
        return [self.event("BudgetDropped", action, year=self.year)]

    # ------------------------------------------------------------------ evolve
    def ev_BudgetProposed(self, e: DomainEvent) -> None:
        self.year = int(e.data["year"])
        self.total = float(e.data["total"])
        self.shares = {k: float(v) for k, v in e.data["shares"].items()}
        self.step = "proposed"

    def ev_SessionConvened(self, e: DomainEvent) -> None:
        super().ev_SessionConvened(e)
        self.step = "in_session"

    def ev_DecisionAdopted(self, e: DomainEvent) -> None:
        super().ev_DecisionAdopted(e)
        self.step = "adopted"

    def ev_BudgetAdopted(self, e: DomainEvent) -> None:
        self.adopted = {k: v for k, v in e.data.items() if k != "actor"}

    def ev_PaymentRecorded(self, e: DomainEvent) -> None:
        state = e.data["state"]
        self.paid[state] = round(self.paid.get(state, 0.0) + float(e.data["amount"]), 2)

    def ev_PostFilled(self, e: DomainEvent) -> None:
        self.posts.append({"state": e.data["state"], "post": e.data["post"]})

    def ev_ArrearsRecorded(self, e: DomainEvent) -> None:
        self.arrears = {k: float(v) for k, v in e.data["arrears"].items()}
        self.step = "closed"

    def ev_BudgetDropped(self, e: DomainEvent) -> None:
        self.step = "dropped"

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "year": self.year,
            "total": self.total,
            "shares": dict(sorted(self.shares.items())),
            "assessments": dict(sorted(self.adopted.get("assessments", {}).items())),
            "not_assessed": list(self.adopted.get("not_assessed", [])),
            "adopted_total": self.adopted.get("adopted_total"),
            "paid": dict(sorted(self.paid.items())),
            "posts": [dict(p) for p in self.posts],
            "arrears": dict(sorted(self.arrears.items())),
        }


# --------------------------------------------------------------------------- IntelReport


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
        classification = _str(action, "classification")
        to = sorted(set(_strs(action, "releasable_to")) - {action.actor})
        self.check(release_scope(sit, action.actor, to, classification))
        return [
            self.event(
                "ReportFiled",
                action,
                originator=action.actor,
                title=_str(action, "title"),
                classification=classification,
                releasable_to=to,
                citation=sit.cite(*self.article),
            )
        ]

    def on_read(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        assert self.originator is not None and self.classification is not None
        self.check(may_read(sit, action.actor, self.originator, self.releasable_to, self.classification))
        return [self.event("ReportRead", action, reader=action.actor)]

    def on_release(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        assert self.classification is not None
        new = sorted(set(_strs(action, "to")) - set(self.releasable_to) - {action.actor})
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


# --------------------------------------------------------------------------- StandingOperation


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
        operation = _str(action, "operation").lower()
        if self.operation is not None and operation != self.operation:
            raise RefusedError(
                self.refusal(
                    f"this case records the '{self.operation}' operation, not '{operation}': open a new case"
                )
            )
        if action.actor != "secretariat":
            self.check(operation_participation(sit, action.actor, operation))
        stage = _str(action, "stage")
        if any(s["stage"] == stage for s in self.stages):
            raise RefusedError(self.refusal(f"stage '{stage}' has already been recorded"))
        start, end = _day(action, "start"), _day(action, "end")
        if end < start:
            raise RefusedError(self.refusal(f"the stage ends ({end}) before it starts ({start})"))
        participants = sorted(set(_strs(action, "participants")))
        if not participants:
            raise RefusedError(self.refusal("a stage needs at least one participating member"))
        for state in participants:
            self.check(operation_participation(sit, state, operation))
        return [
            self.event(
                "StageRecorded",
                action,
                operation=operation,
                stage=stage,
                start=start.isoformat(),
                end=end.isoformat(),
                participants=participants,
                observers=_strs(action, "observers"),
                results=_numbers(action.get("results"), "results"),
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


for _cls in (Exercise, ArmsSupply, TrainingQuota, BudgetAssessment, IntelReport, StandingOperation):
    register(_cls)
