"""Charter Art. 21 (observer) and Art. 4 (partner): statuses granted by the Council since the 2018 protocols."""

from __future__ import annotations

from tests.conformance.conftest import covers


@covers("charter-art21-observer")
def test_an_observer_needs_relations_with_every_member(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-03-01")
    r = t.refused("AZE", "apply_status", "o", status="observer", relations_with_all=False)
    assert r.article.startswith("Charter Art. 21")
    t.do("SRB", "apply_status", "o2", status="observer")
    last = t.council("o2", "ARM", {"ARM": "support", "RUS": "support", "KAZ": "support", "BLR": "support"})
    assert last.type == "StatusChanged" and t.status("SRB") == "observer"


@covers("charter-art21-observer")
def test_a_member_cannot_be_an_observer(table) -> None:  # type: ignore[no-untyped-def]
    assert "is a member" in table("2022-03-01").refused("KAZ", "apply_status", "o", status="observer").reason


@covers("charter-art4-partner")
def test_a_partner_may_have_no_contrary_security_obligations(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-03-01")
    r = t.refused("TUR", "apply_status", "p", status="partner", alliances=["NATO"])
    assert r.article.startswith("Charter Art. 4") and "NATO" in r.reason
    t.do("SRB", "apply_status", "p2", status="partner")


@covers("charter-art4-partner")
def test_partner_status_does_not_exist_before_the_2018_protocols_took_effect(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2019-03-01").refused("SRB", "apply_status", "p", status="partner")
    assert "no partner status" in r.reason
