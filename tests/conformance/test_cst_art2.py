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


@covers("cst-art2-measures-ceiling")
def test_consultations_reached_a_mission_at_most_before_the_amendments(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules.defence import response_ceiling

    sit = table("2010-06-14").engine.world.situation()
    assert response_ceiling(sit, "consultation", None) == "mission"
    assert response_ceiling(sit, "assistance", "art4") == "deployment"
    assert response_ceiling(sit, "statement", None) == "statement"


@covers("cst-art2-measures-ceiling")
def test_consultations_reach_assistance_measures_since_the_amendments(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules.defence import response_ceiling

    sit = table("2022-09-13").engine.world.situation()
    assert response_ceiling(sit, "consultation", None) == "assistance"
    assert response_ceiling(sit, "assistance", "art2") == "assistance"


@covers("cst-art2-measures-ceiling")
def test_nato_consultations_may_lead_to_reinforcing_the_ally_that_asked() -> None:
    import datetime as dt

    from csto.model import load_dataset
    from csto.procedures import Engine
    from csto.rules.defence import response_ceiling

    eng = Engine(load_dataset("nato"))
    eng.replay([eng.open(dt.datetime(2022, 2, 24, 9, tzinfo=dt.UTC))])
    assert response_ceiling(eng.world.situation(), "consultation", None) == "deployment"


@covers("cst-art2-measures-ceiling")
def test_consultations_nobody_at_the_centre_asked_for_reach_a_mission_at_most(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules.defence import response_ceiling

    sit = table("2024-03-23").engine.world.situation()
    assert response_ceiling(sit, "consultation", None, asked=False, consents=True) == "mission"
    assert response_ceiling(sit, "consultation", None, asked=False, consents=False) == "statement"
    assert response_ceiling(sit, "consultation", None, asked=True) == "assistance"
