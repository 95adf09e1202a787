"""Scenario semantics: nothing is lodged that the scenario does not state, appeals go where they were
addressed, any member may be a belligerent, and contradictions are refused with the line of each field."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto.errors import ScriptError
from csto.game import CrisisGame, ModelPlayer, play
from csto.game.scenario import intensity_of_deaths, load_scenario
from csto.model import load_dataset
from csto.policy import load_policy, nominal_draw
from csto.sim.montecarlo import run_crisis

DS = load_dataset("csto")
PARAMS = load_policy(DS)

UNREST_NO_REQUEST = """\
id: unrest-no-request
hypothetical: true
title: "Hypothetical: unrest in Kazakhstan, no request to anyone"
start: 2023-03-01T08:00:00
timezone: "+06:00"
location: {state: KAZ, region: Mangystau}
kind: internal_unrest
aggressor: {name: none identified, non_state: true}
request: {state: null, article: none, addressed_to: none}
intensity: 0.5
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _play(sc):  # type: ignore[no-untyped-def]
    draw = nominal_draw(PARAMS)
    state = CrisisGame(DS, sc, PARAMS).new_initial_state(draw)
    player = ModelPlayer(PARAMS, draw)
    play(state, player)
    return state, player


def test_a_scenario_with_no_request_on_a_members_territory_lodges_nothing(tmp_path: Path) -> None:
    sc = load_scenario(_write(tmp_path, UNREST_NO_REQUEST), DS)
    state, player = _play(sc)
    # nothing is lodged for Kazakhstan: no request, no consultations in its name
    assert not [e for e in state.events if e.type == "RequestLodged"]
    assert not [
        e for e in state.events if e.type == "ConsultationRequested" and e.data.get("requester") == "KAZ"
    ]
    # only the chair's or the Secretariat's own initiative, decided by soundings, capped at a statement
    assert player.initiatives
    assert state.outcome in ("none", "statement")
    result = run_crisis(DS, sc, trials=400, seed=1)
    assert result.probabilities["mission"] + result.probabilities["deployment"] < 0.05


def test_an_appeal_to_one_ally_opens_no_procedure(tmp_path: Path) -> None:
    text = UNREST_NO_REQUEST.replace(
        "request: {state: null, article: none, addressed_to: none}",
        "request: {state: KAZ, article: none, addressed_to: ally, to_state: RUS}",
    )
    sc = load_scenario(_write(tmp_path, text), DS)
    state, _ = _play(sc)
    assert not [e for e in state.events if e.type in ("RequestLodged",) or e.data.get("requester") == "KAZ"]


def test_a_member_aggressor_against_a_non_member_loads_runs_and_is_a_party(tmp_path: Path) -> None:
    text = """\
id: member-attacks-outsider
hypothetical: true
title: "Hypothetical: a member attacks a non-member neighbour"
start: 2023-05-01T04:00:00
location: {state: AZE, region: border districts}
kind: external_attack
aggressor: {name: Armenia (illustrative), state: ARM, member: true}
request: {state: null, article: none, addressed_to: none}
deaths: 40
"""
    sc = load_scenario(_write(tmp_path, text), DS)
    state, player = _play(sc)
    feats = state.features()
    assert "ARM" in feats.parties and "ARM" in feats.aggressors
    assert not feats.covered
    result = run_crisis(DS, sc, trials=300, seed=0)
    assert abs(sum(result.probabilities.values()) - 1) < 1e-9
    votes = [v for s in player.initiatives for v in s.votes if v.iso3 == "ARM"]
    assert votes and all(any(r.factor == "self_interest" for r in v.reasons) for v in votes)


def test_a_request_in_the_timeline_without_a_requester_is_refused_with_both_lines(tmp_path: Path) -> None:
    text = UNREST_NO_REQUEST.replace(
        "request: {state: null, article: none, addressed_to: none}",
        "request:\n  state: null\n  article: art4\n  addressed_to: csto\n",
    )
    with pytest.raises(ScriptError) as info:
        load_scenario(_write(tmp_path, text), DS)
    e = info.value
    assert e.field == "request.article" and e.line == 11
    assert "line 10" in str(e)  # request.state


def test_a_member_aggressor_in_an_incursion_is_refused_at_the_aggressor_field(tmp_path: Path) -> None:
    text = UNREST_NO_REQUEST.replace(
        "aggressor: {name: none identified, non_state: true}",
        "aggressor:\n  name: Tajik units\n  state: TJK\n  member: true\n  non_state: true",
    ).replace("kind: internal_unrest", "kind: incursion")
    with pytest.raises(ScriptError) as info:
        load_scenario(_write(tmp_path, text), DS)
    assert info.value.field == "aggressor.member" and info.value.line == 11


def test_small_clashes_have_an_intensity() -> None:
    assert intensity_of_deaths(0) == 0.0
    assert intensity_of_deaths(1) >= 0.05
    assert intensity_of_deaths(55) == pytest.approx(0.437, abs=0.001)
    assert intensity_of_deaths(10**9) == 1.0


def test_a_party_that_is_not_a_member_is_refused(tmp_path: Path) -> None:
    text = UNREST_NO_REQUEST.replace(
        "intensity: 0.5", "intensity: 0.5\nparties:\n  - {state: UZB, role: defender}"
    )
    with pytest.raises(ScriptError) as info:
        load_scenario(_write(tmp_path, text), DS)
    assert info.value.field == "parties.0.state"
