"""Frozen participation (practice since 2024): only a member taking part declares its participation frozen,
and it may resume."""

from __future__ import annotations

from tests.conformance.conftest import covers


@covers("practice-freeze-declaration")
def test_a_member_taking_part_may_freeze_and_resume(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-06-01")
    e = t.do("ARM", "freeze", "arm", reason="the organization did not help in 2021-2022")
    assert [x.type for x in e] == ["ParticipationFrozen", "StatusChanged"] and t.status("ARM") == "frozen"
    t.do("ARM", "resume", "arm")
    assert t.status("ARM") == "member"


@covers("practice-freeze-declaration")
def test_a_frozen_member_has_nothing_left_to_freeze(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2025-03-01").refused("ARM", "freeze", "arm-again")
    assert r.rule == "practice-freeze-declaration" and r.article == "Charter Art. 12" and r.uncertain
    assert r.reason == "only a member taking part can freeze its participation (ARM: frozen)"


@covers("practice-freeze-declaration")
def test_a_state_that_left_cannot_freeze(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2015-01-01").refused("UZB", "freeze", "uzb")
    assert r.rule == "practice-freeze-declaration" and "UZB: withdrawn" in r.reason


@covers("practice-freeze-declaration", "charter-art20-suspension")
def test_a_suspended_member_cannot_freeze(table) -> None:  # type: ignore[no-untyped-def]
    from tests.conformance.conftest import ALL_SUPPORT

    t = table("2023-03-01")
    t.do("RUS", "propose_suspension", "s", state="TJK", grounds="test")
    t.council("s", "BLR", {k: v for k, v in ALL_SUPPORT.items() if k != "TJK"})
    assert t.status("TJK") == "suspended"
    r = t.refused("TJK", "freeze", "tjk")
    assert r.rule == "practice-freeze-declaration" and "TJK: suspended" in r.reason
