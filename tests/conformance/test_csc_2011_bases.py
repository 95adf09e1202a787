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


@covers("csc-2011-bases-consent")
def test_a_frozen_members_consent_can_be_configured_away(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules import RulesConfig

    t = _request(table("2026-03-01", RulesConfig(frozen_members_consent_to_bases=False)))
    for s in ("KAZ", "TJK", "BLR", "RUS"):
        t.do(s, "answer", "b", answer="consent")
    assert t.refused("ARM", "answer", "b", answer="refuse").rule == "csc-2011-bases-consent"
    t.do("KGZ", "establish_base", "b")


@covers("csc-2011-bases-consent")
def test_a_non_member_cannot_answer_and_the_host_must_take_part(table) -> None:  # type: ignore[no-untyped-def]
    t = _request(table("2026-03-01"))
    assert t.refused("UZB", "answer", "b", answer="refuse").rule == "csc-2011-bases-consent"
    assert (
        t.refused("ARM", "request_base", "b2", foreign_state="USA", site="x").rule == "csc-2011-bases-consent"
    )
