"""Forces Agreement 2010: the collective forces exist as the data records them that day, and an exercise is
held with contingents of members taking part."""

from __future__ import annotations

from tests.conformance.conftest import ALL_SUPPORT, covers

FORCES = "Forces Agreement 2010"


def _plan(t, **over):  # type: ignore[no-untyped-def]
    params = {
        "name": "Interaction-2023",
        "series": "Interaction",
        "host": "BLR",
        "start": "2023-09-01",
        "end": "2023-09-06",
        "forces": ["crrf"],
        **over,
    }
    return t.do("joint_staff", "plan", "ex", **params)


@covers("forces-2010-collective-force")
def test_an_exercise_names_only_forces_that_exist_that_day(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    r = t.refused("joint_staff", "plan", "ex", name="x", series="Interaction", host="BLR",
                  start="2023-09-01", end="2023-09-06", forces=["crrf", "navy"])  # fmt: skip
    assert r.rule == "forces-2010-collective-force" and r.article == FORCES
    assert r.reason == "no collective force 'navy' exists on 2023-03-01"
    assert _plan(t)[0].data["forces"] == ["crrf"]


@covers("forces-2010-collective-force")
def test_forces_are_tasked_only_from_a_force_that_exists(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-01-05")
    t.do("KAZ", "request_assistance", "kz", kind="internal_unrest", framed_as_armed_attack=True)
    t.council("kz", "ARM", ALL_SUPPORT, level="deployment")
    r = t.refused("joint_staff", "task_forces", "kz", force="navy", contributions={"RUS": 100})
    assert r.rule == "forces-2010-collective-force" and r.article == FORCES


@covers("exercise-contingents")
def test_an_exercise_without_contingents_cannot_be_held(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    _plan(t)
    r = t.at("2023-09-01").refused("joint_staff", "conduct", "ex")
    assert r.rule == "exercise-contingents" and r.article == FORCES
    assert r.reason == "no member taking part has sent a contingent"


@covers("exercise-contingents")
def test_a_contingent_of_a_member_that_froze_drops_out(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    _plan(t)
    t.do("ARM", "join", "ex", personnel=200)
    t.do("ARM", "freeze", "arm-freeze")
    r = t.at("2023-09-01").refused("joint_staff", "conduct", "ex")
    assert r.rule == "exercise-contingents"


@covers("exercise-contingents")
def test_an_exercise_is_held_with_the_contingents_still_taking_part(table) -> None:  # type: ignore[no-untyped-def]
    t2 = table("2023-03-01")
    _plan(t2)
    t2.do("ARM", "join", "ex", personnel=200)
    t2.do("RUS", "join", "ex", personnel=800)
    t2.do("ARM", "freeze", "arm-freeze")
    e = t2.at("2023-09-01").do("joint_staff", "conduct", "ex")
    assert e[0].data["participants"] == ["RUS"] and e[0].data["dropped_out"] == ["ARM"]


@covers("exercise-participation")
def test_a_contingent_has_personnel(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    _plan(t)
    r = t.refused("KAZ", "join", "ex", personnel=0)
    assert r.rule == "exercise-participation" and r.article == FORCES
    assert r.reason == "a contingent needs personnel, not 0"
    assert t.do("KAZ", "join", "ex", personnel=300)[0].data["personnel"] == 300


@covers("exercise-participation")
def test_a_state_that_left_sends_no_contingent(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    _plan(t)
    r = t.refused("UZB", "join", "ex", personnel=300)
    assert r.rule == "exercise-participation" and "UZB is not a member" in r.reason
