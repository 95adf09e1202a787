"""``csto compare nato``: both alliances from their data, side by side, on a date."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_bad_input import assert_clean_error


def test_compare_nato_has_members_rules_and_coded_provisions(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "c.png"
    doc = cli("compare", "nato", "--at", "2025-01-01", "--json", "--plot", str(png)).json()
    csto, nato = doc["alliances"]["csto"], doc["alliances"]["nato"]
    assert csto["member_count"] == 6 and {m["iso3"] for m in csto["members"]} >= {"ARM", "RUS"}
    assert nato["member_count"] == 32 and {"FIN", "SWE", "USA"} <= {m["iso3"] for m in nato["members"]}
    for side in (csto, nato):
        assert side["decision_rules"] and all(r["rule"] for r in side["decision_rules"])
        assert side["coded_provision_count"] >= 15
        assert side["military_spending_usd_derived"]["largest"]
    assert csto["military_spending_usd_derived"]["largest"] == "RUS"
    assert nato["military_spending_usd_derived"]["largest"] == "USA"
    assert "collective_defence" in doc["shared_codes"]
    assert {v["variable"] for v in doc["atop_side_by_side"]} >= {"defense", "consul", "organ1"}
    assert any(e["article"] == "art4" and e["start"].startswith("2001") for e in nato["invocations"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_membership_follows_the_date(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("compare", "nato", "--at", "2000-01-01", "--json").json()
    assert doc["alliances"]["nato"]["member_count"] == 19
    assert "FIN" not in {m["iso3"] for m in doc["alliances"]["nato"]["members"]}


def test_compare_text_and_errors(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("compare", "nato", "--at", "2024-06-01")
    assert (r.code == 0 and "North Atlantic" in r.out) or "NATO" in r.out
    assert_clean_error(cli("compare", "csto"), "itself")
    assert_clean_error(cli("compare", "warsaw-pact"), "unknown alliance", "nato")
