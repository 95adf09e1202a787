"""The crisis runner: drives the engine's procedures with the member-state models, one trial at a time.

A trial lodges the request (or, when the rules refuse it or none was made, opens consultations or a
draft statement), convenes the Council, puts proposals down the ladder until one is adopted, and for a
deployment tasks forces, orders them and moves them in and out on a provisional timing model. Every step
goes through the engine, so every refusal cites its article. Randomness comes only from the ``Draw``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from csto.model import RESPONSE_LADDER, Dataset, Force
from csto.policy import CrisisFeatures, Draw, MemberVote, PolicyParams, member_vote
from csto.policy.model import frozen_vote, nominal_draw, personnel_of, split_force
from csto.procedures import Action, Engine
from csto.rules import RefusedError
from csto.rules.defence import art4_scope
from csto.sim.scenario import Scenario

CASE = "crisis"
DEPLOY = "crisis-deployment"


@dataclass(frozen=True)
class Prepared:
    """What a run has set up before the first proposal: the same in every trial of a scenario."""

    procedure: str
    cap: str
    convener: str
    entitled: list[str]
    frozen: list[str]
    parties: set[str]
    ladder: list[str]
    feats: CrisisFeatures


@dataclass
class TrialOutcome:
    """What one trial produced."""

    level: str
    adopted: bool
    hours_to_decision: float | None
    votes: list[MemberVote] = field(default_factory=list)
    forces: dict[str, int] = field(default_factory=dict)
    vehicles: dict[str, int] = field(default_factory=dict)
    first_units_hours: float | None = None
    all_in_hours: float | None = None
    timeline: list[tuple[float, str]] = field(default_factory=list)
    refusals: list[dict[str, str]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    force: str | None = None
    plan: list[tuple[float, str, int]] | None = None


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (provisional; the airlift planner will use geodesics)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


class _Run:
    def __init__(self, ds: Dataset, params: PolicyParams, sc: Scenario, draw: Draw) -> None:
        self.ds, self.params, self.sc, self.draw = ds, params, sc, draw
        self.engine = Engine(ds)
        opened = sc.start.astimezone(dt.UTC)
        self.engine.replay([self.engine.open(opened)])
        self.t0 = sc.request_time.astimezone(dt.UTC)
        self.t = self.t0
        self.out = TrialOutcome(level="none", adopted=False, hours_to_decision=None)
        self.pending = sorted(sc.injects, key=lambda i: i.t_hours)
        self.frozen: list[str] = []
        self.feats: CrisisFeatures | None = None
        self.withdrawn = False

    # ------------------------------------------------------------------ helpers
    def hours(self) -> float:
        return round((self.t - self.t0).total_seconds() / 3600.0, 2)

    def note(self, text: str) -> None:
        self.out.timeline.append((self.hours(), text))

    def act(self, kind: str, actor: str, case: str, /, **params: Any) -> list[Any] | None:
        try:
            return self.engine.handle(Action(kind, actor, self.t, case, params))
        except RefusedError as err:
            r = err.refused
            self.out.refusals.append(
                {"action": kind, "actor": actor, "article": r.article, "reason": r.reason}
            )
            self.note(f"{actor} {kind.replace('_', ' ')} refused under {r.article}: {r.reason}")
            return None

    def advance(self, hours: float) -> None:
        self.t += dt.timedelta(hours=max(hours, 0.05))
        self.apply_injects()

    def apply_injects(self) -> None:
        """Injects whose time has come: notes, a change of intensity or framing, a withdrawn request."""
        now = self.hours()
        while self.pending and self.pending[0].t_hours <= now:
            inj = self.pending.pop(0)
            self.note(f"Inject: {inj.text}")
            if self.feats is None:
                continue
            if inj.kind == "intensity" and isinstance(inj.value, (int, float)):
                self.feats = replace(self.feats, intensity=float(inj.value))
            elif inj.kind == "framing":
                self.feats = replace(self.feats, framed_as_armed_attack=bool(inj.value))
            elif inj.kind == "request_withdrawn":
                self.withdrawn = True

    def features(self, article: str, chair: str | None) -> CrisisFeatures:
        return crisis_features(self.engine, self.sc, self.t, article, chair)

    # ------------------------------------------------------------------ the run
    def run(self) -> TrialOutcome:
        prepared = self.prepare()
        if prepared is None:
            return self.out
        return self.decide(prepared)

    def prepare(self) -> Prepared | None:
        """Lodge the request (or fall back to consultations or a statement) and convene the Council."""
        sc, tm = self.sc, self.params.timing
        world = self.engine.world
        statuses = world.statuses
        lodged_article = "none"
        procedure = None
        cap = "statement"
        if sc.request.article in ("art4", "art2") and sc.request.state is not None:
            ev = self.act("request_assistance", sc.request.state, CASE, **request_params(sc))
            if ev:
                self.note(f"{sc.request.state} requests collective assistance under {ev[0].data['citation']}")
                lodged_article, procedure = sc.request.article, "assistance"
                cap = "deployment" if sc.request.article == "art4" else "assistance"
        if procedure is None:
            affected = sc.request.state or sc.location.state
            if statuses.get(affected) == "member":
                ev = self.act(
                    "request_consultation", affected, CASE, subject=sc.title, threat=sc.framing or sc.kind
                )
                if ev:
                    self.note(f"{affected} asks for consultations under {ev[0].data['citation']}")
                    procedure, cap = "consultation", "mission"
        if procedure is None:
            ev = self.act(
                "draft_statement", "secretariat", CASE, subject=sc.title, text="call for calm and restraint"
            )
            if ev:
                self.note("The Secretariat circulates a draft joint statement")
                procedure, cap = "statement", "statement"
        if procedure is None:
            return None
        council = world.situation().top_council()
        chair = world.chair(council)
        parties = {p for p in (sc.request.state, sc.location.state) if p}
        if sc.aggressor.member and sc.aggressor.state:
            parties.add(sc.aggressor.state)
        convener = (
            chair if chair and statuses.get(chair) == "member" and chair not in parties else "secretariat"
        )
        self.feats = self.features(lodged_article, chair if convener == chair else None)
        self.advance(tm.session_hours + tm.session_hours_sd * self.draw.timing[0])
        ev = self.act("convene", convener, CASE, body=council, format=sc.context.session_format)
        if not ev:
            return None
        entitled = [s for s in ev[0].data["entitled"] if s not in ev[0].data["frozen"]]
        self.frozen = list(ev[0].data["frozen"])
        self.note(f"{ev[0].data['body_name']} convened ({sc.context.session_format}), chair {chair or '—'}")
        ladder = [lv for lv in reversed(RESPONSE_LADDER) if lv != "none"]
        ladder = ladder[ladder.index(cap) :]
        return Prepared(procedure, cap, convener, entitled, list(self.frozen), parties, ladder, self.feats)

    def decide(self, prep: Prepared) -> TrialOutcome:
        """Put proposals down the ladder until one is adopted; deploy if it is a deployment."""
        sc, tm = self.sc, self.params.timing
        procedure, convener, entitled, parties, ladder = (
            prep.procedure,
            prep.convener,
            prep.entitled,
            prep.parties,
            prep.ladder,
        )
        decision_time = tm.decision_hours + tm.decision_hours_sd * self.draw.timing[1]
        per_round = max(decision_time, 0.2) / len(ladder)
        final_votes: list[MemberVote] = []
        for level in ladder:
            if self.withdrawn:
                if procedure != "statement" and sc.request.state:
                    self.act("withdraw_request", sc.request.state, CASE, reason="request withdrawn")
                self.note("The request is withdrawn; the case ends")
                break
            assert self.feats is not None
            votes = self.votes(level, self.feats, entitled)
            if level in ("assistance", "deployment"):
                # Informal soundings come first: help is only tabled if a member other than the parties
                # stands ready to provide it (the requester alone cannot help itself).
                # The lead state provides most of the forces and all the heavy airlift: without its backing
                # (unless it is itself a party) help is not tabled.
                lead = self.params.lead_state
                providers = [v.iso3 for v in votes if v.stance == "support" and v.iso3 not in parties]
                lead_backs = lead in parties or lead in providers
                if not providers or not lead_backs:
                    self.out.rounds.append(
                        {
                            "level": level,
                            "votes": {v.iso3: v.stance for v in votes},
                            "adopted": False,
                            "tabled": False,
                        }
                    )
                    why = (
                        "the lead state does not back it"
                        if providers
                        else "no member besides the parties backs it"
                    )
                    self.note(f"{level.capitalize()} is not tabled: {why}")
                    continue
            if procedure != "statement" and not self.act("propose", convener, CASE, level=level):
                continue
            for v in votes:
                if v.iso3 in self.frozen:
                    continue  # the engine records a frozen member as standing aside
                reason = v.reasons[0].factor.replace("_", " ") if v.reasons else ""
                self.act("vote", v.iso3, CASE, position=v.stance, reason=reason)
            self.advance(per_round)
            closed = self.act("close", convener, CASE)
            record: dict[str, Any] = {"level": level, "votes": {v.iso3: v.stance for v in votes}}
            final_votes = votes
            if closed and closed[-1].type == "DecisionAdopted":
                record["adopted"] = True
                self.out.rounds.append(record)
                self.out.level, self.out.adopted = level, True
                self.out.hours_to_decision = self.hours()
                d = closed[-1].data
                self.note(
                    f"Decision adopted: {level} ({len(d['support'])} support, {len(d['stand_aside'])} stand aside, "
                    f"{len(d['object'])} object)"
                )
                break
            record["adopted"] = False
            self.out.rounds.append(record)
            why = closed[-1].data["reason"] if closed else "the round could not be closed"
            self.note(f"No decision on {level}: {why}")
        self.out.votes = final_votes
        if not self.out.adopted:
            if not self.withdrawn:
                self.act("conclude", convener, CASE, summary="no decision")
            self.out.hours_to_decision = self.hours()
            self.note("The case is closed without a decision")
            return self.out
        if self.out.level == "deployment":
            self.deploy(final_votes, convener)
        return self.out

    def votes(self, level: str, feats: CrisisFeatures, entitled: list[str]) -> list[MemberVote]:
        out = member_votes(self.params, self.draw, level, feats, entitled)
        for s in self.frozen:
            out.append(frozen_vote(s, level))
        return out

    # ------------------------------------------------------------------ deployment
    def deploy(self, votes: list[MemberVote], convener: str) -> None:
        sc, tm = self.sc, self.params.timing
        forces = self.engine.world.view().forces
        plan = tasking(forces, self.params, sc, votes)
        if plan is None:
            return
        force_id, contributions = plan
        force = next((f for f in forces if f.id == force_id), None)
        if not contributions:
            self.note("No member offers forces")
            return
        self.advance(0.5)
        if not self.act("task_forces", "joint_staff", CASE, force=force_id, contributions=contributions):
            return
        self.out.force = force_id
        self.out.forces = dict(contributions)
        self.out.vehicles = {k: round(v * tm.vehicles_per_person) for k, v in contributions.items()}
        self.note(
            f"Forces tasked to {force.name if force else force_id}: {sum(contributions.values()):,} personnel"
        )
        self.act("order_deployment", "joint_staff", DEPLOY, decision=CASE)
        decided = self.t
        readiness_shift = tm.readiness_hours_sd * self.draw.timing[2]
        arrivals = self.planned_arrivals(contributions, force_id, decided, readiness_shift)
        if arrivals is None:
            arrivals = self.provisional_arrivals(contributions, decided, readiness_shift)
        arrivals.sort()
        for i, (at, state, k) in enumerate(arrivals):
            self.t = max(self.t, at)
            veh = round(k * tm.vehicles_per_person)
            self.act(
                "arrive",
                "joint_staff",
                DEPLOY,
                state=state,
                personnel=k,
                vehicles=veh,
                airfield=sc.destination_airfield,
            )
            if i == 0:
                self.out.first_units_hours = self.hours()
                self.note(f"First units land ({state}, {k:,} personnel)")
                self.advance(1.0)
                self.act("begin_operations", "joint_staff", DEPLOY)
        self.out.all_in_hours = self.hours()
        self.note(f"All {sum(contributions.values()):,} personnel on the ground")
        self.advance(tm.mission_days * 24)
        self.act("begin_withdrawal", sc.location.state, DEPLOY, reason="mission completed")
        self.note("Withdrawal begins")
        for state, n in contributions.items():
            self.advance(6)
            self.act("depart", "joint_staff", DEPLOY, state=state, personnel=n)
        self.act("complete_withdrawal", "joint_staff", DEPLOY)
        self.note("Withdrawal complete")

    def planned_arrivals(
        self, contributions: dict[str, int], force_id: str, decided: dt.datetime, shift: float
    ) -> list[tuple[dt.datetime, str, int]] | None:
        """Arrivals from the airlift planner (the plan is cached per tasking; readiness noise shifts it)."""
        sc = self.sc
        if not sc.destination_airfield:
            return None
        plan = cached_plan(self.ds, tuple(sorted(contributions.items())), sc.destination_airfield, force_id)
        if plan is None:
            return None
        self.out.plan = plan
        out: list[tuple[dt.datetime, str, int]] = []
        for t, state, n in plan:
            out.append((decided + dt.timedelta(hours=max(0.5, t + shift)), state, n))
        return out

    def provisional_arrivals(
        self, contributions: dict[str, int], decided: dt.datetime, shift: float
    ) -> list[tuple[dt.datetime, str, int]]:
        """Without a destination airfield: capitals to the place, at the 2022 air bridge's average rate."""
        params, tm = self.params, self.params.timing
        dest = self.destination()
        readiness = max(1.0, tm.readiness_hours + shift)
        ready: list[tuple[dt.datetime, str, int]] = []
        lead_home = self.origin(params.lead_state)
        for state, n in contributions.items():
            origin = self.origin(state)
            flight = haversine_km(origin, dest) / tm.cruise_kmh if origin and dest else 4.0
            prof = params.member(state)
            # A real vote (1) costs the full delay; a formality (0.5) or none (0) costs nothing.
            approval = tm.approval_hours * max(0.0, 2 * (prof.parliament_approval.value if prof else 0.0) - 1)
            wait = readiness + approval
            if state != params.lead_state and origin and lead_home:
                # The smaller contingents fly in the lead state's aircraft, which must first reach them.
                wait = max(wait, readiness + haversine_km(lead_home, origin) / tm.cruise_kmh)
            ready.append((decided + dt.timedelta(hours=wait + flight), state, n))
        ready.sort(key=lambda r: (r[0], r[1] != params.lead_state, r[1]))
        per_day = tm.sorties_per_day * tm.seats_per_sortie
        free_at = decided
        arrivals: list[tuple[dt.datetime, str, int]] = []
        for at, state, n in ready:
            start = max(at, free_at)
            left, k = n, 0
            while left > 0:
                chunk = min(left, int(per_day) if k else max(1, int(per_day / 4)))
                arrivals.append((start + dt.timedelta(hours=24.0 * k if k else 0.0), state, chunk))
                left -= chunk
                k += 1
            free_at = start + dt.timedelta(hours=24.0 * n / per_day)
        return arrivals

    def destination(self) -> tuple[float, float] | None:
        sc = self.sc
        if sc.destination_airfield:
            af = next((a for a in self.ds.airfields if a.id == sc.destination_airfield), None)
            if af and af.lat is not None and af.lon is not None:
                return (af.lat, af.lon)
        if sc.location.lat is not None and sc.location.lon is not None:
            return (sc.location.lat, sc.location.lon)
        st = self.ds.state(sc.location.state)
        if st and st.capital.lat is not None and st.capital.lon is not None:
            return (st.capital.lat, st.capital.lon)
        return None

    def origin(self, iso3: str) -> tuple[float, float] | None:
        st = self.ds.state(iso3)
        if st and st.capital.lat is not None and st.capital.lon is not None:
            return (st.capital.lat, st.capital.lon)
        return None


_PLANS: dict[tuple[Any, ...], list[tuple[float, str, int]] | None] = {}


def cached_plan(
    ds: Dataset, contributions: tuple[tuple[str, int], ...], dest: str, force: str
) -> list[tuple[float, str, int]] | None:
    """(hours after the order, state, personnel) of every arrival in the airlift plan for this tasking."""
    key = (ds.directory, contributions, dest, force)
    if key not in _PLANS:
        from csto.errors import CstoError
        from csto.logistics import load_logistics, loads_for, plan_airlift

        try:
            lg = load_logistics(ds)
            plan = plan_airlift(ds, lg, loads_for(lg, dict(contributions), dest, force=force))
        except CstoError:
            _PLANS[key] = None
        else:
            arr = [(s.arrive_h, s.state, s.personnel) for s in plan.sorties if s.personnel]
            arr += [(r["arrive_h"], r["state"], r["personnel"]) for r in plan.road_moves]
            _PLANS[key] = sorted(arr)
    return _PLANS[key]


def run_trial(ds: Dataset, params: PolicyParams, sc: Scenario, draw: Draw) -> TrialOutcome:
    """One run of the crisis through the engine with the given draws."""
    return _Run(ds, params, sc, draw).run()


def prepare(ds: Dataset, params: PolicyParams, sc: Scenario, draw: Draw) -> Prepared | None:
    """The set-up steps alone (for the vectorized kernel, which takes over from the first proposal)."""
    return _Run(ds, params, sc, draw).prepare()


# ---------------------------------------------------------------------- for rooms that seat people
def request_params(sc: Scenario) -> dict[str, Any]:
    """The parameters of the scenario's request for assistance (the same a trial lodges)."""
    return {
        "article": sc.request.article,
        "attacked": sc.location.state,
        "kind": sc.kind,
        "aggressor": sc.aggressor.state or sc.aggressor.name,
        "aggressor_is_member": sc.aggressor.member,
        "recognised_territory": sc.location.recognised_territory,
        "framed_as_armed_attack": sc.framed_as_armed_attack,
        "region": sc.location.region,
        "framing": sc.framing,
    }


def crisis_features(
    engine: Engine, sc: Scenario, at: dt.datetime, article: str, chair: str | None
) -> CrisisFeatures:
    """The crisis as the member models see it on ``engine``'s world at ``at``: features, never its name."""
    sit = engine.world.situation(at)
    covered = art4_scope(
        sit,
        sc.kind,
        aggressor_is_member=sc.aggressor.member,
        recognised_territory=sc.location.recognised_territory,
        framed_as_armed_attack=sc.framed_as_armed_attack,
    ).ok
    return CrisisFeatures(
        kind=sc.kind,
        location_state=sc.location.state,
        recognised_territory=sc.location.recognised_territory,
        aggressor_state=sc.aggressor.state,
        aggressor_is_member=sc.aggressor.member,
        non_state=sc.aggressor.non_state,
        article=article,
        requester=sc.request.state,
        covered=covered,
        framed_as_armed_attack=sc.framed_as_armed_attack,
        intensity=sc.intensity,
        lead_state_at_war=sc.context.lead_state_at_war,
        chair=chair,
        personnel=personnel_of(engine.dataset),
    )


def tasking(
    forces: Sequence[Force], params: PolicyParams, sc: Scenario, votes: list[MemberVote]
) -> tuple[str, dict[str, int]] | None:
    """(force id, personnel by state) a deployment would task from the supporters' offers (``forces``: those
    existing that day); None when the policy names no force for this kind of crisis."""
    choice = next((f for f in params.forces if f.kind == sc.kind), None)
    if choice is None:
        return None
    force_id = choice.force
    if choice.central_asia_force and sc.location.state in params.central_asia:
        force_id = choice.central_asia_force
    force = next((f for f in forces if f.id == force_id), None)
    strength = force.registered_strength.value if force and force.registered_strength else 2000.0
    needed = sc.force_size or max(
        100, int(round(choice.share_of_strength * sc.intensity * strength / 10) * 10)
    )
    offers = {v.iso3: v.offer for v in votes if v.stance == "support" and v.offer > 0}
    return force_id, split_force(offers, params.lead_state, needed)


def member_votes(
    params: PolicyParams, draw: Draw, level: str, feats: CrisisFeatures, entitled: list[str]
) -> list[MemberVote]:
    """Every entitled member's stance on ``level``: the lead state first, the others knowing its stance."""
    lead = params.lead_state
    lead_vote = member_vote(lead, level, feats, params, draw) if lead in entitled else None
    stance = lead_vote.stance if lead_vote else None
    out = [lead_vote] if lead_vote else []
    for s in entitled:
        if s != lead:
            out.append(member_vote(s, level, feats, params, draw, stance))
    return out


def arrival_schedule(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    contributions: dict[str, int],
    force_id: str,
    decided: dt.datetime,
) -> list[tuple[dt.datetime, str, int]]:
    """When each contingent lands: the airlift plan where there is one, else the provisional timing."""
    run = _Run(ds, params, sc, nominal_draw(params))
    arrivals = run.planned_arrivals(contributions, force_id, decided, 0.0)
    if arrivals is None:
        arrivals = run.provisional_arrivals(contributions, decided, 0.0)
    return sorted(arrivals)
