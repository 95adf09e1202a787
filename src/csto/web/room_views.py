"""What the exercise room shows: its state, timeline, Council, deployment and after-action record, all
read from the game state and the stored events (projections), never from a second copy of the rules.

A mixin of ``Room``: it reads ``self.state_`` (the ``CrisisState``) and ``self.engine``'s events, and
writes nothing. The after-action report gets a typed ``AarRecord``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from csto.events import parse
from csto.events.base import EventBody
from csto.events.council import VoteCast
from csto.events.defence import UnitsArrived, UnitsDeparted
from csto.events.floor import ModelExpected, StepRefused
from csto.ledger.projections import troops_curve
from csto.report.aar_record import (
    AarRecord,
    Anchor,
    ExerciseMeta,
    RefusalRow,
    RoundRecord,
    SeatRow,
    TimelineRow,
    TroopPoint,
    VoteRecord,
)
from csto.report.events import describe

if TYPE_CHECKING:
    from csto.game import CrisisState
    from csto.procedures import DomainEvent

B = TypeVar("B", bound=EventBody)

#: Bookkeeping events the timeline leaves out.
UNSHOWN = frozenset({"WorldOpened", "ModelExpected"})


class RoomViews:
    """The room's read side (mixed into ``Room``)."""

    id: str
    version: int
    lock: Any

    @property
    def state_(self) -> CrisisState:
        raise NotImplementedError

    @property
    def _events(self) -> list[DomainEvent]:
        return self.state_.events

    def typed(self, *classes: type[B]) -> Iterator[tuple[dt.datetime, B]]:
        """The events of these classes, in order, read through the event registry (typed bodies)."""
        names = {c.__name__: c for c in classes}
        for e in self._events:
            if e.type in names:
                body = parse(e.type, e.data)
                assert isinstance(body, names[e.type])
                yield e.at, body

    def t0(self) -> dt.datetime:
        for e in self._events:
            if e.type in ("RequestLodged", "ConsultationRequested", "StatementDrafted"):
                return e.at
        return self._events[0].at

    def hours(self, at: dt.datetime) -> float:
        return round((at - self.t0()).total_seconds() / 3600, 2)

    def latest_expectations(self) -> dict[str, Any]:
        st = self.state_
        at = st.last_index(st.floor.stream, "ModelExpected")
        if at < 0:
            return {}
        e = self._events[at]
        body = parse(e.type, e.data)
        assert isinstance(body, ModelExpected)
        return body.model_dump(mode="json", exclude={"actor"})

    def schedule(self) -> list[tuple[dt.datetime, str, int]]:
        return self.state_.schedule()

    def timeline(self) -> list[dict[str, Any]]:
        return [
            {
                "at": e.at.isoformat(),
                "hours": self.hours(e.at),
                "actor": str(e.data.get("actor", "")),
                "kind": e.type,
                "text": describe(e.type, e.data),
            }
            for e in self._events
            if e.type not in UNSHOWN
        ]

    def seats(self) -> list[dict[str, Any]]:
        st = self.state_
        humans = st.floor.seats
        out = []
        for iso3, status in sorted(st.engine.world.statuses.items()):
            if status not in ("member", "frozen", "suspended"):
                continue
            state = st.dataset.state(iso3)
            out.append(
                {
                    "state": iso3,
                    "name": state.name if state else iso3,
                    "status": status,
                    "holder": "human" if iso3 in humans else ("model" if status == "member" else "none"),
                    "user": humans.get(iso3),
                }
            )
        return out

    def ballot(self) -> dict[str, Any]:
        c = self.state_.case
        if c is None:
            return {"open": False}
        b = c.ballot
        exp = self.latest_expectations()
        by_state = {r["state"]: r for r in exp.get("expectations", [])}
        return {
            "open": b.open,
            "body": b.body,
            "chair": b.chair,
            "round": b.rounds,
            "proposal": dict(b.proposal),
            "entitled": list(b.entitled),
            "frozen": list(b.frozen),
            "positions": dict(b.positions),
            "reasons": dict(b.reasons),
            "expected": by_state if b.proposal else {},
        }

    def _movements(self) -> list[tuple[dt.datetime, int, str]]:
        out: list[tuple[dt.datetime, int, str]] = []
        for at, b in self.typed(UnitsArrived, UnitsDeparted):
            sign = 1 if isinstance(b, UnitsArrived) else -1
            assert isinstance(b, (UnitsArrived, UnitsDeparted))
            out.append((at, sign * b.personnel, b.state))
        return out

    def troop_points(self) -> list[TroopPoint]:
        return [TroopPoint(at=at, hours=self.hours(at), state=s, arrived=n) for at, n, s in self._movements()]

    def troops(self) -> list[dict[str, Any]]:
        return [
            {
                "hours": self.hours(c.at),
                "at": c.at.isoformat(),
                "on_ground": c.on_ground,
                "state": c.state,
                "arrived": c.change,
            }
            for c in troops_curve(self._movements())
        ]

    def on_ground(self) -> int:
        d = self.state_.deployment
        return 0 if d is None else sum(d.arrived.values()) - sum(d.departed.values())

    def deployment_view(self) -> dict[str, Any] | None:
        d = self.state_.deployment
        if d is None:
            return None
        return {
            "step": d.step,
            "force": d.force,
            "tasked": sum(d.tasked.values()),
            "by_state": dict(d.tasked),
            "arrived": dict(d.arrived),
            "on_ground": self.on_ground(),
            "schedule": [[t.isoformat(), s, n] for t, s, n in self.schedule()],
        }

    def round_records(self) -> list[RoundRecord]:
        """Every round: the model's expectations beside the positions stated."""
        rounds: list[RoundRecord] = []
        exp: dict[str, dict[str, Any]] = {}
        votes: dict[str, tuple[str, str]] = {}
        head: dict[str, Any] | None = None
        outcome = "open"

        def flush() -> None:
            if head is None:
                return
            rows = []
            for state, rec in exp.items():
                position, reason = votes.get(state, ("absent", ""))
                rows.append(
                    VoteRecord(
                        state=state,
                        position=position,
                        reason=reason,
                        holder=str(rec["holder"]),
                        model_position=str(rec["stance"]),
                        model_reasons=tuple(rec["reasons"]),
                    )
                )
            rounds.append(
                RoundRecord(round=head["round"], level=str(head["level"]), outcome=outcome, votes=tuple(rows))
            )

        for e in self._events:
            if e.type == "ModelExpected":
                flush()
                expected = parse(e.type, e.data)
                assert isinstance(expected, ModelExpected)
                head, outcome, votes = {"round": expected.round, "level": expected.level}, "open", {}
                exp = {str(r["state"]): r for r in expected.expectations}
            elif e.type == "VoteCast" and head is not None:
                vote = parse(e.type, e.data)
                assert isinstance(vote, VoteCast)
                votes[vote.state] = (vote.position, vote.reason)
            elif e.type in ("DecisionAdopted", "DecisionFailed") and head is not None:
                outcome = "adopted" if e.type == "DecisionAdopted" else "failed"
        flush()
        return rounds

    def rounds(self) -> dict[str, list[dict[str, Any]]]:
        record = AarRecord(rounds=tuple(self.round_records()))
        doc = record.to_dict()
        return {"rounds": doc["rounds"], "departures": doc["departures"]}

    def refusals(self) -> list[dict[str, Any]]:
        return [
            {
                "at": at.isoformat(),
                "actor": r.refused,
                "action": r.step,
                "article": r.article,
                "reason": r.reason,
            }
            for at, r in self.typed(StepRefused)
        ]

    def aar_record(
        self, verified: bool | None, head: str | None, checkpoint: dict[str, Any] | None = None
    ) -> AarRecord:
        """The typed record of the exercise for the after-action report (with its end-of-exercise checkpoint)."""
        st = self.state_
        c, d = st.case, st.deployment
        ended = next((e.at for e in self._events if e.type == "ExerciseEnded"), None)
        return AarRecord(
            exercise=ExerciseMeta(
                id=self.id,
                title=st.floor.title_text,
                scenario=st.scenario.id,
                scenario_title=st.scenario.title,
                alliance=st.dataset.info.id,
                started=self._events[0].at,
                ended=ended,
                ledger_head=head or "",
                verified=verified,
                checkpoint=None if checkpoint is None else Anchor(**checkpoint),
            ),
            seats=tuple(SeatRow(**s) for s in self.seats()),
            timeline=tuple(
                TimelineRow(
                    at=dt.datetime.fromisoformat(t["at"]),
                    hours=t["hours"],
                    actor=t["actor"],
                    kind=t["kind"],
                    text=t["text"],
                )
                for t in self.timeline()
            ),
            rounds=tuple(self.round_records()),
            troops=tuple(self.troop_points()),
            tasked=sum(d.tasked.values()) if d else 0,
            outcome=c.outcome if c is not None else None,
            refusals=tuple(
                RefusalRow(
                    at=dt.datetime.fromisoformat(r["at"]),
                    actor=str(r["actor"] or ""),
                    action=str(r["action"] or ""),
                    article=str(r["article"] or ""),
                    reason=str(r["reason"] or ""),
                )
                for r in self.refusals()
            ),
        )

    def aar(self, verified: bool | None, head: str | None, exercise_meta: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            doc = self.aar_record(verified, head).to_dict()
            doc["exercise"].update(exercise_meta)
            return doc

    def state(self, timeline: bool = True) -> dict[str, Any]:
        """The room now; without ``timeline`` (the answer to a step) it costs the same at any length of play."""
        with self.lock:
            st = self.state_
            c = st.case
            return {
                "id": self.id,
                "title": st.floor.title_text,
                "scenario": st.scenario.id,
                "scenario_title": st.scenario.title,
                "clock": st.clock.isoformat(),
                "phase": self.phase(),
                "ended": st.floor.step == "ended",
                "requester": self.requester(),
                "case": None
                if c is None
                else {"kind": c.kind, "step": c.step, "outcome": c.outcome, "level": c.level},
                "seats": self.seats(),
                "ballot": self.ballot(),
                "deployment": self.deployment_view(),
                "waiting": self.waiting(),
                "timeline": self.timeline() if timeline else None,
                "version": self.version,
            }

    def waiting(self) -> dict[str, Any] | None:
        """The step the crisis sequence waits on: which seat, what, and from when (None when over)."""
        beat = None if self.state_.floor.step == "ended" else self.state_.pending()
        if beat is None:
            return None
        due = beat.not_before.isoformat() if beat.not_before and beat.not_before > self.state_.clock else None
        return {"seat": beat.seat, "kind": beat.kind, "case": beat.case, "due": due}

    def phase(self) -> str:
        raise NotImplementedError

    def requester(self) -> str:
        raise NotImplementedError
