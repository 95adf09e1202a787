"""The after-action report's typed input: ``AarRecord.from_dict`` reads the room's dict (and shrugs off
garbage), departures and troop totals are derived once from the votes and the movements, ``to_dict`` gives
the room's shape back, and the renderers take the record itself.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from csto.report.aar import render_html, render_pdf, troop_curve_png
from csto.report.aar_record import AarRecord, RoundRecord, VoteRecord, departures, is_departure

from .test_aar import SAMPLE, pdf_text


def test_from_dict_types_the_rooms_dict() -> None:
    r = AarRecord.from_dict(SAMPLE)
    assert r.exercise.started == datetime(2022, 1, 5, 18, tzinfo=UTC)
    assert r.exercise.duration_hours == 64.0 and r.exercise.verified is True
    assert [v.state for v in r.rounds[0].votes] == ["RUS", "ARM", "KAZ"]
    assert r.rounds[0].votes[0].model_reasons == ("regime solidarity +0.9", "cost −0.2")
    assert [t.arrived for t in r.troops] == [500, 1200, 330] and r.tasked == 2030
    assert r.refusals[0].article == "Charter Art. 12" and r.outcome == "deployment"


def test_departures_are_derived_from_the_votes_as_the_room_lists_them() -> None:
    r = AarRecord.from_dict(SAMPLE)
    assert [v.departed for v in r.rounds[0].votes] == [False, True, False]
    doc = r.to_dict()
    assert [{k: d[k] for k in ("state", "round", "human", "model", "reason")} for d in doc["departures"]] == (
        SAMPLE["departures"]
    )
    assert doc["departures"][0]["model_reasons"] == ["alliance cohesion +0.4", "grievance −0.3"]
    assert [v["departed"] for v in doc["rounds"][0]["votes"]] == [False, True, False]


def test_only_a_cast_human_vote_against_the_model_departs() -> None:
    human = VoteRecord(state="ARM", position="object", holder="human", model_position="support")
    assert is_departure(human)
    assert not is_departure(human.model_copy(update={"holder": "model"}))
    assert not is_departure(human.model_copy(update={"position": "support"}))
    assert not is_departure(human.model_copy(update={"position": "absent"}))  # no vote cast is no departure
    assert not is_departure(human.model_copy(update={"model_position": ""}))  # the model expected nothing
    rounds = [RoundRecord(round=2, votes=(human,)), RoundRecord(round=3)]
    assert [(d.round, d.state, d.human, d.model) for d in departures(rounds)] == [
        (2, "ARM", "object", "support")
    ]


def test_to_dict_fills_in_the_troop_totals_and_round_trips() -> None:
    r = AarRecord.from_dict(SAMPLE)
    doc = r.to_dict()
    assert [t["on_ground"] for t in doc["troops"]] == [t["on_ground"] for t in SAMPLE["troops"]]
    assert AarRecord.from_dict(doc) == r


def test_from_dict_reads_garbage_as_missing() -> None:
    r = AarRecord.from_dict(
        {
            "exercise": {"started": "yesterday", "verified": "yes", "id": 7},
            "rounds": [{"round": "first", "votes": [{"model_reasons": "one reason"}, None]}, "x"],
            "troops": "not a list",
            "tasked": "many",
            "seats": [None, {"user": ""}],
        }
    )
    assert r.exercise.started is None and r.exercise.verified is None and r.exercise.id == "7"
    assert r.rounds[0].round is None and r.rounds[0].votes[0].model_reasons == ("one reason",)
    assert r.troops == () and r.tasked == 0 and len(r.seats) == 1 and r.seats[0].user is None
    assert AarRecord.from_dict(None) == AarRecord()


def test_the_renderers_take_the_record_as_they_take_the_dict() -> None:
    r = AarRecord.from_dict(copy.deepcopy(SAMPLE))
    d: dict[str, Any] = copy.deepcopy(SAMPLE)
    assert render_html(r) == render_html(d)
    assert troop_curve_png(r) == troop_curve_png(d)
    assert pdf_text(render_pdf(r)) == pdf_text(render_pdf(d))
