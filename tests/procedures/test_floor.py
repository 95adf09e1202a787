"""The exercise floor: seats of frozen and suspended members are refused with the article; Control's
steps are Control's; the clock only moves forward within bounds; everything replays exactly."""

from __future__ import annotations

import pytest
from tests.conformance.conftest import ALL_SUPPORT, Table

from csto.procedures import Engine


def opened(day: str) -> Table:
    t = Table(day)
    t.do("control", "open_exercise", "room", title="drill", scenario="kazakhstan-2022")
    return t


def test_a_member_takes_its_seat_and_makes_statements() -> None:
    t = opened("2022-01-05")
    t.do("KAZ", "take_seat", "room", user="kaz1")
    ev = t.do("KAZ", "make_statement", "room", text="We ask for help")
    assert ev[0].type == "StatementMade"
    assert t.engine.cases["room"].seats == {"KAZ": "kaz1"}  # type: ignore[attr-defined]


def test_a_held_seat_cannot_be_taken_by_another_account() -> None:
    t = opened("2022-01-05")
    t.do("KAZ", "take_seat", "room", user="kaz1")
    assert "held by kaz1" in t.refused("KAZ", "take_seat", "room", user="kaz2").reason


def test_a_frozen_members_seat_is_refused_with_the_article() -> None:
    t = opened("2026-05-20")
    r = t.refused("ARM", "take_seat", "room", user="arm1")
    assert r.rule == "practice-frozen-participation"
    assert r.article
    assert t.refused("ARM", "make_statement", "room", text="x").rule == "practice-frozen-participation"


def test_a_suspended_members_seat_is_refused_under_charter_art20() -> None:
    t = Table("2012-12-18")
    t.do("secretariat", "propose_suspension", "s", state="UZB", grounds="no participation")
    t.do("secretariat", "convene", "s")
    for s, p in ALL_SUPPORT.items():
        t.do(s, "vote", "s", position=p)
    t.do("secretariat", "close", "s")
    t.do("control", "open_exercise", "room", title="drill", scenario="kazakhstan-2022")
    r = t.refused("UZB", "take_seat", "room", user="uzb1")
    assert r.rule == "charter-art20-suspension"
    assert r.article == "Charter Art. 20"


def test_a_non_member_has_no_seat() -> None:
    t = opened("2022-01-05")
    assert t.refused("GEO", "take_seat", "room", user="geo1").rule == "charter-art12-voting-rights"


@pytest.mark.parametrize(
    ("kind", "params"),
    [("inject", {"text": "x"}), ("advance_clock", {"hours": 1.0}), ("end_exercise", {})],
)
def test_controls_steps_are_refused_to_delegations(kind: str, params: dict[str, object]) -> None:
    t = opened("2022-01-05")
    r = t.refused("KAZ", kind, "room", **params)
    assert r.rule == "floor-control"


@pytest.mark.parametrize("hours", [0.0, -1.0, 721.0])
def test_the_clock_moves_forward_within_bounds(hours: float) -> None:
    t = opened("2022-01-05")
    assert t.refused("control", "advance_clock", "room", hours=hours).rule == "floor-clock"


def test_the_clock_moves_the_world_forward() -> None:
    t = opened("2022-01-05")
    before = t.engine.world.now
    t.do("control", "advance_clock", "room", hours=6.0)
    assert (t.engine.world.now - before).total_seconds() == pytest.approx(6 * 3600 + 60, abs=1)


def test_an_intensity_inject_needs_a_value_between_0_and_1() -> None:
    t = opened("2022-01-05")
    assert (
        t.refused("control", "inject", "room", text="worse", kind="intensity", value=2.0).rule
        == "floor-inject"
    )
    t.do("control", "inject", "room", text="worse", kind="intensity", value=0.9)


def test_the_floor_replays_exactly() -> None:
    t = opened("2022-01-05")
    t.do("KAZ", "take_seat", "room", user="kaz1")
    t.do("control", "inject", "room", text="airport seized")
    t.do("control", "advance_clock", "room", hours=2.5)
    t.t = t.engine.world.now
    t.do("control", "end_exercise", "room")
    fresh = Engine(t.engine.dataset)
    fresh.replay(t.engine.events)
    assert fresh.snapshot() == t.engine.snapshot()
    assert t.refused("KAZ", "make_statement", "room", text="too late").reason.endswith("(ended)")
