"""The after-action report's input: one typed, frozen record of a tabletop exercise (``AarRecord`` and its
parts), where each human departed from the model (``departures``, the one computation of it), and the troops'
curve read through ``csto.ledger.projections.troops_curve``.

The room builds the record (today through ``AarRecord.from_dict`` from its dict, which reads anything it cannot
use as missing); the renderers read nothing else. It never reads the ledger, the database or the engine, and
never renders.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from csto.ledger.projections import OnGround, troops_curve

CAST = frozenset({"support", "stand_aside", "object"})  # positions that are a vote cast (not "absent")


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Anchor(_Record):
    """The signed checkpoint of the ledger made when the exercise ended (``csto.ledger.checkpoint``'s fields):
    a copy kept elsewhere shows later, with ``csto ledger verify --checkpoint``, whether the record changed."""

    format: str = ""
    format_version: int = 0
    ledger: str = ""
    seq: int = 0
    head_hash: str = ""
    signed_at: str = ""
    key_id: str = ""
    public_key: str = ""
    signature: str = ""

    def file_text(self) -> str:
        """The checkpoint as its file (what ``csto ledger verify --checkpoint FILE`` reads)."""
        import json

        return json.dumps(self.model_dump(), indent=2) + "\n"


class ExerciseMeta(_Record):
    """Which exercise, on which scenario, when it ran, and the state of its ledger when the report was made."""

    id: str = ""
    title: str = ""
    scenario: str = ""
    scenario_title: str = ""
    alliance: str = ""
    started: datetime | None = None
    ended: datetime | None = None  # None: the exercise was still open
    ledger_head: str = ""
    verified: bool | None = None  # None: not checked
    checkpoint: Anchor | None = None  # None: not ended yet (or the chain could not be anchored)

    @property
    def name(self) -> str:
        return self.title or self.scenario_title or self.id or "Exercise"

    @property
    def duration_hours(self) -> float | None:
        return hours_between(self.started, self.ended)


class SeatRow(_Record):
    """A member's seat at the Council: who held it (``human``, ``model`` or ``none``) and which user."""

    state: str = ""
    name: str = ""
    holder: str = ""
    user: str | None = None
    status: str = ""


class TimelineRow(_Record):
    """One event of the exercise, in words. ``hours`` is the room's own count (after the request), if given."""

    at: datetime | None = None
    hours: float | None = None
    actor: str = ""
    kind: str = ""
    text: str = ""


class VoteRecord(_Record):
    """One seat's position in a round, its reason, and what the model expected of that seat (with reasons)."""

    state: str = ""
    position: str = ""  # support, stand_aside, object, or absent (no vote cast)
    reason: str = ""
    holder: str = ""
    model_position: str = ""  # "" when the model expected nothing
    model_reasons: tuple[str, ...] = ()

    @property
    def departed(self) -> bool:
        return is_departure(self)


class RoundRecord(_Record):
    """A Council round: the proposal's level, how it ended (``adopted``, ``failed``, ``open``), every seat's vote."""

    round: int | None = None
    level: str = ""
    outcome: str = ""
    votes: tuple[VoteRecord, ...] = ()


class Departure(_Record):
    """A human vote that differs from what the model expected of that seat, with both sides' reasons."""

    round: int | None
    state: str
    human: str
    model: str
    reason: str
    model_reasons: tuple[str, ...] = ()


class TroopPoint(_Record):
    """Personnel arriving (``arrived`` > 0) or leaving (< 0) for ``state``; the total on the ground is derived."""

    at: datetime | None = None
    hours: float | None = None
    state: str = ""
    arrived: int = 0


class RefusalRow(_Record):
    """An action the engine refused, with the article it cites."""

    at: datetime | None = None
    actor: str = ""
    action: str = ""
    article: str = ""
    reason: str = ""


class AarRecord(_Record):
    """Everything the after-action report shows, typed: the renderers' only input."""

    exercise: ExerciseMeta = ExerciseMeta()
    seats: tuple[SeatRow, ...] = ()
    timeline: tuple[TimelineRow, ...] = ()
    rounds: tuple[RoundRecord, ...] = ()
    troops: tuple[TroopPoint, ...] = ()
    tasked: int = 0
    outcome: str | None = None  # the response adopted (a rung of the ladder), None when none was recorded
    refusals: tuple[RefusalRow, ...] = ()

    @property
    def departures(self) -> tuple[Departure, ...]:
        return departures(self.rounds)

    def since_start(self, at: datetime | None) -> float | None:
        """Hours from the exercise's start to ``at``."""
        return hours_between(self.exercise.started, at)

    def hours_of(self, row: TimelineRow | TroopPoint) -> float | None:
        """The row's own ``hours`` when it has them, else the hours from the exercise's start to its ``at``."""
        return row.hours if row.hours is not None else self.since_start(row.at)

    def ground(self) -> list[tuple[int, OnGround[float]]]:
        """Each troop movement that can be placed in time (by its index in ``troops``), in time order, with the
        personnel on the ground after it (``troops_curve``); movements with no usable time are left out."""
        timed = sorted(
            ((h, k) for k, t in enumerate(self.troops) if (h := self.hours_of(t)) is not None),
            key=lambda hk: hk[0],
        )
        steps = troops_curve((h, self.troops[k].arrived, self.troops[k].state) for h, k in timed)
        return [(k, step) for (_, k), step in zip(timed, steps, strict=True)]

    def troop_rows(self) -> list[tuple[TroopPoint, float | None, int | None]]:
        """Every movement for a table, with its hours and the total after it: those placed in time first, in
        time order; then those with no usable time (their hours and total None)."""
        placed = self.ground()
        seen = {k for k, _ in placed}
        rows: list[tuple[TroopPoint, float | None, int | None]] = [
            (self.troops[k], step.at, step.on_ground) for k, step in placed
        ]
        return rows + [(t, None, None) for k, t in enumerate(self.troops) if k not in seen]

    def curve(self) -> list[tuple[float, int]]:
        """Personnel on the ground as (hours since the exercise start, personnel) points, sorted by time."""
        return [(step.at, step.on_ground) for _, step in self.ground()]

    def users(self) -> dict[str, str]:
        """The user at each human-held seat, by state."""
        return {s.state: s.user for s in self.seats if s.user}

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data in the shape of ``Room.aar()``'s dict, with what is derived filled in:
        each vote's ``departed``, the ``departures`` and each movement's ``on_ground`` (None when it has no
        usable time). ``from_dict(to_dict())`` gives the record back."""
        doc = self.model_dump(mode="json")
        for rnd, r in zip(doc["rounds"], self.rounds, strict=True):
            for vote, v in zip(rnd["votes"], r.votes, strict=True):
                vote["departed"] = v.departed
        doc["departures"] = [d.model_dump(mode="json") for d in self.departures]
        after = {k: step.on_ground for k, step in self.ground()}
        for k, troop in enumerate(doc["troops"]):
            troop["on_ground"] = after.get(k)
        return doc

    @classmethod
    def coerce(cls, aar: AarRecord | Mapping[str, Any]) -> AarRecord:
        """``aar`` itself, or the record read from the room's dict."""
        return aar if isinstance(aar, AarRecord) else cls.from_dict(aar)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> AarRecord:
        """The record from the dict ``Room.aar()`` builds. Every value is untrusted: anything of the wrong shape
        (a missing key, None, a stray string where a list belongs, a time that does not parse) reads as missing.
        A ``departed`` flag, a ``departures`` list and ``on_ground`` totals in ``d`` are not read: they are
        derived from the votes and the movements."""
        ex = _get(d, "exercise")
        verified = _get(ex, "verified")
        return cls(
            exercise=ExerciseMeta(
                id=_text(_get(ex, "id")),
                title=_text(_get(ex, "title")),
                scenario=_text(_get(ex, "scenario")),
                scenario_title=_text(_get(ex, "scenario_title")),
                alliance=_text(_get(ex, "alliance")),
                started=_when(_get(ex, "started")),
                ended=_when(_get(ex, "ended")),
                ledger_head=_text(_get(ex, "ledger_head")),
                verified=verified if isinstance(verified, bool) else None,
                checkpoint=_anchor(_get(ex, "checkpoint")),
            ),
            seats=tuple(
                SeatRow(
                    state=_text(s.get("state")),
                    name=_text(s.get("name")),
                    holder=_text(s.get("holder")),
                    user=_text(s.get("user")) or None,
                    status=_text(s.get("status")),
                )
                for s in _items(d, "seats")
            ),
            timeline=tuple(
                TimelineRow(
                    at=_when(t.get("at")),
                    hours=_float(t.get("hours")),
                    actor=_text(t.get("actor")),
                    kind=_text(t.get("kind")),
                    text=_text(t.get("text")),
                )
                for t in _items(d, "timeline")
            ),
            rounds=tuple(
                RoundRecord(
                    round=_round(r.get("round")),
                    level=_text(r.get("level")),
                    outcome=_text(r.get("outcome")),
                    votes=tuple(
                        VoteRecord(
                            state=_text(v.get("state")),
                            position=_text(v.get("position")),
                            reason=_text(v.get("reason")),
                            holder=_text(v.get("holder")),
                            model_position=_text(v.get("model_position")),
                            model_reasons=_reasons(v.get("model_reasons")),
                        )
                        for v in _items(r, "votes")
                    ),
                )
                for r in _items(d, "rounds")
            ),
            troops=tuple(
                TroopPoint(
                    at=_when(t.get("at")),
                    hours=_float(t.get("hours")),
                    state=_text(t.get("state")),
                    arrived=_int(t.get("arrived")),
                )
                for t in _items(d, "troops")
            ),
            tasked=_int(_get(d, "tasked")),
            outcome=_text(_get(d, "outcome")) or None,
            refusals=tuple(
                RefusalRow(
                    at=_when(r.get("at")),
                    actor=_text(r.get("actor")),
                    action=_text(r.get("action")),
                    article=_text(r.get("article")),
                    reason=_text(r.get("reason")),
                )
                for r in _items(d, "refusals")
            ),
        )


def is_departure(vote: VoteRecord) -> bool:
    """Whether ``vote`` departs from the model: a human-held seat cast a vote other than the model expected."""
    return (
        vote.holder == "human"
        and vote.position in CAST
        and bool(vote.model_position)
        and vote.position != vote.model_position
    )


def departures(rounds: Iterable[RoundRecord]) -> tuple[Departure, ...]:
    """Every departure from the model, round by round in the votes' order (the one place this is computed)."""
    return tuple(
        Departure(
            round=r.round,
            state=v.state,
            human=v.position,
            model=v.model_position,
            reason=v.reason,
            model_reasons=v.model_reasons,
        )
        for r in rounds
        for v in r.votes
        if is_departure(v)
    )


def hours_between(start: datetime | None, end: datetime | None) -> float | None:
    """Hours from ``start`` to ``end`` (None when either is missing, or one is naive and the other aware)."""
    if start is None or end is None:
        return None
    try:
        return (end - start).total_seconds() / 3600
    except TypeError:
        return None


# ---------------------------------------------------------------------------------------------- reading a dict
def _anchor(x: Any) -> Anchor | None:
    """A checkpoint read from the room's dict; anything not of its shape reads as none."""
    if not isinstance(x, Mapping):
        return None
    try:
        return Anchor.model_validate(dict(x))
    except ValueError:
        return None


def _get(d: Any, key: str) -> Any:
    return d.get(key) if isinstance(d, Mapping) else None


def _items(d: Any, key: str) -> list[Mapping[str, Any]]:
    """The mappings in list ``d[key]``; anything else (missing, None, a stray string) reads as none."""
    v = _get(d, key)
    if not isinstance(v, Sequence) or isinstance(v, str | bytes):
        return []
    return [x for x in v if isinstance(x, Mapping)]


def _text(x: Any) -> str:
    return "" if x is None else str(x)


def _float(x: Any) -> float | None:
    if isinstance(x, bool) or x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _int(x: Any) -> int:
    f = _float(x)
    return round(f) if f is not None else 0


def _round(x: Any) -> int | None:
    f = _float(x)
    return round(f) if f is not None and f == round(f) else None


def _when(x: Any) -> datetime | None:
    if isinstance(x, datetime):
        return x
    if not isinstance(x, str) or not x:
        return None
    try:
        return datetime.fromisoformat(x)
    except ValueError:
        return None


def _reasons(x: Any) -> tuple[str, ...]:
    if x is None:
        return ()
    if isinstance(x, str):
        return (x,) if x else ()
    if isinstance(x, Iterable):
        return tuple(_text(r) for r in x if r is not None)
    return (_text(x),)
