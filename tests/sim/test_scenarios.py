"""Scenario files: the bundled ones load; bad ones get file, line, field and exit code 2."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_bad_input import assert_clean_error

GOOD = """id: test-incursion
title: test
start: 2026-05-01T06:00:00
timezone: "+05:00"
location: {state: TJK, region: Khatlon, lat: 37.5, lon: 68.8}
kind: incursion
aggressor: {name: armed groups, non_state: true}
request: {state: TJK, article: art4, t_hours: 2}
intensity: 0.5
"""


def test_bundled_scenarios_list_history_and_three_hypotheticals(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("scenarios", "--json").json()
    ids = {s["id"] for s in doc["scenarios"]}
    assert {"kazakhstan-2022", "armenia-2022", "kyrgyzstan-2010"} <= ids
    assert {"tajikistan-incursion-2026", "armenia-frozen-2026", "belarus-attacked"} <= ids
    assert sum(1 for s in doc["scenarios"] if s["hypothetical"]) >= 3


def test_a_scenario_file_runs(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "s.yaml"
    p.write_text(GOOD)
    r = cli("crisis", "run", str(p), "--trials", "50", "--seed", "1", "--json")
    assert r.code == 0, r.err
    assert r.json()["scenario"] == "test-incursion"


def test_member_clash_with_a_non_member_aggressor_is_contradictory(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "s.yaml"
    p.write_text(GOOD.replace("kind: incursion", "kind: member_vs_member"))
    assert_clean_error(cli("crisis", "run", str(p)), "s.yaml:", "member_vs_member", "aggressor")


def test_missing_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "s.yaml"
    p.write_text(GOOD.replace("intensity: 0.5\n", ""))
    assert_clean_error(cli("crisis", "run", str(p)), "s.yaml:", "intensity", "missing")


def test_out_of_range_and_unknown_state(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "s.yaml"
    p.write_text(GOOD.replace("intensity: 0.5", "intensity: 3"))
    assert_clean_error(cli("crisis", "run", str(p)), "s.yaml:9", "intensity")
    p.write_text(GOOD.replace("state: TJK, region", "state: XYZ, region"))
    assert_clean_error(cli("crisis", "run", str(p)), "s.yaml:", "XYZ")


def test_member_aggressor_that_is_not_a_member_that_day(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "s.yaml"
    body = GOOD.replace("kind: incursion", "kind: member_vs_member").replace(
        "aggressor: {name: armed groups, non_state: true}",
        "aggressor: {name: Uzbekistan, state: UZB, member: true}",
    )
    p.write_text(body)
    assert_clean_error(cli("crisis", "run", str(p)), "aggressor.member", "UZB")


def test_unknown_scenario_id_lists_the_bundled_ones(cli) -> None:  # type: ignore[no-untyped-def]
    assert_clean_error(cli("crisis", "run", "atlantis"), "atlantis", "kazakhstan-2022")
