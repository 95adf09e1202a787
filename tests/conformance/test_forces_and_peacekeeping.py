"""Force tasking against registered strength (2010 forces agreement) and peacekeeping mandates (2007)."""

from __future__ import annotations

from tests.conformance.conftest import ALL_SUPPORT, covers


def _decided(t):  # type: ignore[no-untyped-def]
    t.do("KAZ", "request_assistance", "kz", kind="internal_unrest", framed_as_armed_attack=True)
    t.council("kz", "ARM", ALL_SUPPORT, level="deployment")
    return t


@covers("forces-registered-strength")
def test_a_tasking_cannot_exceed_the_forces_registered_strength(table) -> None:  # type: ignore[no-untyped-def]
    t = _decided(table("2022-01-05"))
    r = t.refused("joint_staff", "task_forces", "kz", force="peacekeeping", contributions={"RUS": 5000})
    assert r.article == "Forces Agreement 2010" and "3,600" in r.reason
    t.do("joint_staff", "task_forces", "kz", force="peacekeeping", contributions={"RUS": 1500, "KGZ": 150})
    assert t.engine.world.force_tasked["peacekeeping"] == 1650


@covers("forces-registered-strength")
def test_only_members_taking_part_contribute(table) -> None:  # type: ignore[no-untyped-def]
    t = _decided(table("2022-01-05"))
    assert (
        t.refused("joint_staff", "task_forces", "kz", force="peacekeeping", contributions={"UZB": 100}).rule
        == "forces-registered-strength"
    )
    assert (
        t.refused("joint_staff", "task_forces", "kz", force="peacekeeping", contributions={"RUS": 0}).rule
        == "forces-registered-strength"
    )


@covers("forces-registered-strength", "practice-frozen-participation")
def test_a_frozen_member_contributes_no_forces(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2025-02-01")
    t.do("TJK", "request_assistance", "tj", kind="incursion", aggressor="armed groups from abroad")
    t.council("tj", "KGZ", {s: "support" for s in ("BLR", "KAZ", "KGZ", "RUS", "TJK")}, level="deployment")
    r = t.refused("joint_staff", "task_forces", "tj", force="crrf", contributions={"ARM": 100})
    assert r.rule == "practice-frozen-participation"


@covers("forces-registered-strength")
def test_a_planned_force_cannot_be_tasked(table) -> None:  # type: ignore[no-untyped-def]
    t = _decided(table("2022-01-05"))
    r = t.refused("joint_staff", "task_forces", "kz", force="aviation", contributions={"RUS": 10})
    assert "planned" in r.reason


@covers("peacekeeping-2007-mandate")
def test_peacekeeping_on_a_members_territory_needs_its_own_request(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-10-19")
    r = t.refused("RUS", "request_peacekeeping", "p", host="KGZ")
    assert r.article == "Peacekeeping Agreement 2007 Art. 3"
    t.do("KGZ", "request_peacekeeping", "p2", tasks="separate the parties on the border")


@covers("peacekeeping-2007-mandate")
def test_peacekeeping_outside_the_members_needs_a_un_mandate(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-10-19")
    assert "UN mandate" in t.refused("RUS", "request_peacekeeping", "p", host="AFG").reason
    t.do("RUS", "request_peacekeeping", "p2", host="AFG", un_mandate=True)


def test_a_deployment_runs_through_its_stages_in_order(table) -> None:  # type: ignore[no-untyped-def]
    t = _decided(table("2022-01-05"))
    t.do("joint_staff", "task_forces", "kz", force="peacekeeping", contributions={"RUS": 1000, "ARM": 100})
    t.do("joint_staff", "order_deployment", "dep", decision="kz")
    assert t.refused("joint_staff", "begin_withdrawal", "dep").article.startswith("CST Art. 6")
    t.do("joint_staff", "arrive", "dep", state="RUS", personnel=400)
    assert "tasked 1,000" in t.refused("joint_staff", "arrive", "dep", state="RUS", personnel=700).reason
    t.do("joint_staff", "begin_operations", "dep")
    t.do("joint_staff", "arrive", "dep", state="ARM", personnel=100)
    t.do("KAZ", "begin_withdrawal", "dep")
    t.do("joint_staff", "depart", "dep", state="RUS", personnel=400)
    t.do("joint_staff", "complete_withdrawal", "dep")
    assert t.engine.cases["dep"].outcome == "withdrawn"
    assert t.engine.world.force_tasked.get("peacekeeping", 0) == 0
