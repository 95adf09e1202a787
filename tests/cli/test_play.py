"""``csto play`` and ``csto ledger``: recorded runs, refusals with articles, and bad scripts rejected whole."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_bad_input import assert_clean_error

ROOT = Path(__file__).resolve().parents[2]
KZ = ROOT / "examples" / "kazakhstan-2022.yaml"

HEAD = """title: t
start: 2025-03-01T09:00:00
steps:
"""


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text(HEAD + body)
    return p


def test_kazakhstan_records_request_to_withdrawal_and_the_chain_verifies(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "kz.db")
    doc = cli("play", str(KZ), "--db", db, "--json").json()
    types = [e["type"] for s in doc["steps"] for e in s["events"]]
    assert types[0] == "RequestLodged" and "DecisionAdopted" in types and types[-1] == "ForcesReleased"
    assert doc["cases"]["kz-deploy"]["outcome"] == "withdrawn"
    r = cli("ledger", "verify", "--db", db)
    assert r.code == 0 and "intact" in r.out


def test_refusal_scripts_end_in_refusals_that_cite_their_articles(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = cli(
        "play", str(ROOT / "examples" / "base-refused.yaml"), "--db", str(tmp_path / "b.db"), "--json"
    ).json()
    last = base["steps"][-1]
    assert last["status"] == "refused" and last["refusal"]["article"] == "CSC decision 2011 Art. 1"
    arm = cli(
        "play", str(ROOT / "examples" / "armenia-frozen-vote.yaml"), "--db", str(tmp_path / "a.db"), "--json"
    )
    refused = [s for s in arm.json()["steps"] if s["status"] == "refused"]
    assert refused[0]["actor"] == "ARM" and refused[0]["refusal"]["article"] == "Charter Art. 12"


def test_a_tampered_event_is_named_by_verify(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    db = tmp_path / "kz.db"
    cli("play", str(KZ), "--db", str(db), "--json")
    con = sqlite3.connect(db)
    table = next(
        r[0] for r in con.execute("select name from sqlite_master where type='table'") if "event" in r[0]
    )
    cols = [r[1] for r in con.execute(f"pragma table_info({table})")]
    data_col = "data" if "data" in cols else next(c for c in cols if "data" in c)
    (raw,) = con.execute(f"select {data_col} from {table} where seq = 7").fetchone()
    con.execute(f"update {table} set {data_col} = ? where seq = 7", (raw.replace("support", "supp0rt", 1),))
    con.commit()
    con.close()
    r = cli("ledger", "verify", "--db", str(db))
    assert r.code != 0
    assert "7" in (r.out + r.err)


def test_an_unexpected_refusal_makes_play_exit_1_and_writes_nothing_for_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = write(tmp_path, "  - {actor: ARM, action: request_assistance, case: c, kind: external_attack}\n")
    r = cli("play", str(s), "--db", str(tmp_path / "x.db"), "--json")
    assert r.code == 1
    doc = r.json()
    assert doc["steps"][0]["refusal"]["rule"] == "practice-frozen-participation"
    assert doc["chain"]["count"] == 1  # only the opening event


def test_unknown_action_is_rejected_with_line_and_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = write(tmp_path, "  - {actor: KAZ, action: invade, case: c}\n")
    assert_clean_error(cli("play", str(s), "--db", str(tmp_path / "x.db")), "s.yaml:4", "action", "invade")
    assert not (tmp_path / "x.db").exists()


def test_unknown_state_is_rejected(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = write(tmp_path, "  - {actor: XXX, action: table, case: c, subject: s}\n")
    assert_clean_error(cli("play", str(s), "--db", str(tmp_path / "x.db")), "s.yaml:4", "actor", "ISO3")


def test_malformed_field_is_rejected_before_anything_is_written(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = write(
        tmp_path,
        "  - {actor: KAZ, action: table, case: c, subject: s}\n"
        "  - {actor: KGZ, action: convene, case: c}\n"
        "  - {actor: RUS, action: vote, case: c, position: maybe}\n",
    )
    db = tmp_path / "x.db"
    assert_clean_error(cli("play", str(s), "--db", str(db)), "s.yaml:6", "position", "support")
    assert not db.exists()


def test_missing_required_parameter_and_bad_time(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = write(tmp_path, "  - {actor: KAZ, action: notify_withdrawal, case: w}\n")
    assert_clean_error(cli("play", str(s), "--db", str(tmp_path / "x.db")), "effective", "missing")
    s2 = write(tmp_path, "  - {at: 2024-01-01T00:00:00, actor: KAZ, action: table, case: c, subject: s}\n")
    assert_clean_error(cli("play", str(s2), "--db", str(tmp_path / "y.db")), "at", "backwards")


def test_a_second_script_continues_the_same_world_but_time_cannot_run_back(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "kz.db")
    cli("play", str(KZ), "--db", db)
    r = cli("play", str(ROOT / "examples" / "uzbekistan-2012-suspension.yaml"), "--db", db)
    assert_clean_error(r, "time runs forward")
