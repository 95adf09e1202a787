"""The crisis report: a real run through the engine written out as plots and one self-contained HTML page.

The scenario is written into the test's own folder (the Kazakhstan 2022 features), so the test depends on
neither the bundled scenario files nor anything outside the repository.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

import csto.crisis
from csto.report.crisis import on_ground, write_report
from csto.sim.montecarlo import CrisisResult

PNG = b"\x89PNG\r\n\x1a\n"
FILES = {"odds.png", "votes.png", "timeline.png", "report.html"}
SEED = 1

KAZAKHSTAN_2022 = """\
id: kazakhstan-2022
title: Kazakhstan, January 2022
episode: kazakhstan-2022
start: 2022-01-05T18:00:00
timezone: "+06:00"
location: {state: KAZ, region: Almaty, lat: 43.24, lon: 76.95}
kind: internal_unrest
aggressor: {name: armed groups described as trained abroad, non_state: true}
request: {state: KAZ, article: art4, t_hours: 5}
framing: foreign-trained terrorists
framed_as_armed_attack: true
intensity: 0.6
destination_airfield: almaty
"""

# Two members clash: the engine refuses the Art. 4 request, and the Council tries more than one rung.
BORDER_CLASH = """\
id: border-clash-test
title: Border clash between two members (test)
hypothetical: true
start: 2022-09-14T06:00:00
timezone: "+06:00"
location: {state: KGZ, region: Batken}
kind: member_vs_member
aggressor: {name: Tajikistan, state: TJK, member: true}
request: {state: KGZ, article: art4, t_hours: 10}
intensity: 0.5
"""


def run_scenario(tmp_path_factory: pytest.TempPathFactory, text: str) -> CrisisResult:
    path = tmp_path_factory.mktemp("scenario") / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return csto.crisis.run(path, trials=50, seed=SEED)


@pytest.fixture(scope="module")
def kazakhstan(tmp_path_factory: pytest.TempPathFactory) -> CrisisResult:
    return run_scenario(tmp_path_factory, KAZAKHSTAN_2022)


@pytest.fixture(scope="module")
def clash(tmp_path_factory: pytest.TempPathFactory) -> CrisisResult:
    return run_scenario(tmp_path_factory, BORDER_CLASH)


def test_report_writes_three_pngs_and_an_html_page(kazakhstan: CrisisResult, tmp_path: Path) -> None:
    out = tmp_path / "new" / "report"  # created if needed
    page = write_report(kazakhstan, out)
    assert page == out / "report.html"
    assert {p.name for p in out.iterdir()} == FILES
    for name in ("odds.png", "votes.png", "timeline.png"):
        data = (out / name).read_bytes()
        assert data.startswith(PNG), name
        assert len(data) > 10_000, f"{name} looks empty"


def test_html_names_every_member_the_deployment_the_article_and_the_seed(
    kazakhstan: CrisisResult, tmp_path: Path
) -> None:
    text = write_report(kazakhstan, tmp_path).read_text(encoding="utf-8")
    assert kazakhstan.central.level == "deployment", "the Kazakhstan features should give a deployment"
    for vote in kazakhstan.central.votes:
        assert vote.iso3 in text
    assert {v.iso3 for v in kazakhstan.central.votes} >= {"RUS", "ARM", "BLR", "KAZ", "KGZ", "TJK"}
    assert "deployment" in text
    assert "CST Art. 4 (as amended 2010)" in text  # the request's citation, from the timeline
    assert f"--seed {SEED}" in text
    assert f"--trials {kazakhstan.trials}" in text
    assert "kazakhstan-2022" in text
    assert "assumed" in text  # the footer names the weights that have no source


def test_html_is_self_contained(kazakhstan: CrisisResult, tmp_path: Path) -> None:
    text = write_report(kazakhstan, tmp_path).read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:|//|[\w./-]+\.(png|css|js))""", text)
    assert text.count("data:image/png;base64,") == 3


def test_html_compares_with_the_record(kazakhstan: CrisisResult, tmp_path: Path) -> None:
    assert kazakhstan.record is not None
    text = write_report(kazakhstan, tmp_path).read_text(encoding="utf-8")
    assert "Against the record" in text
    assert f"{kazakhstan.record['personnel']:,.0f}" in text  # 2,030 recorded personnel


def test_second_write_overwrites_cleanly(
    kazakhstan: CrisisResult, clash: CrisisResult, tmp_path: Path
) -> None:
    write_report(kazakhstan, tmp_path)
    first = (tmp_path / "report.html").read_text(encoding="utf-8")
    write_report(clash, tmp_path)
    second = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert {p.name for p in tmp_path.iterdir()} == FILES, "no temporary files left behind"
    assert "Kazakhstan, January 2022" in first
    assert "Kazakhstan, January 2022" not in second
    assert "Border clash between two members (test)" in second
    assert second.rstrip().endswith("</html>")
    write_report(kazakhstan, tmp_path)
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == first, "same seed, same page"


def test_refusals_are_reported_with_their_article(clash: CrisisResult, tmp_path: Path) -> None:
    assert clash.central.refusals, "a request against a fellow member should be refused"
    text = write_report(clash, tmp_path).read_text(encoding="utf-8")
    assert "What the engine refused" in text
    for refusal in clash.central.refusals:
        assert refusal["article"] in text
    assert "hypothetical scenario" in text
    assert "Against the record" not in text
    assert len(clash.central.rounds) >= 1


def test_text_is_escaped(kazakhstan: CrisisResult, tmp_path: Path) -> None:
    sc = kazakhstan.scenario.model_copy(
        update={"title": "<b>Tokayev & co</b>", "framing": "<script>x</script>"}
    )
    odd = dataclasses.replace(kazakhstan, scenario=sc)
    text = write_report(odd, tmp_path).read_text(encoding="utf-8")
    assert "<b>Tokayev" not in text and "&lt;b&gt;Tokayev &amp; co&lt;/b&gt;" in text
    assert "<script>" not in text


def test_on_ground_ramps_from_first_units_to_the_whole_force(
    kazakhstan: CrisisResult, clash: CrisisResult
) -> None:
    c = kazakhstan.central
    curve = on_ground(kazakhstan)
    total = sum(c.forces.values())
    assert (c.first_units_hours, 0) in curve
    assert (c.all_in_hours, total) in curve
    assert max(k for _, k in curve) == total
    assert on_ground(clash) == []
