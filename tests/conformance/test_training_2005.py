"""Training Agreement 2005: the host sets free or preferential quotas for another member taking part, never
below the places already allocated, and the sender uses them (paid places need no quota)."""

from __future__ import annotations

from tests.conformance.conftest import covers

TRAINING = "Training Agreement 2005"


def _quota(t, sender: str = "KGZ", terms: str = "free", places: int = 5):  # type: ignore[no-untyped-def]
    return t.do("RUS", "set_quota", "tr", sender=sender, terms=terms, places=places, year=2023)


@covers("training-2005-quota-setting")
def test_a_host_sets_a_free_quota_for_another_member(table) -> None:  # type: ignore[no-untyped-def]
    e = _quota(table("2023-03-01"))
    assert e[0].type == "QuotaSet" and e[0].data["citation"] == TRAINING


@covers("training-2005-quota-setting")
def test_a_host_does_not_set_a_quota_for_itself(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2023-03-01").refused("RUS", "set_quota", "tr", sender="RUS", terms="free", places=3, year=2023)
    assert r.rule == "training-2005-quota-setting" and r.article == TRAINING
    assert r.reason == "a host does not set a quota for itself"


@covers("training-2005-quota-setting")
def test_paid_places_need_no_quota(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2023-03-01").refused("RUS", "set_quota", "tr", sender="KGZ", terms="paid", places=3, year=2023)
    assert r.rule == "training-2005-quota-setting" and "paid needs none" in r.reason


@covers("training-2005-quota-setting")
def test_a_quota_is_not_cut_below_the_places_allocated(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    _quota(t, places=5)
    t.do("KGZ", "allocate", "tr", terms="free", places=4)
    r = t.refused("RUS", "set_quota", "tr", sender="KGZ", terms="free", places=3, year=2023)
    assert r.rule == "training-2005-quota-setting"
    assert r.reason == "4 free places are already allocated; the quota cannot be 3"
    assert _quota(t, places=4)[0].data["places"] == 4


@covers("training-2005-quota-setting")
def test_no_quota_for_a_state_that_left(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2023-03-01").refused("RUS", "set_quota", "tr", sender="UZB", terms="free", places=3, year=2023)
    assert r.rule == "training-2005-quota-setting" and r.article == TRAINING
    assert "UZB is not a member" in r.reason


@covers("training-2005-quota-setting", "practice-frozen-participation")
def test_a_frozen_host_sets_no_quota(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2025-03-01").refused("ARM", "set_quota", "tr", sender="KGZ", terms="free", places=3, year=2025)
    assert r.rule == "practice-frozen-participation" and r.article == "Charter Art. 12"


@covers("training-2005-quota")
def test_places_beyond_the_quota_are_refused_but_paid_places_are_open(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    _quota(t, places=2)
    r = t.refused("KGZ", "allocate", "tr", terms="free", places=3)
    assert r.rule == "training-2005-quota" and "only 2 remain" in r.reason
    t.do("KGZ", "allocate", "tr", terms="paid", places=30)
