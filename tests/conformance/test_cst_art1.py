"""CST Art. 1: no other military alliances, and no action by one party against another."""

from __future__ import annotations

from tests.conformance.conftest import covers


@covers("cst-art1-no-other-alliances")
def test_an_applicant_in_a_military_alliance_is_refused(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2026-01-10").refused("TUR", "apply", "tur", alliances=["NATO"])
    assert r.article == "CST Art. 1"
    assert "NATO" in r.reason


@covers("cst-art1-no-other-alliances")
def test_a_member_joining_a_military_alliance_is_flagged_as_a_breach(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2024-06-01")
    events = t.do("KAZ", "join_alliance", "kaz-x", alliance="NATO")
    assert [e.type for e in events] == ["AllianceJoined", "BreachFlagged"]
    assert events[1].data["article"] == "CST Art. 1"
    assert t.engine.world.breaches[0]["state"] == "KAZ"
    # a non-member joining is recorded without a breach
    assert [e.type for e in t.do("GEO", "join_alliance", "geo-x", alliance="NATO")] == ["AllianceJoined"]


@covers("cst-art1-no-other-alliances")
def test_the_world_remembers_a_states_other_alliances(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2026-01-10")
    t.do("SRB", "join_alliance", "srb-x", alliance="NATO")
    r = t.refused("SRB", "apply", "srb")
    assert "NATO" in r.reason


@covers("cst-art1-no-action-against-party")
def test_force_between_members_is_flagged_against_the_aggressor(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2021-04-29")
    events = t.do("KGZ", "report_hostile_act", "kt", by="TJK", description="border clash at a water intake")
    assert events[-1].type == "BreachFlagged"
    assert events[-1].data["state"] == "TJK"
    assert events[-1].data["article"] == "CST Art. 1"
    # an act by a non-member is recorded, not flagged under Art. 1
    assert [e.type for e in t.do("ARM", "report_hostile_act", "az", by="AZE", description="shelling")] == [
        "HostileActReported"
    ]
