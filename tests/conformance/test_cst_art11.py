"""CST Art. 11: five-year terms, automatic renewal since 1999-2000, and leaving by not renewing."""

from __future__ import annotations

from tests.conformance.conftest import covers


@covers("cst-art11-term")
def test_the_three_that_did_not_renew_left_at_the_end_of_the_first_term(table) -> None:  # type: ignore[no-untyped-def]
    t = table("1999-03-01")
    t.do("GEO", "notify_withdrawal", "geo", mode="non_renewal", effective="1999-04-20")
    t.at("1999-04-20").do("secretariat", "take_effect", "geo")
    assert t.status("GEO") == "withdrawn"


@covers("cst-art11-term")
def test_non_renewal_takes_effect_only_at_a_terms_end(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2004-06-01")
    r = t.refused("KGZ", "notify_withdrawal", "k", mode="non_renewal", effective="2004-12-31")
    assert r.article == "CST Art. 11 (as amended 1999)" or r.article.startswith("CST Art. 11")
    assert "2005-03-22" in r.reason
    t.do("KGZ", "notify_withdrawal", "k2", mode="non_renewal", effective="2005-03-22")


@covers("cst-art11-term")
def test_a_state_that_is_not_a_party_cannot_leave_by_not_renewing(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2015-01-01").refused(
        "UZB", "notify_withdrawal", "u", mode="non_renewal", effective="2015-04-20"
    )
    assert r.rule == "cst-art11-term" and r.article.startswith("CST Art. 11")
    assert r.reason == "UZB is not a party"
