"""The after-action report: troop curve PNG, the self-contained HTML page and the PDF, from a sample exercise.

The exercise dict is built here in the shape the web layer hands over (no ledger, database or engine), with
one human seat that departs from the model, a refusal, and troops arriving in three lifts.
"""

from __future__ import annotations

import base64
import copy
import io
import re
import zlib
from typing import Any

import pytest

from csto.report.aar import render_html, render_pdf, troop_curve_png
from csto.report.aar_pdf import latin1
from csto.report.aar_record import AarRecord

PNG = b"\x89PNG\r\n\x1a\n"
HEAD = "9c" * 32
HOSTILE = "<script>alert(1)</script>"

SAMPLE: dict[str, Any] = {
    "exercise": {
        "id": "x1",
        "title": "Kazakhstan unrest drill",
        "scenario": "kazakhstan-2022",
        "scenario_title": "Kazakhstan, January 2022",
        "alliance": "csto",
        "started": "2022-01-05T18:00:00+00:00",
        "ended": "2022-01-08T10:00:00+00:00",
        "ledger_head": HEAD,
        "verified": True,
    },
    "seats": [
        {"state": "KAZ", "name": "Kazakhstan", "holder": "human", "user": "kaz1"},
        {"state": "RUS", "name": "Russia", "holder": "model", "user": None},
        {"state": "ARM", "name": "Armenia", "holder": "human", "user": "arm1"},
    ],
    "timeline": [
        {
            "at": "2022-01-05T23:00:00+00:00",
            "hours": 5.0,
            "actor": "KAZ",
            "kind": "RequestLodged",
            "text": "Kazakhstan requests assistance under CST Art. 4 (as amended 2010)",
        },
        {
            "at": "2022-01-06T02:00:00+00:00",
            "hours": 8.0,
            "actor": "ARM",
            "kind": "VoteCast",
            "text": "Armenia objects to a deployment",
        },
    ],
    "rounds": [
        {
            "round": 1,
            "level": "deployment",
            "outcome": "adopted",
            "votes": [
                {
                    "state": "RUS",
                    "position": "support",
                    "reason": "Regime solidarity with Astana",
                    "holder": "model",
                    "model_position": "support",
                    "model_reasons": ["regime solidarity +0.9", "cost −0.2"],
                    "departed": False,
                },
                {
                    "state": "ARM",
                    "position": "object",
                    "reason": "Our own request of 2021 went unanswered",
                    "holder": "human",
                    "model_position": "support",
                    "model_reasons": ["alliance cohesion +0.4", "grievance −0.3"],
                    "departed": True,
                },
                {
                    "state": "KAZ",
                    "position": "support",
                    "reason": "We asked for it",
                    "holder": "human",
                    "model_position": "support",
                    "model_reasons": ["requester +1.0"],
                    "departed": False,
                },
            ],
        }
    ],
    "departures": [
        {
            "state": "ARM",
            "round": 1,
            "human": "object",
            "model": "support",
            "reason": "Our own request of 2021 went unanswered",
        }
    ],
    "troops": [
        {"hours": 10.7, "at": "2022-01-06T04:42:00+00:00", "on_ground": 500, "state": "RUS", "arrived": 500},
        {
            "hours": 30.0,
            "at": "2022-01-07T00:00:00+00:00",
            "on_ground": 1700,
            "state": "RUS",
            "arrived": 1200,
        },
        {"hours": 40.0, "at": "2022-01-07T10:00:00+00:00", "on_ground": 2030, "state": "KAZ", "arrived": 330},
    ],
    "tasked": 2030,
    "outcome": "deployment",
    "refusals": [
        {
            "at": "2022-01-06T01:00:00+00:00",
            "actor": "ARM",
            "action": "vote",
            "article": "Charter Art. 12",
            "reason": "Voting after the round closed",
        }
    ],
}


@pytest.fixture
def aar() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def rows(page: str) -> list[str]:
    """The HTML of each table row."""
    return re.findall(r"<tr[ >].*?</tr>", page, flags=re.S)


def row_of(page: str, *needles: str) -> str:
    found = [r for r in rows(page) if all(n in r for n in needles)]
    assert len(found) == 1, f"expected one row with {needles}, found {len(found)}"
    return found[0]


def pdf_text(pdf: bytes) -> str:
    """The text of the PDF's content streams (fpdf2 deflates them), decoded as latin-1."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        try:
            out.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            out.append(raw.decode("latin-1"))
    return "\n".join(out)


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# ---------------------------------------------------------------------------------------------- HTML
def test_html_shows_each_vote_with_its_reason_holder_and_the_models_expectation(aar: dict[str, Any]) -> None:
    page = render_html(aar)
    assert page.startswith("<!DOCTYPE html>")
    rus = row_of(page, "<b>RUS</b>", "Regime solidarity with Astana")
    assert "support" in rus and "model" in rus
    assert "regime solidarity +0.9" in rus and "cost −0.2" in rus
    kaz = row_of(page, "<b>KAZ</b>", "We asked for it")
    assert "human (kaz1)" in kaz and "requester +1.0" in kaz
    assert "Round 1: deployment (adopted)" in page


def test_html_marks_the_departed_human_vote_and_only_it(aar: dict[str, Any]) -> None:
    page = render_html(aar)
    arm = row_of(page, "<b>ARM</b>", "Our own request of 2021 went unanswered", "human (arm1)")
    assert arm.startswith("<tr class=dep>")
    assert "dep-mark" in arm and "departed from the model" in arm
    assert "alliance cohesion +0.4" in arm
    for state, reason in (("RUS", "Regime solidarity"), ("KAZ", "We asked for it")):
        assert "dep-mark" not in row_of(page, f"<b>{state}</b>", reason)


def test_html_lists_the_departures_or_says_there_were_none(aar: dict[str, Any]) -> None:
    page = render_html(aar)
    section = page.split("Where the humans departed from the model</h2>", 1)[1].split("<h2>", 1)[0]
    assert "1 vote from human-held seats differed" in section
    assert "<b>ARM</b>" in section and "Our own request of 2021" in section
    assert "grievance −0.3" in section  # the model's reasons, joined from the round
    aar["rounds"][0]["votes"][1]["model_position"] = "object"  # the model expected Armenia's objection
    calm = render_html(aar)
    section = calm.split("Where the humans departed from the model</h2>", 1)[1].split("<h2>", 1)[0]
    assert "The humans did not depart from the model" in section
    assert "<table" not in section
    assert "<tr class=dep>" not in calm


def test_html_derives_departures_from_the_votes_when_the_list_is_missing(aar: dict[str, Any]) -> None:
    del aar["departures"]
    del aar["rounds"][0]["votes"][1]["departed"]  # human object against model support: still a departure
    page = render_html(aar)
    section = page.split("Where the humans departed from the model</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<b>ARM</b>" in section
    assert row_of(page, "<b>ARM</b>", "human (arm1)").startswith("<tr class=dep>")


def test_html_shows_the_refusal_with_its_article_and_the_header(aar: dict[str, Any]) -> None:
    page = render_html(aar)
    refusal = row_of(page, "Charter Art. 12")
    assert "Voting after the round closed" in refusal and "ARM" in refusal and "+7.0 h" in refusal
    assert HEAD in page
    assert "verified: the hash chain checks out" in page
    assert "2022-01-05 18:00 UTC" in page and "2022-01-08 10:00 UTC (64.0 h after the start)" in page
    assert "deployment of collective forces" in page
    aar["exercise"]["verified"] = False
    assert "NOT verified" in render_html(aar)


def test_html_embeds_the_troop_curve_as_a_png_data_uri(aar: dict[str, Any]) -> None:
    page = render_html(aar)
    found = re.findall(r"<img [^>]*src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert len(found) == 1
    assert base64.b64decode(found[0]) == troop_curve_png(aar)
    assert "src='http" not in page and "<link" not in page  # self-contained
    assert "at most 2,030 on the ground (+40.0 h), against 2,030 tasked (100 %)" in page


def test_html_escapes_hostile_text(aar: dict[str, Any]) -> None:
    aar["exercise"]["title"] = HOSTILE
    aar["rounds"][0]["votes"][1]["reason"] = HOSTILE
    aar["rounds"][0]["votes"][1]["model_reasons"] = [HOSTILE]
    aar["seats"][0]["user"] = "'><img src=x onerror=alert(2)>"
    aar["refusals"][0]["article"] = HOSTILE
    aar["rounds"][0]["votes"][0]["position"] = "x' onmouseover='alert(3)"
    page = render_html(aar)
    assert "<script" not in page
    assert "<img src=x" not in page and "onmouseover='" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # title twice, reason, model reason...
    assert "&#x27;&gt;&lt;img src=x onerror=alert(2)&gt;" in page


def test_html_survives_missing_optional_keys() -> None:
    page = render_html({"exercise": {"id": "x2", "ended": None, "verified": None, "ledger_head": None}})
    assert "No Council round was held" in page
    assert "not ended: the exercise was still open" in page
    assert "not checked" in page
    assert "No troops deployed" in page
    assert "Nothing was refused" in page
    assert "No seat was held by a human" in page
    bare = render_html({})
    assert "<h1>Exercise</h1>" in bare
    odd = render_html(
        {
            "exercise": None,
            "rounds": [{"votes": [{}, None]}, {}],
            "troops": "not a list",
            "tasked": "many",
            "seats": [None, {}],
            "timeline": [{}],
            "refusals": [{}],
            "departures": [{}],
        }
    )
    assert "Round 1: unnamed proposal (open)" in odd


# ---------------------------------------------------------------------------------------------- PDF
def test_pdf_is_a_pdf_with_the_votes_departure_and_refusal(aar: dict[str, Any]) -> None:
    pdf = render_pdf(aar)
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    for needle in (
        "Kazakhstan unrest drill",
        "Regime solidarity with Astana",
        "Our own request of 2021",
        "DEPARTED",
        "Where the humans departed from the model",
        "Charter Art. 12",
        "cost -0.2",  # '−' folded to '-'
        HEAD[:40],
    ):
        assert needle in text, needle
    assert b"/Subtype /Image" in pdf  # the troop curve


def test_pdf_takes_text_outsidelatin1(aar: dict[str, Any]) -> None:
    aar["exercise"]["title"] = "Учения ОДКБ − Алматы"
    aar["rounds"][0]["votes"][1]["reason"] = "Москва — не наш ориентир… ≤ 5 “quoted” ‘x’ 中文 €"
    aar["seats"][0]["name"] = "Қазақстан"
    aar["refusals"][0]["reason"] = "\u200bzero\u00a0width\ttab\x07bell 🚀"
    pdf = render_pdf(aar)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Ucheniya ODKB - Almaty" in text
    assert "(Moskva - ne nash orientir... <= 5) Tj" in text  # the reason wraps in its narrow column
    assert "(\"quoted\" 'x' ?? EUR) Tj" in text
    assert "(zero width tabbell ?) Tj" in text
    assert "Qazaqstan" in text


def test_pdf_survives_missing_keys_and_overlong_cells(aar: dict[str, Any]) -> None:
    assert render_pdf({}).startswith(b"%PDF")
    assert render_pdf({"exercise": {"ended": None, "verified": None}, "rounds": None}).startswith(b"%PDF")
    # A cell taller than a page makes fpdf2 refuse the table; the report cuts it instead.
    aar["rounds"][0]["votes"][1]["reason"] = "far too long " * 600 + "x" * 4000
    aar["exercise"]["title"] = "T " * 2000
    text = pdf_text(render_pdf(aar))
    assert "[... cut; the HTML report has it all]" in text


def test_latin1_folds_signs_spells_out_cyrillic_and_marks_the_rest() -> None:
    assert latin1("−–—…≤≥“”‘’") == "---...<=>=\"\"''"
    assert latin1("Жуков, Щёлково, Қазақстан") == "Zhukov, Shchelkovo, Qazaqstan"
    assert latin1("café ő 中 \x00") == "café o ? "
    assert all(ord(c) < 256 for c in latin1("Ω≠→🚀\u200b"))


# ---------------------------------------------------------------------------------------------- curve
def test_troop_curve_is_a_png_with_and_without_troops(aar: dict[str, Any]) -> None:
    full = troop_curve_png(aar)
    assert full.startswith(PNG)
    aar["troops"] = []
    empty = troop_curve_png(aar)
    assert empty.startswith(PNG)
    assert png_size(empty)[1] < png_size(full)[1]  # the short "No troops deployed" figure, not an empty axis
    del aar["troops"]
    aar["tasked"] = 0
    assert troop_curve_png(aar).startswith(PNG)
    aar["troops"] = SAMPLE["troops"]
    for title in (
        "a $x^^y$ b",
        "$\\frac$",
    ):  # dollar signs must not switch on mathtext (which fails on these)
        aar["exercise"]["title"] = title
        assert troop_curve_png(aar).startswith(PNG)


def red_pixels(png: bytes) -> int:
    """Pixels of the tasked line's red (#c62828), the only red in the curve."""
    import numpy as np
    from matplotlib.image import imread

    rgb = (imread(io.BytesIO(png))[..., :3] * 255).astype(int)
    return int((np.abs(rgb - np.array([198, 40, 40])).sum(axis=-1) < 60).sum())


def test_troop_curve_draws_the_tasked_line_only_when_something_was_tasked(aar: dict[str, Any]) -> None:
    assert red_pixels(troop_curve_png(aar)) > 200
    aar["tasked"] = 0
    assert red_pixels(troop_curve_png(aar)) == 0


def test_curve_points_are_sorted_and_fall_back_to_the_running_total(aar: dict[str, Any]) -> None:
    assert AarRecord.from_dict(aar).curve() == [(10.7, 500), (30.0, 1700), (40.0, 2030)]
    aar["troops"] = [
        {"at": "2022-01-06T18:00:00+00:00", "arrived": 300, "state": "BLR"},  # +24 h, no hours
        {"hours": 12.0, "arrived": 200, "state": "RUS"},
        {"arrived": 50, "state": "TJK"},  # no time at all: left out
    ]
    assert AarRecord.from_dict(aar).curve() == [(12.0, 200), (24.0, 500)]
