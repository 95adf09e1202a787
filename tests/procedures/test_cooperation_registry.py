"""The cooperation procedures are registered with the engine, and their events are plain JSON.

Plain JSON matters because the ledger stores event data as JSON: a date or a tuple in an event would
break a round trip through the store.
"""

from __future__ import annotations

import datetime as dt
import json

from csto.procedures import PROCEDURES, Action, starters

KINDS = {
    "exercise": "plan",
    "arms": "order",
    "training": "set_quota",
    "budget": "propose_budget",
    "intel": "file_report",
    "operation": "record_stage",
}


def t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def test_each_cooperation_procedure_is_registered_with_its_opening_action():
    opening = starters()
    for kind, start in KINDS.items():
        assert kind in PROCEDURES
        assert opening[start] is PROCEDURES[kind]


def _plain(value: object) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def test_cooperation_events_are_plain_json_and_survive_a_round_trip(engine_at):
    eng = engine_at("2023-03-01")
    steps = [
        Action(
            "plan",
            "joint_staff",
            t("2023-03-02"),
            "ex",
            {
                "name": "Search-2023",
                "series": "Search",
                "host": "BLR",
                "start": dt.date(2023, 9, 1),
                "end": dt.date(2023, 9, 5),
                "forces": ("crrf",),
            },
        ),
        Action("join", "BLR", t("2023-03-03"), "ex", {"personnel": 300}),
        Action("conduct", "joint_staff", t("2023-09-01"), "ex"),
        Action(
            "order",
            "KAZ",
            t("2023-09-02"),
            "arms",
            {
                "supplier": "RUS",
                "item": "BTR-82A",
                "quantity": 10,
                "domestic_price": 5,
                "export_price": 7,
            },
        ),
        Action(
            "set_quota",
            "RUS",
            t("2023-09-03"),
            "tr",
            {
                "sender": "TJK",
                "terms": "free",
                "places": 3,
                "year": 2023,
            },
        ),
        Action(
            "propose_budget",
            "secretariat",
            t("2023-09-04"),
            "bud",
            {
                "year": 2023,
                "total": 100,
                "shares": {"RUS": 50, "KAZ": 50},
            },
        ),
        Action(
            "file_report",
            "KAZ",
            t("2023-09-05"),
            "rep",
            {
                "title": "x",
                "classification": "restricted",
                "releasable_to": ("RUS",),
            },
        ),
        Action(
            "record_stage",
            "secretariat",
            t("2023-09-06"),
            "op",
            {
                "operation": "illegal",
                "stage": "1",
                "start": dt.date(2023, 9, 1),
                "end": "2023-09-03",
                "participants": ("RUS", "KAZ"),
                "results": {"migrants_detained": 40},
            },
        ),
    ]
    for a in steps:
        eng.handle(a)
    for e in eng.events[1:]:
        assert _plain(dict(e.data)), (e.type, e.data)
        assert json.loads(json.dumps(e.data)) == dict(e.data)
    assert json.loads(json.dumps(eng.snapshot())) == eng.snapshot()
