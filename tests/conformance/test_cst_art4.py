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
