"""Exercise: planning in the CSTO's own series, contingents joining, conduct, after-action review.

Refusals cite the Forces Agreement 2010 (series, participation, sequence), Charter Art. 12 (frozen
members) and Charter Art. 20 (suspended members); refused steps write nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from csto.procedures import Action

FORCES = "Forces Agreement 2010"


def t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def act(kind: str, actor: str, day: str, case: str = "ex-1", **params: Any) -> Action:
    return Action(kind, actor, t(day), case, params)


def plan(**overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "name": "Interaction-2023",
        "series": "Interaction",
        "host": "KAZ",
        "start": "2023-09-01",
        "end": "2023-09-10",
        "forces": ["crrf"],
        "scenario": "repel an incursion",
    }
    params.update(overrides)
    return params


def test_exercise_runs_from_plan_to_after_action_review(engine_at):
    eng = engine_at("2023-03-01")
    ev = eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    assert [e.type for e in ev] == ["ExercisePlanned"]
    assert ev[0].data["citation"] == FORCES
    for state, n in (("KAZ", 800), ("RUS", 1500), ("ARM", 200)):
        eng.handle(act("join", state, "2023-04-01", personnel=n, units="battalion"))
    ev = eng.handle(act("conduct", "joint_staff", "2023-09-01"))
    assert ev[0].type == "ExerciseConducted"
    assert ev[0].data["participants"] == ["ARM", "KAZ", "RUS"]
    assert ev[0].data["personnel"] == 2500
    ev = eng.handle(
        act("record_aar", "joint_staff", "2023-09-15", findings="ok", lessons=["comms", "airlift"])
    )
    assert ev[0].type == "AfterActionRecorded"
    case = eng.cases["ex-1"]
    assert case.is_terminal and case.outcome == "recorded"
    snap = case.snapshot()
    assert snap["lessons"] == ["comms", "airlift"] and snap["series"] == "Interaction"


@pytest.mark.parametrize("series", ["Vostok", "Zapad", "Zapad-2021", "VOSTOK 2022"])
def test_vostok_and_zapad_are_refused_as_csto_exercises_citing_the_correction(engine_at, refused, series):
    eng = engine_at("2023-03-01")
    r = refused(eng, act("plan", "joint_staff", "2023-03-02", **plan(series=series, host="BLR")))
    assert r.article == FORCES
    assert r.rule == "exercise-series"
    assert "vostok-zapad-csto-exercises" in r.reason
    assert "Combat Brotherhood" in r.reason
    assert "ex-1" not in eng.cases


def test_csto_series_names_pass_the_series_rule(engine_at):
    eng = engine_at("2023-03-01")
    for i, series in enumerate(("Combat Brotherhood", "Rubezh", "Indestructible Brotherhood", "Cobalt")):
        eng.handle(act("plan", "cdm", "2023-03-02", case=f"ex-{i}", **plan(series=series)))
    assert len(eng.cases) == 4


def test_frozen_host_is_refused_under_the_freeze_practice(engine_at, refused):
    eng = engine_at("2025-03-01")  # Armenia frozen since 2024 in the data
    r = refused(
        eng,
        act("plan", "joint_staff", "2025-03-02", **plan(host="ARM", start="2025-09-01", end="2025-09-05")),
    )
    assert r.article == "Charter Art. 12"
    assert r.rule == "practice-frozen-participation"


def test_non_member_host_is_refused_under_the_participation_rule(engine_at, refused):
    eng = engine_at("2023-03-01")
    r = refused(eng, act("plan", "joint_staff", "2023-03-02", **plan(host="GEO")))
    assert r.article == FORCES
    assert r.rule == "exercise-participation"


def test_frozen_member_cannot_join(engine_at, refused):
    eng = engine_at("2025-03-01")
    eng.handle(act("plan", "joint_staff", "2025-03-02", **plan(start="2025-09-01", end="2025-09-05")))
    r = refused(eng, act("join", "ARM", "2025-03-03", personnel=100))
    assert r.article == "Charter Art. 12"


def test_suspended_member_cannot_join(engine_at, refused, suspend):
    eng = engine_at("2023-03-01")
    suspend(eng, "KGZ", "2023-03-02")
    eng.handle(act("plan", "joint_staff", "2023-03-03", **plan()))
    r = refused(eng, act("join", "KGZ", "2023-03-04", personnel=100))
    assert r.article == "Charter Art. 20"
    assert r.rule == "charter-art20-suspension"


def test_non_member_cannot_join(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    r = refused(eng, act("join", "IRN", "2023-03-03", personnel=100))
    assert r.article == FORCES and r.rule == "exercise-participation"


def test_joining_twice_and_empty_contingents_are_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    eng.handle(act("join", "RUS", "2023-03-03", personnel=100))
    assert refused(eng, act("join", "RUS", "2023-03-04", personnel=100)).rule == "exercise-sequence"
    assert refused(eng, act("join", "KAZ", "2023-03-04", personnel=0)).article == FORCES


def test_member_that_freezes_after_joining_drops_out_of_the_conducted_exercise(engine_at, freeze):
    eng = engine_at("2023-03-01")
    eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    eng.handle(act("join", "ARM", "2023-03-03", personnel=300))
    eng.handle(act("join", "RUS", "2023-03-03", personnel=1000))
    freeze(eng, "ARM", "2023-06-01")
    ev = eng.handle(act("conduct", "joint_staff", "2023-09-02"))
    assert ev[0].data["participants"] == ["RUS"]
    assert ev[0].data["dropped_out"] == ["ARM"]
    assert ev[0].data["personnel"] == 1000


def test_conduct_before_the_start_date_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    eng.handle(act("join", "RUS", "2023-03-03", personnel=100))
    r = refused(eng, act("conduct", "joint_staff", "2023-08-31"))
    assert r.article == FORCES and r.rule == "exercise-sequence"


def test_conduct_without_contingents_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    assert refused(eng, act("conduct", "joint_staff", "2023-09-01")).article == FORCES


def test_only_planners_plan_and_only_the_joint_staff_conducts(engine_at, refused):
    eng = engine_at("2023-03-01")
    assert refused(eng, act("plan", "RUS", "2023-03-02", **plan())).rule == "exercise-sequence"
    eng.handle(act("plan", "secretariat", "2023-03-02", **plan()))
    eng.handle(act("join", "RUS", "2023-03-03", personnel=100))
    assert refused(eng, act("conduct", "RUS", "2023-09-01")).article == FORCES
    assert refused(eng, act("record_aar", "joint_staff", "2023-09-01", findings="x")).article == FORCES


def test_unknown_force_and_reversed_dates_are_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    assert (
        refused(eng, act("plan", "joint_staff", "2023-03-02", **plan(forces=["nonexistent"]))).article
        == FORCES
    )
    r = refused(eng, act("plan", "joint_staff", "2023-03-02", **plan(start="2023-09-10", end="2023-09-01")))
    assert r.article == FORCES


def test_cancelled_exercise_is_closed(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    eng.handle(act("cancel", "cdm", "2023-03-03", reason="weather"))
    assert eng.cases["ex-1"].outcome == "cancelled"
    assert refused(eng, act("join", "RUS", "2023-03-04", personnel=10)).article == FORCES


def test_replay_of_events_rebuilds_the_same_exercise(engine_at, replayed, freeze):
    eng = engine_at("2023-03-01")
    eng.handle(act("plan", "joint_staff", "2023-03-02", **plan()))
    eng.handle(act("join", "ARM", "2023-03-03", personnel=300))
    eng.handle(act("join", "KAZ", "2023-03-03", personnel=700, units="brigade"))
    freeze(eng, "ARM", "2023-06-01")
    eng.handle(act("conduct", "joint_staff", "2023-09-02"))
    eng.handle(act("record_aar", "joint_staff", "2023-09-20", findings="done", lessons=["a"]))
    fresh = replayed(eng)
    assert fresh.snapshot() == eng.snapshot()
    assert fresh.snapshot()["cases"]["ex-1"]["participants"]["KAZ"] == {"personnel": 700, "units": "brigade"}
