"""The data commands (info, members, treaty, episodes, sources) in text and JSON."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest


def test_info_json_has_the_documented_shape(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("info", "--at", "2025-01-01", "--json").json()
    assert doc["alliance"] == "CSTO"
    assert doc["at"] == "2025-01-01"
    assert {"iso3", "name", "status"} <= set(doc["members"][0])
    assert len(doc["members"]) == 6
    assert {m["iso3"]: m["status"] for m in doc["members"]}["ARM"] == "frozen"
    assert {f["iso3"] for f in doc["former"]} == {"AZE", "GEO", "UZB"}
    assert doc["bodies"] and doc["forces"]
    assert all(m["source"] for m in doc["members"])


@pytest.mark.parametrize(
    ("at", "present", "absent"),
    [
        ("1995-01-01", {"AZE", "GEO", "UZB"}, set()),
        ("2000-01-01", set(), {"AZE", "GEO", "UZB"}),
        ("2010-06-01", {"UZB"}, set()),
    ],
)
def test_info_members_by_date(cli, at: str, present: set[str], absent: set[str]) -> None:  # type: ignore[no-untyped-def]
    members = {m["iso3"] for m in cli("info", "--at", at, "--json").json()["members"]}
    assert present <= members
    assert not absent & members


def test_info_text_names_the_members_and_the_chair(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("info", "--at", "2022-01-05")
    assert r.code == 0
    assert "Kazakhstan" in r.out and "ARM chairs the Council" in r.out


def test_treaty_art4_differs_between_2011_and_2013(cli) -> None:  # type: ignore[no-untyped-def]
    a = cli("treaty", "4", "--at", "2011-01-01", "--json").json()
    b = cli("treaty", "4", "--at", "2013-01-01", "--json").json()
    assert a != b
    assert a["in_force"]["citation"] == "CST Art. 4"
    assert b["in_force"]["citation"] == "CST Art. 4 (as amended 2010)"
    assert any(am["id"] == "cst-2010" for am in b["amendments"])


def test_treaty_lists_provisions_and_charter_articles(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("treaty", "--at", "2013-01-01", "--json").json()
    cites = {p["citation"] for p in doc["provisions"]}
    assert "CST Art. 4 (as amended 2010)" in cites
    r = cli("treaty", "charter:12", "--json")
    assert r.code == 0 and "consensus" in r.json()["in_force"]["codes"]


def test_members_history_text_and_plot(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "members.png"
    r = cli("members", "--history", "--plot", str(png))
    assert r.code == 0
    assert "UZB" in r.out and "█" in r.out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    doc = cli("members", "--history", "--json").json()
    uzb = next(row for row in doc["history"] if row["iso3"] == "UZB")
    assert [iv["status"] for iv in uzb["intervals"]][:3] == ["signatory", "member", "withdrawn"]


def test_episodes_list_and_show(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("episodes", "--json").json()
    ids = {e["id"] for e in doc["episodes"]}
    assert {
        "kyrgyzstan-2010",
        "nagorno-karabakh-2020",
        "kyrgyz-tajik-border-2021",
        "kazakhstan-2022",
        "armenia-2022",
    } <= ids
    kz = cli("episodes", "show", "kazakhstan-2022", "--json").json()
    assert kz["response"]["level"] == "deployment"
    assert kz["request"]["article"] == "art4"
    arm = cli("episodes", "show", "armenia-2022", "--json").json()
    assert arm["response"]["level"] == "mission"
    text = cli("episodes", "show", "kazakhstan-2022")
    assert "deployment" in text.out


def test_sources_and_corrections(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("sources", "--json").json()
    assert len(doc["sources"]) > 20
    assert all(s["title"] and s["publisher"] and s["date"] for s in doc["sources"])
    corr = cli("sources", "--corrections", "--json").json()["corrections"]
    ids = {c["id"] for c in corr}
    assert {"kyrgyzstan-2010-intervention", "vostok-zapad-csto-exercises", "founding-members"} <= ids


def test_help_starts_fast_without_heavy_imports() -> None:
    code = (
        "import sys, time; t=time.perf_counter(); import csto.cli; "
        "heavy=[m for m in ('matplotlib','sqlalchemy','numpy','pydantic') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from csto.cli import main; main(['--help'])"],
        capture_output=True,
        check=False,
    )
    assert time.perf_counter() - t < 5
