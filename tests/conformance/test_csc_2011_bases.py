"""CSC decision of December 2011: a non-member's base needs every member's consent; one refusal blocks."""

from __future__ import annotations

from tests.conformance.conftest import covers


def _request(t):  # type: ignore[no-untyped-def]
    t.do("KGZ", "request_base", "b", foreign_state="USA", site="Manas")
    return t


@covers("csc-2011-bases-consent")
def test_one_refusal_blocks_the_base(table) -> None:  # type: ignore[no-untyped-def]
    t = _request(table("2026-03-01"))
    for s in ("KAZ", "TJK", "BLR", "ARM"):
        t.do(s, "answer", "b", answer="consent")
    t.do("RUS", "answer", "b", answer="refuse")
    r = t.refused("KGZ", "establish_base", "b")
    assert r.article == "CSC decision 2011 Art. 1"
    assert "RUS refused" in r.reason


@covers("csc-2011-bases-consent")
def test_every_member_must_consent(table) -> None:  # type: ignore[no-untyped-def]
    t = _request(table("2026-03-01"))
    for s in ("KAZ", "TJK", "BLR", "RUS"):
        t.do(s, "answer", "b", answer="consent")
    r = t.refused("KGZ", "establish_base", "b")
    assert "ARM" in r.reason and "missing" in r.reason
    t.do("ARM", "answer", "b", answer="consent")
    assert t.do("KGZ", "establish_base", "b")[0].type == "BaseEstablished"
    assert t.engine.world.bases == [{"host": "KGZ", "foreign_state": "USA", "site": "Manas"}]


@covers("csc-2011-bases-answer")
def test_a_frozen_members_consent_can_be_configured_away(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules import RulesConfig

    t = _request(table("2026-03-01", RulesConfig(frozen_members_consent_to_bases=False)))
    for s in ("KAZ", "TJK", "BLR", "RUS"):
        t.do(s, "answer", "b", answer="consent")
    r = t.refused("ARM", "answer", "b", answer="refuse")
    assert r.rule == "csc-2011-bases-answer" and r.article == "CSC decision 2011 Art. 1"
    t.do("KGZ", "establish_base", "b")


@covers("csc-2011-bases-answer")
def test_a_non_member_cannot_answer(table) -> None:  # type: ignore[no-untyped-def]
    t = _request(table("2026-03-01"))
    r = t.refused("UZB", "answer", "b", answer="refuse")
    assert r.rule == "csc-2011-bases-answer" and r.article == "CSC decision 2011 Art. 1"
    assert "not among the members whose consent is required" in r.reason


@covers("csc-2011-bases-answer")
def test_the_host_does_not_answer_its_own_request(table) -> None:  # type: ignore[no-untyped-def]
    t = _request(table("2026-03-01"))
    r = t.refused("KGZ", "answer", "b", answer="consent")
    assert r.rule == "csc-2011-bases-answer"
    assert "its request stands for its consent" in r.reason


@covers("csc-2011-bases-request")
def test_a_frozen_member_cannot_ask_for_a_base(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2026-03-01").refused("ARM", "request_base", "b2", foreign_state="USA", site="x")
    assert r.rule == "csc-2011-bases-request" and r.article == "CSC decision 2011 Art. 1"
    assert "ARM is not a member taking part" in r.reason


@covers("csc-2011-bases-request")
def test_a_former_member_cannot_ask_for_a_base(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2015-01-01").refused("UZB", "request_base", "b", foreign_state="USA", site="Karshi-Khanabad")
    assert r.rule == "csc-2011-bases-request"


@covers("csc-2011-bases-request")
def test_a_member_taking_part_may_ask_for_a_base(table) -> None:  # type: ignore[no-untyped-def]
    e = table("2026-03-01").do("KGZ", "request_base", "b", foreign_state="USA", site="Manas")
    assert e[0].type == "BaseRequested" and "ARM" in e[0].data["consent_needed_from"]
