"""The crisis game: seats, legal moves, apply, the clock and chance, replay, and refusals that name the
seat, the move and the article."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from csto.game import (
    ADVANCE_CLOCK,
    CASE,
    CONTROL,
    DEPLOY,
    FLOOR,
    Beat,
    CrisisGame,
    CrisisState,
    IllegalMove,
    ModelPlayer,
    Move,
    play,
    run_trial,
)
from csto.game.trial import outcome_of
from csto.model import Dataset
from csto.policy import PolicyParams, nominal_draw
from csto.policy.model import draw_at, sample_draws
from csto.procedures import PROCEDURES, Engine
from csto.rules import RefusedError


def keys(state: CrisisState, seat: str) -> set[str]:
    return {o.key for o in state.legal_moves(seat)}


def test_the_requester_is_expected_to_lodge_first_and_nobody_else_can_lodge_the_crisis(
    kz: CrisisGame,
) -> None:
    st = kz.new_initial_state()
    beat = st.pending()
    assert beat is not None and (beat.seat, beat.kind, beat.case) == ("KAZ", "request_assistance", CASE)
    expected = [o for o in st.legal_moves("KAZ") if o.expected]
    assert [o.key for o in expected] == [f"request_assistance@{CASE}"]
    assert f"request_assistance@{CASE}" not in keys(st, "RUS")
    assert st.clock == kz.scenario.request_time.astimezone(dt.UTC)


def test_a_move_through_apply_returns_its_events_and_moves_the_sequence_on(kz: CrisisGame) -> None:
    st = kz.new_initial_state()
    option = next(o for o in st.legal_moves("KAZ") if o.expected)
    events = st.apply(option.move())
    assert [e.type for e in events] == ["RequestLodged"]
    beat = st.pending()
    assert beat is not None and beat.kind == "convene" and beat.seat == "ARM"  # the chair in 2022
    assert beat.not_before is not None and beat.not_before > st.clock  # the Council needs time to gather


def test_a_seat_that_does_not_exist_is_named_with_the_move(kz: CrisisGame) -> None:
    st = kz.new_initial_state()
    with pytest.raises(IllegalMove) as err:
        st.apply(Move("XXX", "vote", CASE, {"position": "support"}))
    assert "XXX" in err.value.message and err.value.field == "seat"


def test_an_out_of_order_move_is_refused_under_the_article_naming_seat_and_move(kz: CrisisGame) -> None:
    st = kz.new_initial_state()
    st.apply(next(o for o in st.legal_moves("KAZ") if o.expected).move())
    with pytest.raises(RefusedError) as err:
        st.option("RUS", "vote", CASE)
    assert "Art." in err.value.refused.article  # the article that orders the request's steps
    assert "RUS cannot vote on 'crisis' now" in err.value.refused.reason


def test_a_refused_move_is_recorded_and_changes_nothing(kz: CrisisGame) -> None:
    st = kz.new_initial_state()
    st.apply(next(o for o in st.legal_moves("KAZ") if o.expected).move())
    before = len(st.events)
    with pytest.raises(RefusedError):
        st.apply(Move("RUS", "vote", CASE, {"position": "support", "reason": "x"}))
    assert len(st.events) == before
    assert st.refusals[-1].seat == "RUS" and st.refusals[-1].kind == "vote" and st.refusals[-1].article


def test_only_control_moves_the_clock(kz: CrisisGame) -> None:
    st = kz.new_initial_state()
    with pytest.raises(IllegalMove):
        st.apply(Move("KAZ", ADVANCE_CLOCK, FLOOR, {"hours": 1}))


def test_the_clock_lands_exactly_where_it_was_sent(kz: CrisisGame) -> None:
    st = kz.new_initial_state()
    start = st.clock
    for _ in range(4):
        st.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"hours": 6}))
    assert st.clock == start + dt.timedelta(hours=24)


def test_a_clock_step_out_of_range_is_refused_by_the_floor(kz: CrisisGame) -> None:
    st = kz.new_initial_state()
    with pytest.raises(RefusedError) as err:
        st.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"hours": 0}))
    assert err.value.refused.rule == "floor-clock"


def test_a_trial_is_the_game_with_model_players_in_every_seat(kz: CrisisGame, params: PolicyParams) -> None:
    draw = nominal_draw(params)
    st = kz.new_initial_state(draw)
    player = ModelPlayer(params, draw)
    play(st, player)
    assert st.is_terminal and st.outcome == "deployment"
    types = [e.type for e in st.events]
    for step in ("RequestLodged", "SessionConvened", "ProposalTabled", "VoteCast", "DecisionAdopted"):
        assert step in types
    for step in ("ForcesTasked", "DeploymentOrdered", "ArrivalsPlanned", "UnitsArrived", "OperationsBegun"):
        assert step in types
    assert "ForcesWithdrawn" in types and st.deployment.is_terminal
    out = outcome_of(st, player)
    assert out == run_trial(kz.dataset, params, kz.scenario, draw)
    # every arrival of the recorded plan landed, each at its time or later (never before)
    arrivals = [e for e in st.events if e.type == "UnitsArrived"]
    assert len(arrivals) == len(st.schedule())
    assert all(e.at >= at for e, (at, _, _) in zip(arrivals, st.schedule(), strict=True))


def test_chance_sets_when_the_council_meets(kz: CrisisGame, ds: Dataset, params: PolicyParams) -> None:
    members = sorted(s.iso3 for s in ds.states)
    arrays = sample_draws(np.random.default_rng(5), params, members, 3)
    times = set()
    for i in range(3):
        st = kz.new_initial_state(draw_at(arrays, members, i))
        st.apply(next(o for o in st.legal_moves("KAZ") if o.expected).move())
        beat = st.pending()
        assert beat is not None and beat.not_before is not None
        times.add(beat.not_before)
    assert len(times) == 3


def test_the_state_rebuilt_from_its_events_offers_the_same_moves(
    kz: CrisisGame, params: PolicyParams
) -> None:
    draw = nominal_draw(params)
    st = kz.new_initial_state(draw)
    player = ModelPlayer(params, draw)
    play(st, player, until=lambda s: s.case is not None and bool(s.case.ballot.proposal))
    engine = Engine(kz.dataset)
    engine.replay(st.events)
    again = CrisisState(kz, engine, draw)
    assert again.pending() == st.pending()
    for seat in ("KAZ", "RUS", "secretariat", "control", "joint_staff"):
        assert keys(again, seat) == keys(st, seat)


def test_scripted_injects_are_played_when_the_clock_passes_them(ds: Dataset, params: PolicyParams) -> None:
    from csto.sim.catalog import bundled

    sc = next(s for s in bundled(ds) if s.injects)
    st = CrisisGame(ds, sc, params).new_initial_state()
    last = max(i.t_hours for i in sc.injects)
    st.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"hours": last + 1}))
    made = [e for e in st.events if e.type == "InjectMade"]
    assert [e.data["text"] for e in made] == [i.text for i in sorted(sc.injects, key=lambda i: i.t_hours)]
    # played once: moving on plays none of them again
    st.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"hours": 1}))
    assert len([e for e in st.events if e.type == "InjectMade"]) == len(made)


def test_every_procedure_of_the_engine_is_reachable_through_moves(
    kz: CrisisGame, params: PolicyParams
) -> None:
    st = kz.new_initial_state()
    offered = {o.kind for seat in [*st.seats(), "UZB"] for o in st.legal_moves(seat)}
    for kind, cls in PROCEDURES.items():
        if kind == "floor":
            continue
        opener = sorted(cls.starts)
        reached = any(k in offered for k in opener)
        if not reached and kind == "deployment":  # ordered after a tasking: play to it
            draw = nominal_draw(params)
            play(st, ModelPlayer(params, draw), until=lambda s: s.deployment is not None)
            reached = st.deployment is not None and st.deployment.case == DEPLOY
        assert reached, f"no seat is offered a move that opens a {kind} case ({opener})"


def test_the_model_player_gives_its_reasons(kz: CrisisGame, params: PolicyParams) -> None:
    draw = nominal_draw(params)
    st = kz.new_initial_state(draw)
    player = ModelPlayer(params, draw)
    play(st, player, until=lambda s: s.pending() is not None and s.pending().kind == "vote")  # type: ignore[union-attr]
    beat = st.pending()
    assert beat is not None and beat.kind == "vote"
    why = player.why(st, beat)
    assert why[0].startswith(("support", "stand aside", "object")) and len(why) > 1
    move = player.choose(st, beat)
    assert move.params["reason"].startswith("model: ") and why[1] in move.params["reason"]
    assert player.why(st, Beat("secretariat", "propose", CASE)) == ["deployment: tabled"]


def test_arrivals_inside_a_clock_step_do_not_make_the_clock_drift(
    kz: CrisisGame, params: PolicyParams
) -> None:
    draw = nominal_draw(params)
    st = kz.new_initial_state(draw)
    play(st, ModelPlayer(params, draw), until=lambda s: s.deployment is not None)
    start = st.clock
    for _ in range(2):
        st.apply(Move(CONTROL, ADVANCE_CLOCK, FLOOR, {"hours": 6}))
    assert st.clock == start + dt.timedelta(hours=12)
    landed = [e for e in st.events if e.type == "UnitsArrived"]
    assert landed and all(start < e.at <= start + dt.timedelta(hours=12) for e in landed)
