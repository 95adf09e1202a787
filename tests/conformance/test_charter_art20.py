"""Charter Art. 20: suspension and exclusion by the Council (withdrawal is Art. 19: test_charter_art19.py)."""

from __future__ import annotations

from tests.conformance.conftest import ALL_SUPPORT, covers


@covers("charter-art20-suspension")
def test_the_council_suspends_and_the_suspended_lose_vote_intelligence_and_forces(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2012-12-18")
    t.do("secretariat", "propose_suspension", "s", state="UZB", grounds="no participation")
    ev = t.do("secretariat", "convene", "s")
    assert "UZB" not in ev[0].data["entitled"]
    for s, p in ALL_SUPPORT.items():
        t.do(s, "vote", "s", position=p)
    t.do("secretariat", "close", "s")
    assert t.status("UZB") == "suspended"
    t.do("KAZ", "table", "d2", subject="x")
    t.do("secretariat", "convene", "d2")
    assert t.refused("UZB", "vote", "d2", position="object").rule == "charter-art20-suspension"
    assert (
        t.refused("UZB", "request_assistance", "r", kind="external_attack").rule == "charter-art20-suspension"
    )


@covers("charter-art20-suspension")
def test_only_the_collective_security_council_suspends(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2012-12-18")
    t.do("secretariat", "propose_suspension", "s", state="UZB", grounds="g")
    r = t.refused("secretariat", "convene", "s", body="cfm")
    assert "Collective Security Council" in r.reason


@covers("charter-art20-suspension")
def test_a_non_member_cannot_be_suspended(table) -> None:  # type: ignore[no-untyped-def]
    assert (
        "cannot be suspended"
        in table("2015-01-01")
        .refused("secretariat", "propose_suspension", "s", state="GEO", grounds="g")
        .reason
    )


@covers("charter-art20-suspension-vote")
def test_the_member_concerned_does_not_vote_on_its_own_suspension(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2012-12-18")
    t.do("secretariat", "propose_suspension", "s", state="UZB", grounds="no participation")
    ev = t.do("secretariat", "convene", "s")
    assert ev[0].data["excluded"] == ["UZB"] and "UZB" not in ev[0].data["entitled"]
    r = t.refused("UZB", "vote", "s", position="object")
    assert (
        r.rule == "charter-art20-suspension-vote" and r.article.startswith("Charter Art. 20") and r.uncertain
    )
    assert r.reason == "UZB is the member concerned and takes no part in the decision on its own suspension"


@covers("charter-art20-suspension-vote")
def test_every_other_member_votes_on_a_suspension(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2012-12-18")
    t.do("secretariat", "propose_suspension", "s", state="UZB", grounds="no participation")
    ev = t.do("secretariat", "convene", "s")
    assert sorted(ev[0].data["entitled"]) == sorted(ALL_SUPPORT)
    assert t.do("ARM", "vote", "s", position="object")[0].data["state"] == "ARM"
