"""TrainingQuota: the host sets free and preferential quotas, the sender allocates against what remains.

Refusals cite the Training Agreement 2005 (quota, terms, sequence) or the freeze practice (Charter
Art. 12); the remaining quota is computed from the events; paid places need no quota.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures import Action

TRAINING = "Training Agreement 2005"


def t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def act(kind: str, actor: str, day: str, case: str = "tr-1", **params: Any) -> Action:
    return Action(kind, actor, t(day), case, params)


def quota(eng: Any, terms: str = "free", places: int = 5) -> None:
    eng.handle(act("set_quota", "RUS", "2023-03-02", sender="KGZ", terms=terms, places=places, year=2023))


def test_allocations_use_up_the_quota_then_are_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    quota(eng, "free", 5)
    eng.handle(act("allocate", "KGZ", "2023-04-01", terms="free", places=3, speciality="artillery"))
    ev = eng.handle(act("allocate", "KGZ", "2023-04-02", terms="free", places=2, speciality="signals"))
    assert ev[0].type == "PlacesAllocated" and ev[0].data["remaining_after"] == 0
    r = refused(eng, act("allocate", "KGZ", "2023-04-03", terms="free", places=1))
    assert r.article == TRAINING and r.rule == "training-2005-quota"
    assert "only 0 remain" in r.reason
    assert eng.cases["tr-1"].snapshot()["remaining"] == {"free": 0}


def test_paid_places_need_no_quota(engine_at):
    eng = engine_at("2023-03-01")
    quota(eng, "free", 1)
    ev = eng.handle(act("allocate", "KGZ", "2023-04-01", terms="paid", places=20))
    assert ev[0].data["remaining_after"] is None
    assert eng.cases["tr-1"].snapshot()["allocated"] == {"paid": 20}


def test_preferential_places_without_a_preferential_quota_are_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    quota(eng, "free", 5)
    r = refused(eng, act("allocate", "KGZ", "2023-04-01", terms="preferential", places=1))
    assert r.article == TRAINING and "no preferential quota" in r.reason


def test_second_quota_on_other_terms_adds_to_the_case(engine_at):
    eng = engine_at("2023-03-01")
    quota(eng, "free", 5)
    quota(eng, "preferential", 10)
    eng.handle(act("allocate", "KGZ", "2023-04-01", terms="preferential", places=7))
    assert eng.cases["tr-1"].snapshot()["remaining"] == {"free": 5, "preferential": 3}


def test_quota_cannot_be_cut_below_allocated_places(engine_at, refused):
    eng = engine_at("2023-03-01")
    quota(eng, "free", 5)
    eng.handle(act("allocate", "KGZ", "2023-04-01", terms="free", places=4))
    r = refused(eng, act("set_quota", "RUS", "2023-04-02", sender="KGZ", terms="free", places=3, year=2023))
    assert r.article == TRAINING


def test_paid_quota_and_self_quota_are_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    r = refused(eng, act("set_quota", "RUS", "2023-03-02", sender="KGZ", terms="paid", places=3, year=2023))
    assert r.article == TRAINING
    r = refused(eng, act("set_quota", "RUS", "2023-03-02", sender="RUS", terms="free", places=3, year=2023))
    assert r.article == TRAINING


def test_frozen_sender_gets_no_quota(engine_at, refused):
    eng = engine_at("2025-03-01")
    r = refused(eng, act("set_quota", "RUS", "2025-03-02", sender="ARM", terms="free", places=3, year=2025))
    assert r.article == "Charter Art. 12" and r.rule == "practice-frozen-participation"


def test_sender_frozen_after_the_quota_cannot_allocate(engine_at, refused, freeze):
    eng = engine_at("2023-03-01")
    eng.handle(act("set_quota", "RUS", "2023-03-02", sender="ARM", terms="free", places=3, year=2023))
    freeze(eng, "ARM", "2023-06-01")
    r = refused(eng, act("allocate", "ARM", "2023-06-02", terms="free", places=1))
    assert r.article == "Charter Art. 12"


def test_only_the_sender_allocates_and_only_the_host_sets_quotas(engine_at, refused):
    eng = engine_at("2023-03-01")
    quota(eng)
    assert (
        refused(eng, act("allocate", "KAZ", "2023-04-01", terms="free", places=1)).rule == "training-sequence"
    )
    r = refused(eng, act("set_quota", "KAZ", "2023-04-01", sender="KGZ", terms="free", places=3, year=2023))
    assert r.article == TRAINING and r.rule == "training-sequence"
    r = refused(eng, act("set_quota", "RUS", "2023-04-01", sender="TJK", terms="free", places=3, year=2023))
    assert r.article == TRAINING  # another sender needs its own case


def test_allocate_before_any_quota_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(
        act("set_quota", "RUS", "2023-03-02", case="other", sender="KGZ", terms="free", places=1, year=2023)
    )
    assert (
        refused(eng, act("allocate", "KGZ", "2023-03-03", case="other", terms="free", places=2)).article
        == TRAINING
    )


def test_replay_of_events_rebuilds_the_same_quota(engine_at, replayed):
    eng = engine_at("2023-03-01")
    quota(eng, "free", 5)
    quota(eng, "preferential", 10)
    eng.handle(act("allocate", "KGZ", "2023-04-01", terms="free", places=2, speciality="engineers"))
    eng.handle(act("allocate", "KGZ", "2023-04-02", terms="paid", places=4))
    assert replayed(eng).snapshot() == eng.snapshot()
