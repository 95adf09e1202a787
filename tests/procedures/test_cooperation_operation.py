"""StandingOperation: stages of Channel, Illegal and Proxy with members taking part and numeric results.

Non-members, unknown operations and misordered stages are refused under Charter Art. 3 (the cited
purposes; the rule is marked uncertain), frozen and suspended members under Arts. 12 and 20.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures import Action

ART3 = "Charter Art. 3"


def t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def stage(actor: str, day: str, case: str = "kanal-2024", **overrides: Any) -> Action:
    params: dict[str, Any] = {
        "operation": "channel",
        "stage": "Channel-Centre",
        "start": "2024-06-03",
        "end": "2024-06-08",
        "participants": ["RUS", "KAZ", "KGZ", "TJK"],
        "observers": ["UNODC"],
        "results": {"drugs_seized_t": 9, "cases_opened": 120},
    }
    params.update(overrides)
    return Action("record_stage", actor, t(day), case, params)


def test_stages_are_recorded_and_results_totalled(engine_at):
    eng = engine_at("2024-06-01")
    ev = eng.handle(stage("secretariat", "2024-06-10"))
    assert ev[0].type == "StageRecorded" and ev[0].data["participants"] == ["KAZ", "KGZ", "RUS", "TJK"]
    eng.handle(stage("KAZ", "2024-10-10", stage="Channel-Autumn", results={"drugs_seized_t": 2.5}))
    snap = eng.cases["kanal-2024"].snapshot()
    assert snap["operation"] == "channel" and len(snap["stages"]) == 2
    assert snap["totals"] == {"cases_opened": 120.0, "drugs_seized_t": 11.5}
    assert not eng.cases["kanal-2024"].is_terminal


def test_frozen_participant_is_refused(engine_at, refused):
    eng = engine_at("2025-03-01")
    r = refused(eng, stage("secretariat", "2025-03-02", participants=["RUS", "ARM"]))
    assert r.article == "Charter Art. 12" and r.rule == "practice-frozen-participation"
    assert "kanal-2024" not in eng.cases


def test_suspended_participant_is_refused(engine_at, refused, suspend):
    eng = engine_at("2023-03-01")
    suspend(eng, "KGZ", "2023-03-02")
    r = refused(eng, stage("secretariat", "2023-03-03", participants=["RUS", "KGZ"]))
    assert r.article == "Charter Art. 20"


def test_non_member_participant_is_refused_but_observers_are_not_checked(engine_at, refused):
    eng = engine_at("2024-06-01")
    r = refused(eng, stage("secretariat", "2024-06-10", participants=["RUS", "AFG"]))
    assert r.article == ART3 and r.rule == "standing-operations-participation" and r.uncertain
    eng.handle(stage("secretariat", "2024-06-10", observers=["AFG", "IRN", "UNODC"]))


def test_frozen_member_cannot_record_a_stage(engine_at, refused):
    eng = engine_at("2025-03-01")
    r = refused(eng, stage("ARM", "2025-03-02", participants=["RUS"]))
    assert r.article == "Charter Art. 12"


def test_unknown_operation_mismatch_and_duplicate_stage_are_refused(engine_at, refused):
    eng = engine_at("2024-06-01")
    assert refused(eng, stage("secretariat", "2024-06-10", operation="harvest")).article == ART3
    eng.handle(stage("secretariat", "2024-06-10"))
    r = refused(eng, stage("secretariat", "2024-06-11", operation="illegal", stage="Illegal-1"))
    assert r.article == ART3 and r.rule == "operation-sequence"
    assert refused(eng, stage("secretariat", "2024-06-11")).rule == "operation-sequence"
    r = refused(eng, stage("secretariat", "2024-06-11", stage="x", start="2024-06-09", end="2024-06-01"))
    assert r.rule == "operation-sequence"
    assert refused(eng, stage("secretariat", "2024-06-11", stage="y", participants=[])).article == ART3


def test_replay_of_events_rebuilds_the_same_operation(engine_at, replayed):
    eng = engine_at("2024-06-01")
    eng.handle(stage("secretariat", "2024-06-10"))
    eng.handle(
        stage("RUS", "2024-07-01", stage="Channel-West", participants=["RUS", "BLR"], results={"x": 1})
    )
    eng.handle(stage("secretariat", "2024-07-02", case="proxy-2024", operation="proxy", stage="Proxy-1"))
    assert replayed(eng).snapshot() == eng.snapshot()
