"""Charter Art. 20: withdrawal (notice and obligations; uncertain, configurable) and suspension."""

from __future__ import annotations

from csto.rules import RulesConfig
from tests.conformance.conftest import ALL_SUPPORT, covers


@covers("charter-art20-withdrawal-notice")
def test_withdrawal_takes_effect_no_earlier_than_the_notice_period(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2026-01-10")
    r = t.refused("KGZ", "notify_withdrawal", "w", effective="2026-03-01")
    assert r.article == "Charter Art. 20" and r.uncertain
    assert "2026-07-10" in r.reason
    t.do("KGZ", "notify_withdrawal", "w2", effective="2026-07-10")
    assert t.refused("secretariat", "take_effect", "w2").article == "Charter Art. 20"
    t.at("2026-07-10").do("secretariat", "take_effect", "w2")
    assert t.status("KGZ") == "withdrawn"


@covers("charter-art20-withdrawal-notice")
def test_the_notice_period_and_unilateral_withdrawal_are_configurable(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2026-01-10", RulesConfig(withdrawal_notice_months=3))
    t.do("KGZ", "notify_withdrawal", "w", effective="2026-04-10")
    t2 = table("2026-01-10", RulesConfig(unilateral_withdrawal_allowed=False))
    assert "disabled" in t2.refused("KGZ", "notify_withdrawal", "w", effective="2027-01-10").reason


@covers("charter-art20-withdrawal-notice")
def test_a_non_member_cannot_withdraw(table) -> None:  # type: ignore[no-untyped-def]
    assert (
        "not a member"
        in table("2026-01-10").refused("UZB", "notify_withdrawal", "w", effective="2027-01-10").reason
    )


@covers("charter-art20-withdrawal-obligations")
def test_arrears_must_be_settled_before_a_withdrawal(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules.membership import withdrawal_obligations

    t = table("2026-01-10")
    sit = t.engine.world.situation()
    v = withdrawal_obligations(sit, "KGZ", 1000.0)
    assert not v.ok and v.uncertain and v.article == "Charter Art. 20"
    assert withdrawal_obligations(sit, "KGZ", 0.0).ok
    t2 = table("2026-01-10", RulesConfig(settle_arrears_before_withdrawal=False))
    assert withdrawal_obligations(t2.engine.world.situation(), "KGZ", 1000.0).ok


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
