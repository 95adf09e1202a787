"""The alliance as it stood on given dates: who was a member, with which status."""

from __future__ import annotations

import datetime as dt

import pytest

import csto
from csto.errors import InputError
from csto.model import load


def codes(at: str) -> dict[str, str]:
    a = load("csto", at)
    return {m.iso3: m.status for m in a.members}


def test_1995_azerbaijan_georgia_uzbekistan_are_members() -> None:
    members = codes("1995-01-01")
    for iso3 in ("AZE", "GEO", "UZB"):
        assert members.get(iso3) == "member"
    assert len(members) == 9


def test_2000_the_three_that_did_not_renew_are_former() -> None:
    a = load("csto", "2000-01-01")
    members = {m.iso3 for m in a.members}
    assert not members & {"AZE", "GEO", "UZB"}
    assert {m.iso3 for m in a.former} >= {"AZE", "GEO", "UZB"}
    assert all(m.status == "withdrawn" for m in a.former)


def test_2010_uzbekistan_is_a_member_again() -> None:
    assert codes("2010-06-01").get("UZB") == "member"


def test_2013_uzbekistan_is_suspended_or_gone() -> None:
    assert codes("2013-06-01").get("UZB") in (None, "suspended")


def test_2025_armenia_is_frozen_and_there_are_six_members() -> None:
    members = codes("2025-01-01")
    assert members["ARM"] == "frozen"
    assert len(members) == 6
    assert set(members) == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}


def test_before_entry_into_force_the_signatories_are_not_yet_members() -> None:
    a = load("csto", "1993-01-01")
    assert a.members == ()
    assert {m.iso3 for m in a.signatories} == {"ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"}


def test_load_defaults_to_today_and_accepts_a_date_object() -> None:
    assert load().at == dt.date.today()
    assert csto.load(at=dt.date(2012, 1, 1)).at == dt.date(2012, 1, 1)


def test_a_date_before_the_treaty_is_refused_with_the_founding_date() -> None:
    with pytest.raises(InputError, match="1992-05-15"):
        load("csto", "1991-12-31")


def test_a_malformed_date_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        load("csto", "2012-13-01")
    assert info.value.field == "--at"


def test_an_unknown_alliance_lists_the_available_ones() -> None:
    with pytest.raises(InputError) as info:
        load("warsaw-pact")
    assert "csto" in (info.value.expected or "")


def test_bodies_and_forces_appear_only_once_established() -> None:
    early = load("csto", "2000-01-01")
    late = load("csto", "2023-01-01")
    early_bodies = {b.id for b in early.bodies}
    late_bodies = {b.id for b in late.bodies}
    assert "csc" in early_bodies
    assert "pa" not in early_bodies and "pa" in late_bodies
    assert "crrf" not in {f.id for f in early.forces}
    assert "crrf" in {f.id for f in late.forces}


def test_the_chair_follows_the_record() -> None:
    assert load("csto", "2022-01-06").chair("csc") == "ARM"
    assert load("csto", "2024-06-01").chair("csc") == "KAZ"


def test_the_secretary_general_on_a_date() -> None:
    a = load("csto", "2024-06-01")
    sec = a.body("secretariat")
    assert sec is not None
    names = [o.name for o in sec.officers_on(a.at)]
    assert any("Tasmagambetov" in n for n in names)
