"""BudgetAssessment: a scale of shares decided by consensus, assessments, payments, posts and arrears.

Frozen or suspended members are not assessed and their share is not redistributed (Armenia 2024);
unpaid contributions block quota posts (Charter Art. 11) and withdrawal (Charter Art. 19).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures import Action, Engine

SHARES = {"RUS": 50.0, "ARM": 10.0, "BLR": 10.0, "KAZ": 10.0, "KGZ": 10.0, "TJK": 10.0}
TOTAL = 1_000_000.0


def t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def act(kind: str, actor: str, day: str, case: str = "budget", **params: Any) -> Action:
    return Action(kind, actor, t(day), case, params)


def adopt(eng: Engine, year: int, day: str, shares: dict[str, float] | None = None) -> list[Any]:
    eng.handle(act("propose_budget", "secretariat", day, year=year, total=TOTAL, shares=shares or SHARES))
    eng.handle(act("convene", "secretariat", day, body="csc"))
    for state in sorted(s for s, st in eng.world.statuses.items() if st == "member"):
        eng.handle(act("vote", state, day, position="support"))
    return eng.handle(act("close", "secretariat", day))


def test_frozen_member_is_not_assessed_and_its_share_is_not_redistributed(engine_at):
    eng = engine_at("2025-03-01")  # Armenia frozen in the data
    ev = adopt(eng, 2025, "2025-03-02")
    assert [e.type for e in ev] == ["DecisionAdopted", "BudgetAdopted"]
    d = ev[-1].data
    assert d["not_assessed"] == ["ARM"]
    assert "ARM" not in d["assessments"]
    assert d["assessments"]["RUS"] == 500_000.0 and d["assessments"]["KAZ"] == 100_000.0
    assert d["unfunded"] == 100_000.0 and d["adopted_total"] == 900_000.0
    assert "rferl_2024_armenia_budget" in d["sources"] and "nsn_2024_csto_budget" in d["sources"]
    assert "not redistributed" in d["reason"]
    assert eng.world.assessed["RUS"] == 500_000.0 and "ARM" not in eng.world.assessed


def test_every_member_is_assessed_when_all_take_part(engine_at):
    eng = engine_at("2023-03-01")
    d = adopt(eng, 2023, "2023-03-02")[-1].data
    assert d["not_assessed"] == [] and d["assessments"]["ARM"] == 100_000.0
    assert d["adopted_total"] == TOTAL


def test_status_at_adoption_decides_member_frozen_after_the_proposal(engine_at, freeze):
    eng = engine_at("2023-03-01")
    eng.handle(act("propose_budget", "secretariat", "2023-03-02", year=2023, total=TOTAL, shares=SHARES))
    freeze(eng, "ARM", "2023-03-03")
    eng.handle(act("convene", "secretariat", "2023-03-04", body="csc"))
    for state in ("BLR", "KAZ", "KGZ", "RUS", "TJK"):
        eng.handle(act("vote", state, "2023-03-04", position="support"))
    d = eng.handle(act("close", "secretariat", "2023-03-04"))[-1].data
    assert d["not_assessed"] == ["ARM"] and d["statuses"] == {"ARM": "frozen"}


def test_suspended_member_is_not_assessed(engine_at, suspend):
    eng = engine_at("2023-03-01")
    suspend(eng, "TJK", "2023-03-02")
    d = adopt(eng, 2023, "2023-03-03")[-1].data
    assert d["not_assessed"] == ["TJK"] and d["statuses"] == {"TJK": "suspended"}


def test_shares_must_sum_to_100(engine_at, refused):
    eng = engine_at("2023-03-01")
    bad = {**SHARES, "RUS": 49.0}
    r = refused(eng, act("propose_budget", "secretariat", "2023-03-02", year=2023, total=TOTAL, shares=bad))
    assert r.article == "Charter Art. 11" and r.rule == "budget-scale"
    assert "99.00%" in r.reason
    ok = {**SHARES, "RUS": 49.995, "TJK": 10.0}  # within the 0.01 tolerance
    eng.handle(act("propose_budget", "secretariat", "2023-03-02", year=2023, total=TOTAL, shares=ok))


def test_only_members_are_in_the_scale(engine_at, refused):
    eng = engine_at("2023-03-01")
    bad = {**{k: v for k, v in SHARES.items() if k != "TJK"}, "UZB": 10.0}
    r = refused(eng, act("propose_budget", "secretariat", "2023-03-02", year=2023, total=TOTAL, shares=bad))
    assert r.article == "Charter Art. 11" and "UZB" in r.reason


def test_only_the_secretariat_proposes_the_budget(engine_at, refused):
    eng = engine_at("2023-03-01")
    r = refused(eng, act("propose_budget", "RUS", "2023-03-02", year=2023, total=TOTAL, shares=SHARES))
    assert r.article == "Charter Art. 12" and r.rule == "budget-sequence"


def test_re_tabled_budget_is_checked_and_adopted_as_tabled(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("propose_budget", "secretariat", "2023-03-02", year=2023, total=TOTAL, shares=SHARES))
    eng.handle(act("convene", "secretariat", "2023-03-02", body="csc"))
    assert refused(eng, act("propose", "secretariat", "2023-03-02", total=-5.0)).rule == "budget-scale"
    eng.handle(act("propose", "secretariat", "2023-03-02", total=800_000.0))
    for state in ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"):
        eng.handle(act("vote", state, "2023-03-02", position="support"))
    d = eng.handle(act("close", "secretariat", "2023-03-02"))[-1].data
    assert d["assessments"]["RUS"] == 400_000.0


def test_objection_blocks_the_budget_and_nothing_is_assessed(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("propose_budget", "secretariat", "2023-03-02", year=2023, total=TOTAL, shares=SHARES))
    eng.handle(act("convene", "secretariat", "2023-03-02", body="csc"))
    for state in ("ARM", "BLR", "KAZ", "KGZ", "RUS"):
        eng.handle(act("vote", state, "2023-03-02", position="support"))
    eng.handle(act("vote", "TJK", "2023-03-02", position="object"))
    ev = eng.handle(act("close", "secretariat", "2023-03-02"))
    assert [e.type for e in ev] == ["DecisionFailed"]
    assert dict(eng.world.assessed) == {}
    assert refused(eng, act("pay", "RUS", "2023-03-03", amount=1.0)).rule == "budget-sequence"


def test_quota_posts_follow_payment(engine_at, refused):
    eng = engine_at("2025-03-01")
    adopt(eng, 2025, "2025-03-02")
    r = refused(eng, act("fill_post", "KAZ", "2025-03-03", post="deputy head of department"))
    assert r.article == "Charter Art. 11" and r.rule == "secretariat-quota-posts"
    eng.handle(act("pay", "KAZ", "2025-03-04", amount=60_000.0))
    eng.handle(act("pay", "KAZ", "2025-03-05", amount=40_000.0))
    assert eng.world.arrears("KAZ") == 0
    ev = eng.handle(act("fill_post", "KAZ", "2025-03-06", post="deputy head of department"))
    assert ev[0].type == "PostFilled"
    r = refused(eng, act("fill_post", "ARM", "2025-03-06", post="adviser"))
    assert r.article == "Charter Art. 12" and r.rule == "practice-frozen-participation"


def test_overpayment_and_payment_by_the_unassessed_are_refused(engine_at, refused):
    eng = engine_at("2025-03-01")
    adopt(eng, 2025, "2025-03-02")
    r = refused(eng, act("pay", "KAZ", "2025-03-03", amount=100_001.0))
    assert r.article == "Charter Art. 11" and r.rule == "budget-payment"
    assert refused(eng, act("pay", "ARM", "2025-03-03", amount=10.0)).rule == "budget-payment"
    assert refused(eng, act("pay", "KAZ", "2025-03-03", amount=0.0)).rule == "budget-payment"


def test_close_year_records_arrears_and_closes_the_case(engine_at, refused):
    eng = engine_at("2025-03-01")
    adopt(eng, 2025, "2025-03-02")
    for state, amount in (("RUS", 500_000.0), ("KAZ", 100_000.0), ("KGZ", 100_000.0), ("TJK", 50_000.0)):
        eng.handle(act("pay", state, "2025-06-01", amount=amount))
    assert refused(eng, act("close_year", "secretariat", "2025-12-30")).rule == "budget-sequence"
    assert refused(eng, act("close_year", "RUS", "2025-12-31")).rule == "budget-sequence"
    ev = eng.handle(act("close_year", "secretariat", "2025-12-31"))
    assert ev[0].type == "ArrearsRecorded"
    assert ev[0].data["arrears"] == {"BLR": 100_000.0, "TJK": 50_000.0}
    case = eng.cases["budget"]
    assert case.is_terminal and case.outcome == "closed"


def test_arrears_block_withdrawal(engine_at, refused):
    eng = engine_at("2025-03-01")
    adopt(eng, 2025, "2025-03-02")
    eng.handle(act("close_year", "secretariat", "2025-12-31"))
    notice = Action("notify_withdrawal", "BLR", t("2026-01-05"), "blr-out", {"effective": "2026-08-01"})
    r = refused(eng, notice)
    assert r.article == "Charter Art. 19" and r.rule == "charter-art19-withdrawal-obligations"


def test_replay_of_events_rebuilds_the_same_budget(engine_at, replayed):
    eng = engine_at("2025-03-01")
    adopt(eng, 2025, "2025-03-02")
    eng.handle(act("pay", "RUS", "2025-04-01", amount=500_000.0))
    eng.handle(act("fill_post", "RUS", "2025-04-02", post="head of department"))
    eng.handle(act("pay", "KAZ", "2025-04-03", amount=25_000.5))
    eng.handle(act("close_year", "secretariat", "2025-12-31"))
    fresh = replayed(eng)
    assert fresh.snapshot() == eng.snapshot()
    assert fresh.world.arrears("KAZ") == eng.world.arrears("KAZ") == 74_999.5
