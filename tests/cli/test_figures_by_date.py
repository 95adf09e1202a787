"""Figures by year through ``csto info --at``: no figure is ever from after the day asked for, every figure
carries its year and confidence (or why it is absent), and a figure without a year is refused as bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from csto.model.states import FIGURES
from tests.cli.test_bad_input import assert_clean_error

DAYS = [dt.date(y, 6, 1) for y in range(1992, 2027, 3)] + [dt.date(2001, 6, 1), dt.date(2010, 6, 1)]


def _figures(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every figure that info shows: each member's figures and derived spending, and the totals."""
    out = []
    for m in doc["members"]:
        for name in (*FIGURES, "military_spending_usd_derived"):
            out.append((f"{m['iso3']}.{name}", m[name]))
    return out


@pytest.mark.parametrize("alliance", ["csto", "nato"])
def test_no_figure_used_by_info_is_from_after_the_day(cli, alliance: str) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for day in DAYS:
        r = cli("info", "--alliance", alliance, "--at", day.isoformat(), "--json")
        assert r.code == 0, r.err
        doc = r.json()
        for where, f in _figures(doc):
            if f["value"] is None:
                assert f["absent"], (day, where)
                continue
            seen += 1
            assert f["year"] <= day.year, (day, where, f)
            assert f["confidence"] in ("high", "medium", "low", "unverified"), (where, f)
        for name in ("population", "military_personnel", "military_spending_usd_derived"):
            assert all(y <= day.year for y in doc["totals"][name]["years"]), (day, name)
    assert seen > 0


def test_2001_figures_are_of_2001_or_earlier_and_series_are_used(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("info", "--at", "2001-06-01", "--json").json()
    rus = next(m for m in doc["members"] if m["iso3"] == "RUS")
    assert rus["population"]["year"] == 2000  # the World Bank series, not today's figure
    assert rus["military_spending"]["year"] == 2000 and rus["military_spending_usd_derived"]["year"] == 2000
    assert rus["military_personnel"]["value"] is None and "earliest" in rus["military_personnel"]["absent"]


def test_a_figure_without_a_year_is_refused(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    members = dataset_copy / "members.yaml"
    lines = members.read_text().splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.strip().startswith("- {year: "))
    lines[i] = lines[i].replace("year: 1992, ", "")
    members.write_text("\n".join(lines) + "\n")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, f"members.yaml:{i + 1}", "population", "year")


def test_a_one_figure_without_a_year_is_refused(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    members = dataset_copy / "members.yaml"
    lines = members.read_text().splitlines()
    key = next(n for n, ln in enumerate(lines) if ln.strip() == "military_personnel:")
    year = next(n for n in range(key, key + 10) if lines[n].strip().startswith("year:"))
    del lines[year]
    members.write_text("\n".join(lines) + "\n")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(
        r, f"members.yaml:{key + 2}", "military_personnel", "year"
    )  # the line the mapping starts on
