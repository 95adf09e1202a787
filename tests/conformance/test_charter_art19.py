"""Charter Art. 19: admission (eligibility, review, consensus, protocol, ratification, integration) and withdrawal
(official notice at least six months ahead, after settling obligations: the Russian foreign ministry's 2024 citation
of Art. 19; configurable, since TASS 2012 reported no unilateral withdrawal)."""

from __future__ import annotations

import datetime as dt

from csto.model import load
from csto.rules import RulesConfig
from csto.rules.core import RULES, Situation
from csto.rules.membership import withdrawal_notice
from tests.conformance.conftest import covers


@covers("charter-art19-admission")
def test_an_existing_member_cannot_apply(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2024-01-10").refused("KAZ", "apply", "a")
    assert r.article == "Charter Art. 19" and "already a member" in r.reason


@covers("charter-art19-admission")
def test_only_a_sovereign_state_accepting_the_obligations_may_apply(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2024-01-10")
    assert "sovereign" in t.refused("SRB", "apply", "a", sovereign_state=False).reason
    assert "obligations" in t.refused("SRB", "apply", "b", accepts_obligations=False).reason


@covers("charter-art19-admission")
def test_before_the_charter_there_is_no_accession_to_the_organization(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2001-01-10").refused("SRB", "apply", "a")
    assert "not in force" in r.reason


@covers("charter-art19-admission")
def test_the_full_accession_path_ends_in_membership(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2026-02-01")
    t.do("SRB", "apply", "srb")
    assert t.refused("SRB", "sign_protocol", "srb").article == "Charter Art. 19"  # out of order
    t.do("secretariat", "review", "srb")
    last = t.council(
        "srb",
        "RUS",
        {"RUS": "support", "KAZ": "support", "BLR": "support", "TJK": "support"},
        summary="admit",
        integration_months=0,
    )
    assert last.type == "DecisionAdopted"
    t.do("SRB", "sign_protocol", "srb")
    assert t.status("SRB") == "signatory"
    t.do("SRB", "ratify", "srb")
    t.do("secretariat", "complete_integration", "srb")
    assert t.status("SRB") == "member"
    assert t.engine.cases["srb"].outcome == "member"


@covers("charter-art19-admission")
def test_the_applicant_does_not_vote_on_its_own_admission(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2026-02-01")
    t.do("SRB", "apply", "srb")
    t.do("secretariat", "review", "srb")
    ev = t.do("RUS", "convene", "srb")
    assert "SRB" not in ev[0].data["entitled"]


@covers("charter-art19-withdrawal-notice")
def test_withdrawal_takes_effect_no_earlier_than_the_notice_period(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2026-01-10")
    r = t.refused("KGZ", "notify_withdrawal", "w", effective="2026-03-01")
    assert r.article == "Charter Art. 19" and not r.uncertain
    assert "2026-07-10" in r.reason
    t.do("KGZ", "notify_withdrawal", "w2", effective="2026-07-10")
    assert t.refused("secretariat", "take_effect", "w2").article == "Charter Art. 19"
    t.at("2026-07-10").do("secretariat", "take_effect", "w2")
    assert t.status("KGZ") == "withdrawn"


@covers("charter-art19-withdrawal-notice")
def test_the_notice_period_and_unilateral_withdrawal_are_configurable(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2026-01-10", RulesConfig(withdrawal_notice_months=3))
    t.do("KGZ", "notify_withdrawal", "w", effective="2026-04-10")
    t2 = table("2026-01-10", RulesConfig(unilateral_withdrawal_allowed=False))
    assert "disabled" in t2.refused("KGZ", "notify_withdrawal", "w", effective="2027-01-10").reason


@covers("charter-art19-withdrawal-notice")
def test_a_non_member_cannot_withdraw(table) -> None:  # type: ignore[no-untyped-def]
    assert (
        "not a member"
        in table("2026-01-10").refused("UZB", "notify_withdrawal", "w", effective="2027-01-10").reason
    )


@covers("charter-art19-withdrawal-obligations")
def test_arrears_must_be_settled_before_a_withdrawal(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules.membership import withdrawal_obligations

    t = table("2026-01-10")
    sit = t.engine.world.situation()
    v = withdrawal_obligations(sit, "KGZ", 1000.0)
    assert not v.ok and not v.uncertain and v.article == "Charter Art. 19"
    assert withdrawal_obligations(sit, "KGZ", 0.0).ok
    t2 = table("2026-01-10", RulesConfig(settle_arrears_before_withdrawal=False))
    assert withdrawal_obligations(t2.engine.world.situation(), "KGZ", 1000.0).ok


@covers("charter-art19-withdrawal-notice")
def test_the_withdrawal_rules_cite_article_19_where_the_data_files_withdrawal() -> None:
    charter = load("csto", "2025-01-01").provision("charter", "19")
    assert charter is not None and "withdrawal" in charter.version.codes
    assert charter.version.params["notice_months"] == 6
    assert "caucasuswatch_2024_zakharova_art19" in charter.version.source
    assert charter.version.conflicts  # the TASS 2012 "no unilateral withdrawal" report is kept as a conflict
    art20 = load("csto", "2025-01-01").provision("charter", "20")
    assert art20 is not None and "withdrawal" not in art20.version.codes
    for rid in ("charter-art19-withdrawal-notice", "charter-art19-withdrawal-obligations"):
        assert (RULES[rid].instrument, RULES[rid].article) == ("charter", "19")
        assert not RULES[rid].uncertain


@covers("charter-art19-withdrawal-notice")
def test_nato_withdrawal_refusals_cite_its_withdrawal_article_not_its_accession_article(table) -> None:  # type: ignore[no-untyped-def]

    nato = load("nato", "2025-01-01")
    sit = Situation(alliance=nato, at=dt.datetime(2025, 1, 1), statuses={"FRA": "member"})
    v = withdrawal_notice(sit, "FRA", dt.date(2025, 1, 1), dt.date(2025, 2, 1))
    assert not v.ok and "Art. 13" in v.article
