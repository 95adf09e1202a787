"""Provisions in force change with the amendments: CST Art. 4 before and after 2012-12-19."""

from __future__ import annotations

from csto.model import load


def test_cst_art4_differs_before_and_after_the_2010_protocol_entered_into_force() -> None:
    before = load("csto", "2011-01-01").provision("cst", "4")
    after = load("csto", "2013-01-01").provision("cst", "4")
    assert before is not None and after is not None
    assert before.version != after.version
    assert after.citation == "CST Art. 4 (as amended 2010)"
    assert before.citation == "CST Art. 4"
    assert "at_request_of_attacked" in after.version.codes
    assert "at_request_of_attacked" not in before.version.codes


def test_the_charter_is_not_in_force_before_2003() -> None:
    a = load("csto", "2002-12-31")
    assert not [p for p in a.provisions if p.instrument == "charter"]
    b = load("csto", "2004-01-01")
    assert b.provision("charter", "12") is not None


def test_every_article_version_has_a_summary_and_codes() -> None:
    ds = load("csto", "2025-01-01").dataset
    for inst in ds.instruments:
        for art in inst.articles:
            for v in art.versions:
                assert v.summary.strip(), f"{inst.id} art {art.number} lacks a summary"


def test_atop_coding_covers_the_core_variables() -> None:
    ds = load("csto").dataset
    coded = {c.variable for c in ds.atop.codes}
    for var in (
        "defense",
        "offense",
        "neutral",
        "nonagg",
        "consul",
        "milcon",
        "base",
        "organ1",
        "renounce",
        "length",
        "noothall",
    ):
        assert var in coded, var
    assert ds.atop.value("defense") == 1
