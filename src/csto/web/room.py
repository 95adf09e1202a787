"""One exercise room: a session on the exercise's scope of the ledger, the room's steps, and its views.

People's steps arrive here already authorised (``csto.web.roles``) and become engine actions through
``Session.act``, so the treaty's checks and the ledger's concurrency apply to them exactly as to a
simulation. The decision model records what it expects of every seat when a proposal is tabled, and
votes for the seats no delegation holds. Views (state, timeline, map, after-action report) are
computed from the engine and the stored events only.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from csto.errors import CstoError, InputError
from csto.ledger import ConcurrencyError, StoredEvent
from csto.ledger.scoped import ScopedLedger
from csto.ledger.sql import SqlLedger
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import PolicyParams
from csto.policy.model import MemberVote, Reason, nominal_draw
from csto.procedures import Action, Engine
from csto.procedures.defence import AssistanceRequest, Deployment, _CaseWithDecision
from csto.procedures.floor import CONTROL, Floor
from csto.report.events import describe
from csto.rules import Refused, RefusedError
from csto.session import Session, from_ledger, open_session
from csto.sim.runner import arrival_schedule, crisis_features, member_votes, request_params, tasking
from csto.sim.scenario import Scenario

CASE = "crisis"
DEPLOY = "crisis-deployment"
FLOOR = "room"
LEVELS = tuple(lv for lv in reversed(RESPONSE_LADDER) if lv != "none")
POSITIONS = ("support", "stand_aside", "object")
#: How often a step is decided again after another process wrote to the same exercise first.
ATTEMPTS = 8


class RoomError(CstoError):
    """A step the room cannot take now (HTTP 409), with the reason; not a treaty refusal."""


def reason_text(reasons: tuple[Reason, ...] | list[Reason], n: int = 3) -> list[str]:
    return [
        f"{r.factor.replace('_', ' ')} {r.contribution:+.2f}" + (" (assumed)" if r.assumed else "")
        for r in reasons[:n]
    ]


class Room:
    """An exercise: its engine, its slice of the ledger, and the lock that orders its steps."""

    def __init__(
        self, ex_id: str, ledger: SqlLedger, ds: Dataset, params: PolicyParams, sc: Scenario
    ) -> None:
        self.id = ex_id
        self.ds, self.params, self.sc = ds, params, sc
        self.log = ScopedLedger(ledger, ex_id)
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.session: Session | None = None
        self.last_seq = 0
        self.version = 0

    # ------------------------------------------------------------------ opening and catching up
    @classmethod
    def create(
        cls,
        ex_id: str,
        ledger: SqlLedger,
        ds: Dataset,
        params: PolicyParams,
        sc: Scenario,
        title: str,
        seed: int = 0,
    ) -> Room:
        room = cls(ex_id, ledger, ds, params, sc)
        with room.lock:
            session, opening = open_session(room.log, ds, sc.start)
            room.session = session
            if opening is not None:
                room.last_seq = opening.seq
            room._act(
                Action(
                    "open_exercise",
                    CONTROL,
                    room.now,
                    FLOOR,
                    {"title": title, "scenario": sc.id, "seed": seed},
                )
            )
        return room

    @classmethod
    def load(cls, ex_id: str, ledger: SqlLedger, ds: Dataset, params: PolicyParams, sc: Scenario) -> Room:
        room = cls(ex_id, ledger, ds, params, sc)
        room.refresh()
        return room

    def refresh(self) -> None:
        """Fold in events other processes appended since we last looked (or everything, the first time)."""
        with self.lock:
            if self.session is None:
                engine = Engine(self.ds)
                events = list(self.log.read())
                if not events:
                    raise RoomError(f"exercise '{self.id}' has no events in the ledger")
                engine.replay(from_ledger(e) for e in events)
                self.session = Session(self.log, engine)
                self.last_seq = events[-1].seq
                self.version = len(engine.events)
                return
            new = list(self.log.read(after_seq=self.last_seq))
            if new:
                self.session.engine.replay(from_ledger(e) for e in new)
                self.last_seq = new[-1].seq
                self.version = len(self.session.engine.events)
                self.changed.notify_all()

    @property
    def engine(self) -> Engine:
        assert self.session is not None
        return self.session.engine

    @property
    def now(self) -> dt.datetime:
        if self.session is None or not self.engine.opened:
            return self.sc.start.astimezone(dt.UTC)
        return self.engine.world.now

    def _act(self, action: Action) -> list[StoredEvent]:
        assert self.session is not None
        for attempt in range(ATTEMPTS):
            try:
                stored = self.session.act(action)
                break
            except ConcurrencyError:
                # another process wrote to this exercise first: catch up, and decide again on what is now true
                if attempt == ATTEMPTS - 1:
                    raise
                self.refresh()
                action = Action(
                    action.kind, action.actor, max(action.at, self.now), action.case, action.params
                )
        if stored:
            self.last_seq = max(self.last_seq, stored[-1].seq)
        self.version = len(self.engine.events)
        self.changed.notify_all()
        return stored

    # ------------------------------------------------------------------ parts of the state
    @property
    def floor(self) -> Floor:
        f = self.engine.cases.get(FLOOR)
        assert isinstance(f, Floor)
        return f

    @property
    def case(self) -> _CaseWithDecision | None:
        c = self.engine.cases.get(CASE)
        return c if isinstance(c, _CaseWithDecision) else None

    @property
    def deployment(self) -> Deployment | None:
        d = self.engine.cases.get(DEPLOY)
        return d if isinstance(d, Deployment) else None

    @property
    def ended(self) -> bool:
        return self.floor.step == "ended"

    def human_seats(self) -> dict[str, str]:
        return dict(self.floor.seats)

    # ------------------------------------------------------------------ steps
    def act(self, kind: str, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        """Take the room step ``kind`` as the engine ``actor`` (already authorised for ``user``)."""
        with self.lock:
            self.refresh()
            if self.ended and kind != "view":
                raise RoomError("the exercise has ended", field="exercise")
            handler = getattr(self, "step_" + kind, None)
            if handler is None:
                raise InputError(f"unknown step '{kind}'", field="kind", expected=", ".join(STEPS))
            try:
                out: list[StoredEvent] = handler(actor, params, user)
            except RefusedError as err:
                r = err.refused
                note = {"step": kind, "refused_actor": actor, "article": r.article, "reason": r.reason}
                self._act(Action("note_refusal", "room", self.now, FLOOR, note))
                raise
            return out

    def step_take_seat(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        return self._act(Action("take_seat", actor, self.now, FLOOR, {"user": user}))

    def step_leave_seat(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        return self._act(Action("leave_seat", actor, self.now, FLOOR, {}))

    def step_statement(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        text = str(params.get("text") or "").strip()
        if not text:
            raise InputError("a statement needs text", field="text", expected="a sentence or more")
        return self._act(Action("make_statement", actor, self.now, FLOOR, {"text": text}))

    def step_inject(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        text = str(params.get("text") or "").strip()
        if not text:
            raise InputError("an inject needs text", field="text", expected="what happens")
        p: dict[str, Any] = {"text": text, "kind": params.get("kind") or "note"}
        if params.get("value") is not None:
            p["value"] = params["value"]
        return self._act(Action("inject", actor, self.now, FLOOR, p))

    def step_lodge_request(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        sc = self.sc
        requester = sc.request.state if sc.request.article in ("art4", "art2") else None
        requester = requester or sc.location.state
        if actor != requester:
            raise RoomError(
                f"in this scenario the request is {requester}'s to lodge, not {actor}'s", field="state"
            )
        holder = self.floor.seats.get(requester)
        if holder is not None and holder != user:
            raise RoomError(
                f"{requester}'s seat is held by {holder}: its delegation lodges the request", field="state"
            )
        if self.case is not None:
            raise RoomError("the request has already been lodged", field="kind")
        if sc.request.article in ("art4", "art2") and sc.request.state:
            return self._act(Action("request_assistance", requester, self.now, CASE, request_params(sc)))
        return self._act(
            Action(
                "request_consultation",
                requester,
                self.now,
                CASE,
                {"subject": sc.title, "threat": sc.framing or sc.kind},
            )
        )

    def _top_council(self) -> str:
        return self.engine.world.situation().top_council()

    def step_convene(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        if self.case is None:
            raise RoomError("nothing has been requested yet: lodge the request first", field="kind")
        fmt = params.get("format") or self.sc.context.session_format
        return self._act(
            Action("convene", actor, self.now, CASE, {"body": self._top_council(), "format": fmt})
        )

    def step_propose(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        level = params.get("level")
        if level not in LEVELS:
            raise InputError(f"bad level {level!r}", field="level", expected="one of: " + ", ".join(LEVELS))
        if self.case is None:
            raise RoomError("nothing has been requested yet: lodge the request first", field="kind")
        p: dict[str, Any] = {"level": level}
        if params.get("summary"):
            p["summary"] = str(params["summary"])
        stored = self._act(Action("propose", actor, self.now, CASE, p))
        self._model_round(level)
        return stored

    def _features_article(self) -> str:
        c = self.case
        if isinstance(c, AssistanceRequest):
            return str(c.request.get("article", "art4"))
        return "none"

    def expected_votes(self, level: str) -> list[MemberVote]:
        """What the model expects of every seat taking part (nominal weights; inject-adjusted features)."""
        from dataclasses import replace

        ballot = self.case.ballot if self.case else None
        entitled = [
            s for s in (ballot.entitled if ballot else []) if s not in (ballot.frozen if ballot else [])
        ]
        chair = ballot.chair if ballot else None
        feats = crisis_features(self.engine, self.sc, self.now, self._features_article(), chair)
        for e in self.engine.events:
            if e.type == "InjectMade":
                if e.data.get("kind") == "intensity" and e.data.get("value") is not None:
                    feats = replace(feats, intensity=float(e.data["value"]))
                elif (
                    e.data.get("kind") == "framing"
                ):  # as in a trial: a true value frames it as an armed attack
                    feats = replace(feats, framed_as_armed_attack=bool(e.data.get("value")))
        return member_votes(self.params, nominal_draw(self.params), level, feats, entitled)

    def _model_round(self, level: str) -> None:
        votes = self.expected_votes(level)
        seats = self.floor.seats
        rnd = self.case.ballot.rounds if self.case else 0
        records = [
            {
                "state": v.iso3,
                "stance": v.stance,
                "score": v.score,
                "offer": v.offer,
                "reasons": reason_text(v.reasons),
                "holder": "human" if v.iso3 in seats else "model",
            }
            for v in votes
        ]
        self._act(
            Action(
                "expect", "model", self.now, FLOOR, {"round": rnd, "level": level, "expectations": records}
            )
        )
        for v in votes:
            if v.iso3 in seats:
                continue
            why = "; ".join(reason_text(v.reasons)) or "no strong factor"
            self._act(
                Action("vote", v.iso3, self.now, CASE, {"position": v.stance, "reason": f"model: {why}"})
            )

    def step_vote(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        position = params.get("position")
        if position not in POSITIONS:
            raise InputError(
                f"bad position {position!r}", field="position", expected="one of: " + ", ".join(POSITIONS)
            )
        reason = str(params.get("reason") or "").strip()
        if not reason:
            raise InputError("a vote needs a reason", field="reason", expected="why, in a sentence")
        holder = self.floor.seats.get(actor)
        if holder is None:
            raise RoomError(f"take {actor}'s seat before voting", field="state")
        if holder != user:
            raise RoomError(f"{actor}'s seat is held by {holder}", field="state")
        return self._act(Action("vote", actor, self.now, CASE, {"position": position, "reason": reason}))

    def step_close(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        return self._act(Action("close", actor, self.now, CASE, {}))

    def step_task_forces(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        c = self.case
        if c is None or c.step != "to_task":
            raise RoomError("forces are tasked only after a decision to deploy", field="kind")
        expected = self.latest_expectations()
        positions = c.ballot.adopted.get("support", []) if c.ballot.adopted else []
        votes = []
        for rec in expected.get("expectations", []):
            st = "support" if rec["state"] in positions else "object"
            offer = int(rec.get("offer") or 0)
            if (
                st == "support"
                and offer == 0
                and rec["state"] not in (self.sc.location.state, self.sc.request.state)
            ):
                prof = self.params.member(rec["state"])
                offer = int(prof.min_contingent.value) if prof else 100
            votes.append(MemberVote(rec["state"], "deployment", st, 0.0, (), offer if st == "support" else 0))
        plan = tasking(self.engine.world.view().forces, self.params, self.sc, votes)
        if plan is None or not plan[1]:
            raise RoomError("no member offers forces for this deployment", field="kind")
        force_id, contributions = plan
        stored = self._act(
            Action("task_forces", actor, self.now, CASE, {"force": force_id, "contributions": contributions})
        )
        stored += self._act(
            Action(
                "order_deployment",
                actor,
                self.now,
                DEPLOY,
                {"decision": CASE, "destination": self.sc.destination_airfield or self.sc.location.state},
            )
        )
        schedule = arrival_schedule(self.ds, self.params, self.sc, contributions, force_id, self.now)
        rows = [[t.isoformat(), s, n] for t, s, n in schedule]
        stored += self._act(Action("plan_arrivals", actor, self.now, FLOOR, {"schedule": rows}))
        return stored

    def schedule(self) -> list[tuple[dt.datetime, str, int]]:
        for e in reversed(self.engine.events):
            if e.type == "ArrivalsPlanned":
                return [(dt.datetime.fromisoformat(t), s, int(n)) for t, s, n in e.data["schedule"]]
        return []

    def arrivals_done(self) -> int:
        return sum(1 for e in self.engine.events if e.type == "UnitsArrived")

    def step_advance_clock(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        try:
            hours = float(params.get("hours"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InputError("bad hours", field="hours", expected="a number of hours, e.g. 6") from None
        if not 0 < hours <= 720:
            raise InputError(f"bad hours {hours:g}", field="hours", expected="more than 0 and at most 720")
        start = self.now
        target = start + dt.timedelta(hours=hours)
        stored: list[StoredEvent] = []
        done = self.arrivals_done()
        dep = self.deployment
        for i, (t, state, n) in enumerate(self.schedule()):
            if i < done:
                continue
            if t > target or dep is None:
                break
            at = max(t, self.now)
            stored += self._act(
                Action(
                    "arrive",
                    "joint_staff",
                    at,
                    DEPLOY,
                    {"state": state, "personnel": n, "airfield": self.sc.destination_airfield},
                )
            )
            if i == 0:
                stored += self._act(Action("begin_operations", "joint_staff", at, DEPLOY, {}))
        left = (target - self.now).total_seconds() / 3600
        if left > 0:
            stored += self._act(Action("advance_clock", actor, self.now, FLOOR, {"hours": round(left, 4)}))
        return stored

    def step_end(self, actor: str, params: dict[str, Any], user: str) -> list[StoredEvent]:
        return self._act(
            Action("end_exercise", actor, self.now, FLOOR, {"summary": params.get("summary") or ""})
        )

    # ------------------------------------------------------------------ views
    def latest_expectations(self) -> dict[str, Any]:
        for e in reversed(self.engine.events):
            if e.type == "ModelExpected":
                return dict(e.data)
        return {}

    def t0(self) -> dt.datetime:
        for e in self.engine.events:
            if e.type in ("RequestLodged", "ConsultationRequested"):
                return e.at
        return self.engine.events[0].at

    def hours(self, at: dt.datetime) -> float:
        return round((at - self.t0()).total_seconds() / 3600, 2)

    def timeline(self) -> list[dict[str, Any]]:
        out = []
        for e in self.engine.events:
            if e.type in ("WorldOpened", "ModelExpected"):
                continue
            out.append(
                {
                    "at": e.at.isoformat(),
                    "hours": self.hours(e.at),
                    "actor": str(e.data.get("actor", "")),
                    "kind": e.type,
                    "text": describe(e.type, e.data),
                }
            )
        return out

    def phase(self) -> str:
        if self.ended:
            return "ended"
        c = self.case
        if c is None:
            return "awaiting request"
        if c.step == "requested":
            return "request lodged: convene the Council"
        if c.step == "in_session":
            return "in session: vote open" if c.ballot.proposal else "in session: table a proposal"
        if c.step == "to_task":
            return "deployment decided: task the forces"
        d = self.deployment
        if d is not None:
            return f"deployment {d.step}"
        return f"case {c.step} ({c.outcome})"

    def on_ground(self) -> int:
        d = self.deployment
        if d is None:
            return 0
        return sum(d.arrived.values()) - sum(d.departed.values())

    def seats(self) -> list[dict[str, Any]]:
        statuses = self.engine.world.statuses
        humans = self.floor.seats
        out = []
        for iso3, status in sorted(statuses.items()):
            if status not in ("member", "frozen", "suspended"):
                continue
            st = self.ds.state(iso3)
            out.append(
                {
                    "state": iso3,
                    "name": st.name if st else iso3,
                    "status": status,
                    "holder": "human" if iso3 in humans else ("model" if status == "member" else "none"),
                    "user": humans.get(iso3),
                }
            )
        return out

    def ballot(self) -> dict[str, Any]:
        c = self.case
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

    def refusals(self) -> list[dict[str, Any]]:
        return [
            {
                "at": e.at.isoformat(),
                "actor": e.data.get("refused"),
                "action": e.data.get("step"),
                **{k: e.data.get(k) for k in ("article", "reason")},
            }
            for e in self.engine.events
            if e.type == "StepRefused"
        ]

    def state(self, timeline: bool = True) -> dict[str, Any]:
        """The room now; without ``timeline`` (the answer to a step) it costs the same at any length of play."""
        with self.lock:
            c = self.case
            return {
                "id": self.id,
                "title": self.floor.title_text,
                "scenario": self.sc.id,
                "scenario_title": self.sc.title,
                "clock": self.now.isoformat(),
                "phase": self.phase(),
                "ended": self.ended,
                "requester": self.sc.request.state or self.sc.location.state,
                "case": None
                if c is None
                else {"kind": c.kind, "step": c.step, "outcome": c.outcome, "level": c.level},
                "seats": self.seats(),
                "ballot": self.ballot(),
                "deployment": self.deployment_view(),
                "timeline": self.timeline() if timeline else None,
                "version": self.version,
            }

    def deployment_view(self) -> dict[str, Any] | None:
        d = self.deployment
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

    def troops(self) -> list[dict[str, Any]]:
        total, out = 0, []
        for e in self.engine.events:
            if e.type == "UnitsArrived":
                n = int(e.data.get("personnel", 0))
                total += n
                out.append(
                    {
                        "hours": self.hours(e.at),
                        "at": e.at.isoformat(),
                        "on_ground": total,
                        "state": e.data.get("state"),
                        "arrived": n,
                    }
                )
            elif e.type == "UnitsDeparted":
                total -= int(e.data.get("personnel", 0))
                out.append(
                    {
                        "hours": self.hours(e.at),
                        "at": e.at.isoformat(),
                        "on_ground": total,
                        "state": e.data.get("state"),
                        "arrived": -int(e.data.get("personnel", 0)),
                    }
                )
        return out

    def rounds(self) -> dict[str, list[dict[str, Any]]]:
        """Every round: the model's expectations, the positions stated, and where humans departed."""
        rounds: list[dict[str, Any]] = []
        cur: dict[str, Any] | None = None
        votes: dict[str, dict[str, Any]] = {}
        for e in self.engine.events:
            if e.type == "ModelExpected":
                votes = {}
                cur = {
                    "round": e.data["round"],
                    "level": e.data["level"],
                    "outcome": "open",
                    "votes": [],
                    "_exp": {r["state"]: r for r in e.data["expectations"]},
                }
                rounds.append(cur)
            elif e.type == "VoteCast" and cur is not None:
                votes[e.data["state"]] = {"position": e.data["position"], "reason": e.data.get("reason", "")}
                cur["_votes"] = votes
            elif e.type in ("DecisionAdopted", "DecisionFailed") and cur is not None:
                cur["outcome"] = "adopted" if e.type == "DecisionAdopted" else "failed"
        departures = []
        for r in rounds:
            exp = r.pop("_exp")
            vs = r.pop("_votes", {})
            for state, rec in exp.items():
                v = vs.get(state)
                human = rec["holder"] == "human"
                departed = bool(human and v is not None and v["position"] != rec["stance"])
                r["votes"].append(
                    {
                        "state": state,
                        "position": v["position"] if v else "absent",
                        "reason": v["reason"] if v else "",
                        "holder": rec["holder"],
                        "model_position": rec["stance"],
                        "model_reasons": rec["reasons"],
                        "departed": departed,
                    }
                )
                if departed and v is not None:
                    departures.append(
                        {
                            "state": state,
                            "round": r["round"],
                            "human": v["position"],
                            "model": rec["stance"],
                            "reason": v["reason"],
                        }
                    )
        return {"rounds": rounds, "departures": departures}

    def aar(self, verified: bool | None, head: str | None, exercise_meta: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            rounds = self.rounds()
            c = self.case
            d = self.deployment
            return {
                "exercise": {
                    "id": self.id,
                    "title": self.floor.title_text,
                    "scenario": self.sc.id,
                    "scenario_title": self.sc.title,
                    "alliance": self.ds.info.id,
                    "started": self.engine.events[0].at.isoformat(),
                    "ended": next(
                        (e.at.isoformat() for e in self.engine.events if e.type == "ExerciseEnded"), None
                    ),
                    "ledger_head": head,
                    "verified": verified,
                    **exercise_meta,
                },
                "seats": self.seats(),
                "timeline": self.timeline(),
                "rounds": rounds["rounds"],
                "departures": rounds["departures"],
                "troops": self.troops(),
                "tasked": sum(d.tasked.values()) if d else 0,
                "outcome": c.outcome if c is not None else None,
                "refusals": self.refusals(),
            }


STEPS = (
    "take_seat",
    "leave_seat",
    "statement",
    "inject",
    "lodge_request",
    "convene",
    "propose",
    "vote",
    "close",
    "task_forces",
    "advance_clock",
    "end",
)


def refusal_dict(r: Refused) -> dict[str, Any]:
    return {"article": r.article, "reason": r.reason, "rule": r.rule, "uncertain": r.uncertain}


__all__ = [
    "CASE",
    "DEPLOY",
    "FLOOR",
    "LEVELS",
    "POSITIONS",
    "STEPS",
    "RefusedError",
    "Room",
    "RoomError",
]
