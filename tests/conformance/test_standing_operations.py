"""Standing regional operations (Charter Art. 3, uncertain): stages are carried out by members taking part;
third states and organisations attend as observers only."""

from __future__ import annotations

from typing import Any

from tests.conformance.conftest import covers

ART3 = "Charter Art. 3"


def _stage(**over: Any) -> dict[str, Any]:
    return {
        "operation": "channel",
        "stage": "Channel-Centre",
        "start": "2024-06-03",
        "end": "2024-06-08",
        "participants": ["RUS", "KAZ"],
        "observers": ["UNODC"],
        **over,
    }


@covers("standing-operations-stage")
def test_a_stage_without_participants_is_refused(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2024-06-10").refused("secretariat", "record_stage", "op", **_stage(participants=[]))
    assert r.rule == "standing-operations-stage" and r.article.startswith(ART3) and r.uncertain
    assert r.reason == "a stage needs at least one participating member"


@covers("standing-operations-stage", "standing-operations-participation")
def test_a_third_state_is_an_observer_not_a_participant(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2024-06-10")
    r = t.refused("secretariat", "record_stage", "op", **_stage(participants=["RUS", "CHN"]))
    assert r.rule == "standing-operations-participation" and "CHN is not a member" in r.reason
    e = t.do("secretariat", "record_stage", "op", **_stage(observers=["UNODC", "CHN"]))
    assert e[0].data["participants"] == ["KAZ", "RUS"] and "CHN" in e[0].data["observers"]


@covers("standing-operations-stage", "practice-frozen-participation")
def test_a_frozen_member_is_not_a_participant(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2024-06-10").refused("secretariat", "record_stage", "op", **_stage(participants=["ARM"]))
    assert r.rule == "practice-frozen-participation"
