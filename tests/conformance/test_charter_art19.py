"""Charter Art. 19: admission — eligibility, review, consensus, protocol, ratification, integration."""

from __future__ import annotations

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
