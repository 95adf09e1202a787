"""What-ifs on membership: removing Armenia changes forces, spending shares, cohesion and an outcome."""

from __future__ import annotations

from tests.cli.test_bad_input import assert_clean_error


def test_without_armenia_changes_forces_shares_and_cohesion(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("whatif", "--without", "ARM", "--trials", "300", "--json").json()
    before, after = doc["before"], doc["after"]
    assert "ARM" in before["members"] and "ARM" not in after["members"]
    crrf_b = next(f for f in before["forces"] if f["id"] == "crrf")
    crrf_a = next(f for f in after["forces"] if f["id"] == "crrf")
    assert "ARM" in crrf_b["contributors"] and "ARM" not in crrf_a["contributors"]
    assert crrf_a["strength"] < crrf_b["strength"]
    assert "ARM" in before["spending_shares"] and "ARM" not in after["spending_shares"]
    assert abs(sum(after["spending_shares"].values()) - 1) < 0.01
    assert after["cohesion"] != before["cohesion"]
    assert doc["odds_after"]["armenia-2022"]["level"] != "deployment"
    assert set(doc["odds_before"]) == set(doc["odds_after"])


def test_with_uzbekistan_back(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("whatif", "--with", "UZB", "--trials", "200", "--json").json()
    assert "UZB" in doc["after"]["members"] and "UZB" not in doc["before"]["members"]
    assert doc["after"]["population"] > doc["before"]["population"]


def test_bad_whatifs_are_clear_errors(cli) -> None:  # type: ignore[no-untyped-def]
    assert_clean_error(cli("whatif", "--without", "XXX"), "unknown state", "XXX")
    assert_clean_error(cli("whatif", "--without", "UZB"), "UZB", "not a member")
    assert_clean_error(cli("whatif", "--with", "RUS"), "RUS", "already a member")
    assert_clean_error(cli("whatif"), "nothing to change")
