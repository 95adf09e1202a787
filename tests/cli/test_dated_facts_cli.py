"""``csto info --at`` shows the dated offices, bodies and practices (issue 15), and a user dataset whose chair
periods overlap or whose body predates its founding instrument is refused with file, line and field (exit 2)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_bad_input import assert_clean_error, line_of, replace_in


def test_info_2010_json_names_russia_as_chair_with_its_source(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("info", "--at", "2010-06-01", "--json").json()
    assert doc["chair"] == "RUS"
    assert doc["chair_period"]["from"] == "2009-06-14"
    assert "jamestown_2009_belarus_boycott" in doc["chair_period"]["source"]


def test_info_2001_json_lists_the_ministers_councils_among_bodies(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("info", "--at", "2001-06-01", "--json").json()
    names = {b["name"] for b in doc["bodies"]}
    assert {"Council of Foreign Ministers", "Council of Defence Ministers"} <= names
    assert doc["chair"] == "unknown"
    assert doc["practices"] == []


def test_info_shows_unknown_chair_in_the_table_not_a_guess(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("info", "--at", "2008-09-01")
    assert r.code == 0
    assert "the Council's chair is unknown" in r.out
    csc = next(b for b in cli("info", "--at", "2008-09-01", "--json").json()["bodies"] if b["id"] == "csc")
    assert csc["chair"] == "unknown"


def test_info_marks_the_uncertain_early_stand_aside_practice(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("info", "--at", "2010-06-01", "--json").json()
    sa = next(p for p in doc["practices"] if p["id"] == "stand-aside")
    assert sa["uncertain"] is True and sa["confidence"] == "low"
    out = cli("info", "--at", "2010-06-01").out
    assert "Stand aside without blocking (attested 2009-06-14 to 2023-11-23) ~" in out


def test_overlapping_chair_periods_are_refused(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    bodies = dataset_copy / "bodies.yaml"
    replace_in(
        bodies,
        "        - start: 2009-06-14\n          end: 2010-12-10",
        "        - start: 2009-01-01\n          end: 2010-12-10",
    )
    line = line_of(bodies, "        - start: 2009-01-01")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, f"bodies.yaml:{line}", "bodies[0].chair.periods[4].start", "overlaps", "expected")


def test_a_body_dated_before_its_founding_instrument_is_refused(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    bodies = dataset_copy / "bodies.yaml"
    replace_in(bodies, "      date: 1997-03-28\n", "      date: 1996-01-01\n")
    line = line_of(bodies, "      date: 1996-01-01")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(
        r, f"bodies.yaml:{line}", "bodies[1].established.date", "consultations-regulation-1997"
    )


def test_sources_corrections_lists_at_least_sixteen_with_the_audit_claims(cli) -> None:  # type: ignore[no-untyped-def]
    corr = cli("sources", "--corrections", "--json").json()["corrections"]
    assert len(corr) >= 16
    ids = {c["id"] for c in corr}
    assert {
        "armenia-leveraged-csto-support",
        "accession-through-the-secretariat",
        "threat-to-one-is-threat-to-all",
        "several-collective-interventions",
        "crdf-confused-with-crrf",
        "collective-air-force-exists",
        "nato-common-defence-fund",
        "nato-standardized-equipment",
    } <= ids


def test_treaty_charter_19_shows_the_withdrawal_rule_with_its_source(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("treaty", "charter:19")
    assert r.code == 0
    assert "six months" in r.out and "caucasuswatch_2024_zakharova_art19" in r.out
    assert "rule charter-art19-withdrawal-notice" in r.out and "conflict:" in r.out
    doc = cli("treaty", "charter:19", "--json").json()
    assert {"charter-art19-withdrawal-notice", "charter-art19-withdrawal-obligations"} <= {
        x["rule"] for x in doc["rules"]
    }
    assert doc["in_force"]["conflicts"][0]["source"] == ["tass_2012_uzbekistan_suspended"]


def test_members_history_says_how_uzbekistans_2012_suspension_ended(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("members", "--history").out
    text = " ".join(out.split())  # the terminal wraps long lines
    line = text.split("UZB withdrawn from 2012-12-19")[1]
    assert "decided to suspend" in line and "no part since" in line
    hist = cli("members", "--history", "--json").json()["history"]
    uzb = next(r for r in hist if r["iso3"] == "UZB")["intervals"][-1]
    assert uzb["status"] == "withdrawn" and "suspend" in uzb["basis"]


def test_compare_lists_as_invocations_only_episodes_where_an_article_was_invoked(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("compare", "nato", "--at", "2025-06-01", "--json").json()["alliances"]
    for side in doc.values():
        assert all(e["article"] != "none" for e in side["invocations"])
        assert all(e["article"] == "none" for e in side["crises"])
    assert "kyrgyzstan-2010" in {e["id"] for e in doc["csto"]["crises"]}
    assert "kazakhstan-2022" in {e["id"] for e in doc["csto"]["invocations"]}
    out = cli("compare", "nato", "--at", "2025-06-01").out
    assert "Other crises" in out


def test_nato_audit_fixes_cavoli_akcakale_and_efp(cli) -> None:  # type: ignore[no-untyped-def]
    from csto.model import load

    nato = load("nato", "2022-07-04")
    saceur = next(o for b in nato.bodies for o in b.officers_on(nato.at) if "SACEUR" in o.role)
    assert "Cavoli" in saceur.name and saceur.start.isoformat() == "2022-07-04"
    assert not any(
        "Cavoli" in o.name for b in nato.bodies for o in b.officers_on(load("nato", "2022-07-03").at)
    )
    akc = nato.dataset.episode("nato-art4-turkey-2012-akcakale")
    assert akc is not None and akc.response.level == "statement"
    assert any(ev.date.isoformat() == "2012-12-04" and "Patriot" in ev.event for ev in akc.timeline)
    efp = next(f for f in nato.dataset.forces if f.id == "efp")
    per_group = {c.state: c.personnel.value for c in efp.contributions if c.personnel is not None}
    assert per_group["CAN"] == 1887 and per_group["USA"] == 1033 and sum(per_group.values()) == 9641


def test_check_data_tool_refuses_overlapping_chair_periods(dataset_copy: Path) -> None:
    import subprocess
    import sys

    bodies = dataset_copy / "bodies.yaml"
    ok = subprocess.run([sys.executable, "tools/check_data.py", str(bodies)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    replace_in(bodies, "        - start: 2016-10-14\n", "        - start: 2016-09-01\n")
    bad = subprocess.run([sys.executable, "tools/check_data.py", str(bodies)], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "bodies.yaml:" in bad.stderr and "chair.periods" in bad.stderr and "overlaps" in bad.stderr


def test_info_marks_an_unverified_office_holder_and_gives_confidence_in_json(cli) -> None:  # type: ignore[no-untyped-def]
    doc = cli("info", "--at", "2021-06-01", "--json").json()
    sec = next(b for b in doc["bodies"] if b["id"] == "secretariat")
    assert sec["officers"][0]["name"] == "Stanislav Zas" and sec["officers"][0]["confidence"] == "unverified"
    out = " ".join(cli("info", "--at", "2021-06-01").out.split())
    assert "Stanislav Zas (BLR) ?" in out
