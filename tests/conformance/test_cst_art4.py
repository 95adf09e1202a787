"""CST Art. 4: collective defence — who may request, what it covers, and how the 2010 amendments changed it."""

from __future__ import annotations

from tests.conformance.conftest import ALL_SUPPORT, covers


@covers("cst-art4-request")
def test_since_2012_only_the_attacked_member_may_request(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-09-13")
    r = t.refused("RUS", "request_assistance", "c1", kind="external_attack", attacked="ARM", aggressor="AZE")
    assert r.article == "CST Art. 4 (as amended 2010)"
    assert "request of the attacked member" in r.reason
    t.do("ARM", "request_assistance", "c2", kind="external_attack", aggressor="AZE")


@covers("cst-art4-request")
def test_before_2012_another_party_could_call_for_defence_of_an_ally(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2011-03-01")
    events = t.do(
        "RUS", "request_assistance", "c1", kind="external_attack", attacked="TJK", aggressor="a state"
    )
    assert events[0].data["citation"] == "CST Art. 4"


@covers("cst-art4-request")
def test_a_non_member_cannot_invoke_the_treaty(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2015-01-01").refused("UZB", "request_assistance", "c", kind="external_attack")
    assert r.rule == "cst-art4-request"


@covers("cst-art4-scope")
def test_territory_not_recognised_as_the_members_is_not_covered(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2020-09-28").refused(
        "ARM", "request_assistance", "nk", kind="unrecognised_territory", recognised_territory=False
    )
    assert r.article == "CST Art. 4 (as amended 2010)"
    assert "not on territory" in r.reason


@covers("cst-art4-scope")
def test_no_collective_defence_between_two_members(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2021-04-29").refused(
        "KGZ", "request_assistance", "kt", kind="member_vs_member", aggressor="TJK", aggressor_is_member=True
    )
    assert "itself a party" in r.reason


@covers("cst-art4-scope")
def test_an_incursion_by_armed_groups_is_covered_only_after_the_amendments(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2011-06-01").refused("TJK", "request_assistance", "i", kind="incursion")
    assert r.article == "CST Art. 4" and "non-state" in r.reason
    table("2013-06-01").do("TJK", "request_assistance", "i", kind="incursion")


@covers("cst-art4-scope")
def test_internal_unrest_needs_to_be_presented_as_an_armed_attack(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-01-05")
    r = t.refused("KAZ", "request_assistance", "u1", kind="internal_unrest")
    assert "Art. 2" in r.reason
    t.do("KAZ", "request_assistance", "u2", kind="internal_unrest", framed_as_armed_attack=True)
    r2010 = table("2010-06-12").refused(
        "KGZ", "request_assistance", "u", kind="internal_unrest", framed_as_armed_attack=True
    )
    assert r2010.article == "CST Art. 4"


@covers("cst-art4-request", "charter-art12-consensus")
def test_a_request_leads_to_a_decision_on_the_response_ladder(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-01-05")
    t.do("KAZ", "request_assistance", "kz", kind="internal_unrest", framed_as_armed_attack=True)
    last = t.council("kz", "ARM", ALL_SUPPORT, level="deployment")
    assert last.type == "DecisionAdopted" and last.data["level"] == "deployment"
    assert t.engine.cases["kz"].step == "to_task"


@covers("cst-art4-scope")
def test_a_threat_of_incursion_is_for_consultations_not_collective_defence(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2022-06-01").refused("TJK", "request_assistance", "t", kind="threat_of_incursion")
    assert r.rule == "cst-art4-scope" and "Art. 2" in r.reason
    table("2022-06-01").do("TJK", "request_consultation", "c", subject="armed groups massing at the border")


@covers("cst-art4-scope")
def test_a_terrorist_attack_is_covered_only_after_the_amendments(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2011-06-01").refused("RUS", "request_assistance", "a", kind="terrorist_attack")
    assert r.article == "CST Art. 4" and "terrorist" in r.reason
    table("2024-03-23").do("RUS", "request_assistance", "a", kind="terrorist_attack")


@covers("cst-art4-scope")
def test_a_mutiny_is_covered_only_when_presented_as_an_armed_attack(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2022-05-20").refused("TJK", "request_assistance", "m1", kind="mutiny")
    assert "armed attack" in r.reason
    table("2022-05-20").do("TJK", "request_assistance", "m2", kind="mutiny", framed_as_armed_attack=True)


@covers("cst-art4-scope")
def test_a_members_own_war_on_a_non_member_is_not_collective_defence(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules.defence import art4_scope

    sit = table("2014-03-01").engine.world.situation()
    v = art4_scope(
        sit,
        "external_attack",
        aggressor_is_member=True,
        recognised_territory=True,
        framed_as_armed_attack=False,
        attacked_is_member=sit.is_member("UKR"),
    )
    assert not v.ok and "not a party" in v.reason
