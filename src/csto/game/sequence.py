"""The crisis sequence, written once: lodge, convene, propose, vote, close, task, order, arrive, operate,
withdraw. ``next_beat`` reads the state and says which seat the crisis waits on, for which step, and
from when (chance sets the delays).

The trial driver plays these beats with model players; the room shows them as what is expected and
lets people take any legal move instead. It never decides whether a step is allowed: the engine's
procedures and rules do, and a refused step is recorded and the sequence moves past it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csto.game.chance import DEPARTURE_INTERVAL_H, OPERATIONS_DELAY_H, TASKING_DELAY_H
from csto.game.features import belligerents, request_params
from csto.game.seats import JOINT_STAFF, SECRETARIAT
from csto.model import RESPONSE_LADDER
from csto.rules.defence import response_ceiling

if TYPE_CHECKING:
    from csto.game.state import CrisisState

#: The case ids of the crisis and of its deployment.
CASE = "crisis"
DEPLOY = "crisis-deployment"
#: Rungs that send help: tabled only after soundings find providers (see ``players``).
HELP_LEVELS = ("assistance", "deployment")


@dataclass(frozen=True)
class Beat:
    """What the crisis waits on: ``seat`` to take ``kind`` on ``case``, not before ``not_before``."""

    seat: str
    kind: str
    case: str
    params: dict[str, Any] = field(default_factory=dict)
    not_before: dt.datetime | None = None
    why: str = ""
    #: a step a seat may take on its own initiative (no one asked for it): the player decides whether to
    initiative: bool = False

    @property
    def automatic(self) -> bool:
        """Whether a model-held seat plays this beat as soon as it is due even where people hold other
        seats (the room): votes, the withdrawal of a withdrawn request, and the deployment's own steps.
        The Council's steps, the lodging of the request and the tasking stay with Control."""
        return self.kind in AUTOMATIC

    @property
    def phase(self) -> str:
        """The crisis' phase while it waits on this beat, in a few words for the room."""
        return PHASES.get(self.kind, f"awaiting {self.kind.replace('_', ' ')}")


#: Beats a model-held seat plays as soon as they fall due (see ``Beat.automatic``).
AUTOMATIC = frozenset(
    {
        "vote",
        "withdraw_request",
        "order_deployment",
        "arrive",
        "begin_operations",
        "begin_withdrawal",
        "depart",
    }
    | {"complete_withdrawal"}
)
#: The phase of the crisis while the sequence waits on a step of this kind.
PHASES = {
    "request_assistance": "awaiting request",
    "request_consultation": "awaiting request",
    "draft_statement": "awaiting request",
    "convene": "request lodged: convene the Council",
    "propose": "in session: table a proposal",
    "vote": "in session: vote open",
    "close": "in session: vote open",
    "withdraw_request": "request withdrawn: the requester withdraws",
    "task_forces": "deployment decided: task the forces",
}


def _h(hours: float) -> dt.timedelta:
    return dt.timedelta(hours=hours)


@dataclass(frozen=True)
class Opening:
    """One way the crisis case may be opened: ``seat`` takes ``kind`` with ``params``; ``initiative`` when
    nobody asked for it (the seat decides whether to)."""

    seat: str
    kind: str
    params: dict[str, Any]
    initiative: bool = False
    why: str = ""

    def __iter__(self) -> Any:  # (seat, kind, params), as the room's legal moves read it
        return iter((self.seat, self.kind, self.params))


def lodging(st: CrisisState) -> list[Opening]:
    """Who may open the crisis case, in order: the request the scenario states, if it went to the
    organization itself (under Art. 4, or consultations under Art. 2 or no article); then, as moves of their
    own initiative, consultations asked by the chair (any member may ask, CST Art. 2) and a draft statement
    by the Secretariat (Charter Art. 9). Nothing else is lodged: an appeal to one ally, to the UN or to
    nobody opens no procedure."""
    sc = st.scenario
    r = sc.request
    out: list[Opening] = []
    if r.to_organization and r.state is not None:
        if r.article == "art4":
            out.append(
                Opening(r.state, "request_assistance", request_params(sc), why="the request is lodged")
            )
        # Art. 2 is the consultation article: an Art. 2 request, a request citing no article, and the
        # fallback of a refused Art. 4 request all open the one consultation procedure
        out.append(
            Opening(
                r.state,
                "request_consultation",
                {"subject": sc.title, "threat": sc.framing or sc.kind},
                why="the requester asks for consultations (Art. 2)",
            )
        )
    chair = st.chair()
    if chair and st.engine.world.statuses.get(chair) == "member" and chair not in parties(st):
        out.append(
            Opening(
                chair,
                "request_consultation",
                {"subject": sc.title, "threat": sc.framing or sc.kind},
                initiative=True,
                why="the chair may ask for consultations on its own initiative",
            )
        )
    out.append(
        Opening(
            SECRETARIAT,
            "draft_statement",
            {"subject": sc.title, "text": "call for calm and restraint"},
            initiative=True,
            why="the Secretariat may circulate a draft statement on its own initiative",
        )
    )
    return out


def ceiling(st: CrisisState) -> str:
    """The highest rung the lodged case allows (the rules' ``response_ceiling``)."""
    c = st.case
    if c is None:
        return "none"
    request = getattr(c, "request", None) or {}
    article = request.get("article") if c.kind == "assistance" else None
    asked = request.get("requester") == st.scenario.request.state and st.scenario.request.to_organization
    return response_ceiling(st.engine.world.situation(), c.kind, article, asked, consents(st))


def ceiling_of(st: CrisisState, opening: Opening) -> str:
    """The highest rung the case ``opening`` would open may reach."""
    kind = {"request_assistance": "assistance", "request_consultation": "consultation"}.get(
        opening.kind, "statement"
    )
    return response_ceiling(
        st.engine.world.situation(), kind, opening.params.get("article"), not opening.initiative, consents(st)
    )


def consents(st: CrisisState) -> bool:
    """Whether the member at the centre of the crisis would receive a mission it did not ask the organization
    for: the crisis is on its territory and it sought help elsewhere (from an ally or the UN)."""
    r = st.scenario.request
    where = st.scenario.location.state
    return (
        st.engine.world.statuses.get(where) == "member"
        and r.state == where
        and r.addressed_to in ("ally", "lead_state", "un")
    )


def rungs_below(cap: str) -> list[str]:
    """The rungs that may be proposed under ``cap``, from the top down."""
    rungs = [lv for lv in reversed(RESPONSE_LADDER) if lv != "none"]
    return rungs[rungs.index(cap) :] if cap in rungs else []


def ladder(st: CrisisState) -> list[str]:
    """The rungs that may be proposed, from the ceiling down."""
    return rungs_below(ceiling(st))


def lodged_article(st: CrisisState) -> str:
    """The article the lodged case stands on: the request's, consultations asked by the member at the centre
    (Art. 2), or none (a case opened on someone's own initiative, or a draft statement)."""
    c = st.case
    if c is None:
        return "none"
    request = getattr(c, "request", None) or {}
    if c.kind == "assistance":
        return str(request.get("article", "none"))
    r = st.scenario.request
    if c.kind == "consultation" and r.to_organization and request.get("requester") == r.state:
        return "art2"
    return "none"


def host(st: CrisisState) -> str:
    """The state that receives a deployment and ends it: the member that asked the organization for help
    (NATO's reinforcement of an ally whose troops were hit abroad goes to the ally), else the crisis' place."""
    r = st.scenario.request
    if r.to_organization and r.state is not None:
        return r.state
    return st.scenario.location.state


def parties(st: CrisisState) -> set[str]:
    """The states fighting in the crisis (see ``features.belligerents``)."""
    return set(belligerents(st.scenario)[0])


def convener(st: CrisisState) -> str:
    """The Council's chair convenes, unless it is a party or takes no part; then the Secretariat."""
    chair = st.chair()
    if chair and st.engine.world.statuses.get(chair) == "member" and chair not in parties(st):
        return chair
    return SECRETARIAT


def voters(st: CrisisState) -> list[str]:
    """Who votes in the open session: the lead state first, then the others in the Council's order."""
    c = st.case
    if c is None:
        return []
    b = c.ballot
    entitled = [s for s in b.entitled if s not in b.frozen]
    lead = st.params.lead_state
    return ([lead] if lead in entitled else []) + [s for s in entitled if s != lead]


def _last_of(st: CrisisState, case: Any, *types: str) -> Any:
    """The case's last event of one of ``types`` (None when there is none), from the state's index."""
    at = st.last_index(case.stream, *types)
    return st.events[at] if at >= 0 else None


def next_beat(st: CrisisState) -> Beat | None:
    """The step the crisis waits on now, or None when it is over (or stuck after a refusal)."""
    c = st.case
    if c is None:
        for o in lodging(st):
            if not st.refused(o.seat, o.kind, CASE) and (o.seat, o.kind) not in st.declined:
                return Beat(o.seat, o.kind, CASE, o.params, why=o.why, initiative=o.initiative)
        return None
    if c.step == "to_task" or c.is_terminal:
        return _after_decision(st)
    who = convener(st)
    convened = _last_of(st, c, "SessionConvened")
    if convened is None:
        if st.refused(who, "convene", CASE):
            return None
        council = st.engine.world.situation().top_council()
        return Beat(
            who,
            "convene",
            CASE,
            {"body": council, "format": st.scenario.context.session_format},
            c.opened_at + _h(st.delays.session) if c.opened_at else None,
            "the Council meets once its members can gather",
        )
    b = c.ballot
    if st.inject_seen("request_withdrawn") and not b.positions:
        requester = st.scenario.request.state
        if c.kind != "statement" and requester and not st.refused(requester, "withdraw_request", CASE):
            return Beat(requester, "withdraw_request", CASE, {"reason": "request withdrawn"})
        return None
    if b.proposal and not st.refused(who, "close", CASE):
        for s in voters(st):
            if s not in b.positions and not st.refused(s, "vote", CASE):
                return Beat(s, "vote", CASE, why="a proposal is on the table")
        tabled = _last_of(st, c, "ProposalTabled", "SessionConvened")
        return Beat(
            who,
            "close",
            CASE,
            not_before=tabled.at + _h(st.delays.per_round(len(ladder(st)))),
            why="every member has stated its position",
        )
    return Beat(who, "propose", CASE, why="the convener tables the next rung, or concludes")


def _after_decision(st: CrisisState) -> Beat | None:
    c = st.case
    assert c is not None
    if c.step == "to_task":
        if st.refused(JOINT_STAFF, "task_forces", CASE):
            return None
        plan = st.tasking()
        if plan is None or not plan[1]:
            return None
        adopted = _last_of(st, c, "DecisionAdopted")
        return Beat(
            JOINT_STAFF,
            "task_forces",
            CASE,
            {"force": plan[0], "contributions": plan[1]},
            adopted.at + _h(TASKING_DELAY_H),
            "a decision to deploy is tasked to a force",
        )
    if c.step != "tasked":
        return None
    d = st.deployment
    if d is None:
        if st.refused(JOINT_STAFF, "order_deployment", DEPLOY):
            return None
        dest = st.scenario.destination_airfield or host(st)
        return Beat(JOINT_STAFF, "order_deployment", DEPLOY, {"decision": CASE, "destination": dest})
    return _deployment(st)


def _deployment(st: CrisisState) -> Beat | None:
    d = st.deployment
    assert d is not None
    if d.is_terminal:
        return None
    schedule = st.schedule()
    arrived = [e for e in d.history if e.type == "UnitsArrived"]
    begun = _last_of(st, d, "OperationsBegun")
    if arrived and begun is None:
        return Beat(
            JOINT_STAFF,
            "begin_operations",
            DEPLOY,
            not_before=arrived[0].at + _h(OPERATIONS_DELAY_H),
            why="operations begin once the first units have landed",
        )
    if len(arrived) < len(schedule):
        at, state, n = schedule[len(arrived)]
        return Beat(JOINT_STAFF, "arrive", DEPLOY, st.arrival_params(state, n), at, "the airlift plan")
    withdrawing = _last_of(st, d, "WithdrawalBegun")
    last = d.history[-1].at
    if withdrawing is None:
        return Beat(
            host(st),
            "begin_withdrawal",
            DEPLOY,
            {"reason": "mission completed"},
            last + _h(st.delays.mission),
            "the mission's term ends",
        )
    gone = {str(e.data["state"]) for e in d.history if e.type == "UnitsDeparted"}
    for state, n in d.tasked.items():
        if state not in gone:
            return Beat(
                JOINT_STAFF,
                "depart",
                DEPLOY,
                {"state": state, "personnel": n},
                last + _h(DEPARTURE_INTERVAL_H),
                "contingents leave one after another",
            )
    return Beat(JOINT_STAFF, "complete_withdrawal", DEPLOY)
