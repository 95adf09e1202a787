"""The engine: routes actions to procedure cases, keeps the world, and replays events exactly.

``decide`` checks an action and returns the events without changing anything; ``commit`` folds
them in. Callers that persist events (the play runner, the web room) append between the two, so a
refused action or a failed append leaves both the ledger and the engine as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from csto.errors import ScriptError
from csto.model import Dataset
from csto.procedures.accession import Accession
from csto.procedures.arms import ArmsSupply
from csto.procedures.assistance import AssistanceRequest
from csto.procedures.base import Action, DomainEvent, Procedure
from csto.procedures.bases import BaseConsent
from csto.procedures.budget import BudgetAssessment
from csto.procedures.compliance import Compliance
from csto.procedures.consultation import Consultation
from csto.procedures.decision import CouncilDecision, JointStatement
from csto.procedures.deployment import Deployment
from csto.procedures.exercise import Exercise
from csto.procedures.floor import Floor
from csto.procedures.freeze import FrozenParticipation
from csto.procedures.intel import IntelReport
from csto.procedures.operation import StandingOperation
from csto.procedures.peacekeeping import PeacekeepingMandate
from csto.procedures.status_application import StatusApplication
from csto.procedures.suspension import Suspension
from csto.procedures.training import TrainingQuota
from csto.procedures.withdrawal import Withdrawal
from csto.procedures.world import World
from csto.rules import RulesConfig, Verdict

PROCEDURES: dict[str, type[Procedure]] = {
    cls.kind: cls
    for cls in (
        Accession,
        Withdrawal,
        Suspension,
        FrozenParticipation,
        StatusApplication,
        CouncilDecision,
        JointStatement,
        Consultation,
        AssistanceRequest,
        PeacekeepingMandate,
        Deployment,
        BaseConsent,
        Compliance,
        Floor,
        Exercise,
        ArmsSupply,
        TrainingQuota,
        BudgetAssessment,
        IntelReport,
        StandingOperation,
    )
}


def register(cls: type[Procedure]) -> type[Procedure]:
    """Add a procedure class to the engine's registry (for procedures defined outside this package)."""
    PROCEDURES[cls.kind] = cls
    _STARTERS.clear()
    return cls


_STARTERS: dict[str, type[Procedure]] = {}


def _starters() -> dict[str, type[Procedure]]:
    if not _STARTERS:
        for cls in PROCEDURES.values():
            for kind in cls.starts:
                _STARTERS[kind] = cls
    return _STARTERS


def starters() -> dict[str, type[Procedure]]:
    """Each opening action kind → the procedure it opens (read from the registry once; a copy)."""
    return dict(_starters())


def all_action_kinds() -> set[str]:
    return {k for cls in PROCEDURES.values() for k in cls.specs}


def utc(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        return at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC)


class Engine:
    """One world and its open cases."""

    def __init__(self, dataset: Dataset, config: RulesConfig | None = None) -> None:
        self.dataset = dataset
        self.world = World(dataset, config)
        self.cases: dict[str, Procedure] = {}
        self.events: list[DomainEvent] = []

    # ------------------------------------------------------------------ opening and replay
    def open(self, at: dt.datetime, config: RulesConfig | None = None) -> DomainEvent:
        """The opening event for a new session at ``at`` (not yet committed)."""
        return World.opening_event(self.dataset, utc(at), config)

    @property
    def opened(self) -> bool:
        return self.world.clock is not None

    def replay(self, events: Iterable[DomainEvent]) -> None:
        """Rebuild the world and every case from events (as read back from a ledger)."""
        for e in events:
            self._fold(e)

    def _fold(self, e: DomainEvent) -> None:
        if e.stream != "world":
            kind, _, case = e.stream.partition("/")
            proc = self.cases.get(case)
            if proc is None or proc.kind != kind:
                cls = PROCEDURES.get(kind)
                if cls is None:
                    raise ScriptError(f"event {e.type} belongs to an unknown procedure '{kind}'")
                proc = cls(case, self.world)
                self.cases[case] = proc
            proc.evolve(e)
        self.world.evolve(e)
        self.events.append(e)

    # ------------------------------------------------------------------ acting
    def procedure_for(self, action: Action) -> Procedure:
        """The case this action belongs to (a new, unregistered one if the action opens a case)."""
        existing = self.cases.get(action.case)
        starts = _starters()
        if existing is not None:
            if (
                action.kind in starts
                and starts[action.kind] is not existing.__class__
                and action.kind not in existing.specs
            ):
                raise ScriptError(
                    f"case '{action.case}' is already a {existing.title}; use a new case id for '{action.kind}'",
                    field="case",
                )
            return existing
        cls = starts.get(action.kind)
        if cls is None:
            opening = sorted(starts)
            raise ScriptError(
                f"no case '{action.case}' is open, and '{action.kind}' does not open one",
                field="case",
                expected="an open case, or an opening action: " + ", ".join(opening),
            )
        return cls(action.case, self.world)

    def decide(self, action: Action) -> tuple[Procedure, list[DomainEvent]]:
        """Check ``action``; return its case and events, changing nothing (raises ``RefusedError``)."""
        if not self.opened:
            raise ScriptError("the engine has not been opened (no WorldOpened event)")
        action = Action(action.kind, action.actor, utc(action.at), action.case, action.params)
        if action.at < self.world.now:
            raise ScriptError(
                f"time runs forward: {action.at.isoformat()} is before the engine's clock {self.world.now.isoformat()}",
                field="at",
                expected=f"a time at or after {self.world.now.isoformat()}",
            )
        proc = self.procedure_for(action)
        events = proc.decide(action)
        return proc, events

    def commit(self, proc: Procedure, events: list[DomainEvent]) -> None:
        """Fold events that ``decide`` returned (after they were stored, if a ledger is used)."""
        if proc.case not in self.cases:
            self.cases[proc.case] = proc
        for e in events:
            self._fold(e)

    def handle(self, action: Action) -> list[DomainEvent]:
        """``decide`` then ``commit``: for runs without a ledger (simulation, tests)."""
        proc, events = self.decide(action)
        self.commit(proc, events)
        return events

    def legal_actions(self, actor: str) -> list[tuple[str, str]]:
        """(case, action kind) pairs ``actor`` may take in the open cases now."""
        out = []
        for case, proc in sorted(self.cases.items()):
            if proc.is_terminal:
                continue
            for kind in proc.legal_actions(actor):
                if kind in proc.starts and proc.step != "new":
                    continue
                out.append((case, kind))
        return out

    def may_read(self, reader: str, report_case: str, at: dt.datetime | None = None) -> Verdict:
        """Whether ``reader`` may read the intelligence report filed in ``report_case``: the releasability
        rule on the statuses of this (replayed) world, so a suspension or freeze played in the session
        counts. ``at`` defaults to the world's clock; nothing is recorded (a ``read`` action records)."""
        proc = self.cases.get(report_case)
        if not isinstance(proc, IntelReport):
            raise ScriptError(
                f"no intelligence report '{report_case}' in this world",
                field="case",
                expected="the case id of a filed report",
            )
        return proc.read_verdict(reader, utc(at) if at is not None else None)

    def snapshot(self) -> dict[str, Any]:
        """World and cases as plain data: equal for a live engine and a fresh replay of its events."""
        return {
            "world": self.world.snapshot(),
            "cases": {case: proc.snapshot() for case, proc in sorted(self.cases.items())},
        }
