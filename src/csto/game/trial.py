"""A trial: the crisis game with model players in every seat and chance at the clock.

``play`` drives the state through the sequence's beats: when a beat is not yet due, chance moves the
clock to it (landing arrivals and injects on the way); otherwise the seat's player moves. A refused
move is recorded and the sequence moves past it. ``TrialOutcome`` is read from the play's events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from csto.events import describe
from csto.game.arrivals import cached_plan
from csto.game.moves import ADVANCE_CLOCK, Move
from csto.game.players import ModelPlayer
from csto.game.scenario import Scenario
from csto.game.seats import CONTROL
from csto.game.state import FLOOR, CrisisGame, CrisisState
from csto.model import Dataset
from csto.policy import Draw, MemberVote, PolicyParams
from csto.rules import RefusedError

#: Events a trial's narrative leaves out (bookkeeping, not what happened in the crisis).
QUIET = frozenset(
    {"WorldOpened", "ExerciseOpened", "ClockAdvanced", "ArrivalsPlanned", "VoteCast", "ProposalTabled"}
)
#: More beats than any crisis takes: a guard against a sequence that never ends.
MAX_BEATS = 10_000


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


def play(state: CrisisState, player: ModelPlayer, until: Callable[[CrisisState], bool] | None = None) -> None:
    """Play ``state`` to its end (or until ``until`` holds) with ``player`` at every seat and chance at the
    clock."""
    for _ in range(MAX_BEATS):
        beat = state.pending()
        if beat is None or (until is not None and until(state)):
            return
        if beat.not_before is not None and beat.not_before > state.clock:
            state.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"to": beat.not_before}))
            continue
        if beat.initiative and not player.takes_initiative(state, beat):
            state.declined.add((beat.seat, beat.kind))
            continue
        try:
            state.apply(player.choose(state, beat))
        except RefusedError:
            continue  # recorded by the state; the sequence moves past it
    raise RuntimeError(f"the crisis did not end after {MAX_BEATS} steps ({state.scenario.id})")


def run_trial(
    ds: Dataset, params: PolicyParams, sc: Scenario, draw: Draw, narrate: bool = True
) -> TrialOutcome:
    """One run of the crisis through the game with the given draws (``narrate``: with its timeline in words,
    which a Monte Carlo that only counts outcomes can do without)."""
    state = CrisisGame(ds, sc, params).new_initial_state(draw)
    player = ModelPlayer(params, draw)
    play(state, player)
    return outcome_of(state, player, narrate)


def outcome_of(state: CrisisState, player: ModelPlayer, narrate: bool = True) -> TrialOutcome:
    """The trial's record, read from its events and the model's soundings."""
    out = TrialOutcome(level="none", adopted=False, hours_to_decision=None)
    c = state.case
    out.refusals = [r.to_dict() for r in state.refusals]
    out.timeline = _narrative(state, player) if narrate else []
    if c is None:
        return out
    results = [e for e in c.history if e.type in ("DecisionAdopted", "DecisionFailed")]
    tabled = [s for s in player.soundings if s.tabled]
    for s in player.soundings:
        rec: dict[str, Any] = {
            "level": s.level,
            "votes": {v.iso3: v.stance for v in s.votes},
            "adopted": False,
        }
        if not s.tabled:
            rec["tabled"] = False
        elif tabled.index(s) < len(results):
            rec["adopted"] = results[tabled.index(s)].type == "DecisionAdopted"
        out.rounds.append(rec)
    if c.kind == "statement" and c.ballot.rounds and not player.soundings:
        votes = player.votes(state, "statement")
        passed = any(e.type == "DecisionAdopted" for e in c.history)
        out.rounds.append(
            {"level": "statement", "votes": {v.iso3: v.stance for v in votes}, "adopted": passed}
        )
    if tabled:
        out.votes = list(tabled[-1].votes)
    elif c.kind == "statement" and c.ballot.rounds:
        out.votes = list(player.votes(state, "statement"))
    convened = any(e.type == "SessionConvened" for e in c.history)
    decision = next((e for e in c.history if e.type == "DecisionAdopted"), None)
    if decision is not None:
        out.level, out.adopted = state.outcome, True
        out.hours_to_decision = state.hours(decision.at)
    elif convened:
        out.hours_to_decision = state.hours(c.history[-1].at)
    d = state.deployment
    if d is not None:
        tasked = next(e for e in c.history if e.type == "ForcesTasked")
        out.force = str(tasked.data["force"])
        out.forces = {str(k): int(v) for k, v in tasked.data["contributions"].items()}
        tm = state.params.timing
        out.vehicles = {k: round(v * tm.vehicles_per_person) for k, v in out.forces.items()}
        arrivals = [e for e in d.history if e.type == "UnitsArrived"]
        if arrivals:
            out.first_units_hours = state.hours(arrivals[0].at)
            out.all_in_hours = state.hours(arrivals[-1].at)
        if state.scenario.destination_airfield:
            out.plan = cached_plan(
                state.dataset,
                tuple(sorted(out.forces.items())),
                state.scenario.destination_airfield,
                out.force,
            )
    return out


def _narrative(state: CrisisState, player: ModelPlayer) -> list[tuple[float, str]]:
    lines: list[tuple[float, str]] = []
    refusals = list(state.refusals)
    for i, e in enumerate(state.events):
        while refusals and refusals[0].after <= i:
            r = refusals.pop(0)
            lines.append(
                (
                    state.hours(e.at),
                    f"{r.seat} {r.kind.replace('_', ' ')} refused under {r.article}: {r.reason}",
                )
            )
        if e.type not in QUIET:
            lines.append((state.hours(e.at), describe(e.type, e.data)))
    for r in refusals:
        lines.append(
            (
                state.hours(state.clock),
                f"{r.seat} {r.kind.replace('_', ' ')} refused under {r.article}: {r.reason}",
            )
        )
    for s in player.soundings:
        if not s.tabled:
            lines.append((_sounded_at(state, s), f"{s.level.capitalize()} is not tabled: {s.why}"))
    lines.sort(key=lambda x: x[0])
    return lines


def _sounded_at(state: CrisisState, s: Any) -> float:
    c = state.case
    convened = next((e for e in c.history if e.type == "SessionConvened"), None) if c is not None else None
    return state.hours(convened.at) if convened is not None else 0.0
