"""IntelReport: filing by a member taking part, reading only where released, widening the release.

Refusals cite the Classified Information Agreement 2004, or Charter Art. 12 / Art. 20 for frozen and
suspended readers; a refused reading leaves no access record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures import Action

CLASSIFIED = "Classified Information Agreement 2004"


def t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def act(kind: str, actor: str, day: str, case: str = "rep-1", **params: Any) -> Action:
    return Action(kind, actor, t(day), case, params)


def file(eng: Any, day: str, classification: str = "secret", to: list[str] | None = None) -> None:
    eng.handle(
        act(
            "file_report",
            "RUS",
            day,
            title="Militant movements near the Tajik-Afghan border",
            classification=classification,
            releasable_to=["KAZ", "BLR"] if to is None else to,
        )
    )


def test_released_reader_reads_and_the_access_is_recorded(engine_at):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02")
    ev = eng.handle(act("read", "KAZ", "2023-03-03"))
    assert ev[0].type == "ReportRead" and ev[0].data["reader"] == "KAZ"
    eng.handle(act("read", "RUS", "2023-03-03"))  # the originator always may
    access = eng.cases["rep-1"].snapshot()["access"]
    assert [a["reader"] for a in access] == ["KAZ", "RUS"]


def test_reader_outside_the_release_is_refused_and_leaves_no_record(engine_at, refused):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02")
    r = refused(eng, act("read", "TJK", "2023-03-03"))
    assert r.article == CLASSIFIED and r.rule == "classified-2004-releasability"
    assert eng.cases["rep-1"].snapshot()["access"] == []


def test_release_extension_lets_the_new_reader_in(engine_at):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02")
    ev = eng.handle(act("release", "RUS", "2023-03-03", to=["TJK", "KAZ"]))
    assert ev[0].type == "ReleaseExtended" and ev[0].data["to"] == ["TJK"]
    eng.handle(act("read", "TJK", "2023-03-04"))
    assert eng.cases["rep-1"].snapshot()["releasable_to"] == ["BLR", "KAZ", "TJK"]


def test_only_the_originator_releases_and_nothing_new_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02")
    r = refused(eng, act("release", "KAZ", "2023-03-03", to=["TJK"]))
    assert r.article == CLASSIFIED and r.rule == "intel-sequence"
    assert refused(eng, act("release", "RUS", "2023-03-03", to=["KAZ"])).rule == "intel-sequence"


def test_classified_release_to_a_non_member_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    r = refused(
        eng,
        act(
            "file_report",
            "RUS",
            "2023-03-02",
            title="x",
            classification="secret",
            releasable_to=["KAZ", "USA"],
        ),
    )
    assert r.article == CLASSIFIED and r.rule == "classified-2004-parties-only"
    file(eng, "2023-03-02")
    assert (
        refused(eng, act("release", "RUS", "2023-03-03", to=["CHN"])).rule == "classified-2004-parties-only"
    )


def test_unknown_classification_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    r = refused(
        eng, act("file_report", "RUS", "2023-03-02", title="x", classification="cosmic", releasable_to=[])
    )
    assert r.article == CLASSIFIED


def test_unclassified_report_is_open_to_any_state(engine_at):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02", classification="unclassified", to=[])
    eng.handle(act("read", "SRB", "2023-03-03"))
    assert eng.cases["rep-1"].snapshot()["access"][0]["reader"] == "SRB"


def test_frozen_member_can_neither_file_nor_read_classified(engine_at, refused):
    eng = engine_at("2025-03-01")
    r = refused(
        eng, act("file_report", "ARM", "2025-03-02", title="x", classification="secret", releasable_to=[])
    )
    assert r.article == "Charter Art. 12"
    eng.handle(
        act("file_report", "RUS", "2025-03-02", title="y", classification="restricted", releasable_to=["ARM"])
    )
    r = refused(eng, act("read", "ARM", "2025-03-03"))
    assert r.article == "Charter Art. 12" and r.rule == "practice-frozen-participation"


def test_suspended_member_receives_no_intelligence_even_if_released(engine_at, refused, suspend):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02", to=["KGZ"])
    suspend(eng, "KGZ", "2023-03-03")
    r = refused(eng, act("read", "KGZ", "2023-03-04"))
    assert r.article == "Charter Art. 20" and r.rule == "charter-art20-suspension"


def test_report_never_closes(engine_at):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02")
    for i in range(3):
        eng.handle(act("read", "KAZ", f"2023-03-0{i + 3}"))
    case = eng.cases["rep-1"]
    assert not case.is_terminal and "read" in case.legal_actions("TJK")


def test_replay_of_events_rebuilds_the_same_report(engine_at, replayed):
    eng = engine_at("2023-03-01")
    file(eng, "2023-03-02")
    eng.handle(act("read", "KAZ", "2023-03-03"))
    eng.handle(act("release", "RUS", "2023-03-04", to=["TJK"]))
    eng.handle(act("read", "TJK", "2023-03-05"))
    assert replayed(eng).snapshot() == eng.snapshot()
