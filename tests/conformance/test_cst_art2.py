"""CST Art. 2: consultations on threats, and (since 2012) assistance measures."""

from __future__ import annotations

from tests.conformance.conftest import covers


@covers("cst-art2-consultation")
def test_a_member_may_ask_for_consultations(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2021-08-16")
    e = t.do("TJK", "request_consultation", "afg", subject="the Afghan border", threat="armed groups")
    assert e[0].type == "ConsultationRequested"
    assert e[0].data["citation"] == "CST Art. 2 (as amended 2010)"


@covers("cst-art2-consultation")
def test_a_non_member_cannot_ask_for_consultations(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2021-08-16").refused("UZB", "request_consultation", "x", subject="s")
    assert r.article.startswith("CST Art. 2")


@covers("cst-art2-assistance-measures")
def test_art2_assistance_measures_exist_only_after_the_amendments(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2010-06-12").refused("KGZ", "request_assistance", "k", article="art2", kind="internal_unrest")
    assert r.article == "CST Art. 2" and r.rule == "cst-art2-assistance-measures"
    assert "consultations" in r.reason
    table("2013-01-10").do("KGZ", "request_assistance", "k", article="art2", kind="internal_unrest")


@covers("cst-art2-assistance-measures", "cst-art2-consultation")
def test_a_non_member_cannot_ask_for_art2_assistance_measures(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2015-01-01").refused("UZB", "request_assistance", "u", article="art2", kind="internal_unrest")
    assert r.rule == "cst-art2-consultation" and r.article.startswith("CST Art. 2")
