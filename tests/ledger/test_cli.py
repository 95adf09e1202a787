"""``csto ledger show|verify|export|import`` through ``csto.cli.main``, on both backends, with exit codes.

Exit codes: 0 success, 1 verify found a broken chain, 2 a user error (bad --db, refused import).
Tampering goes through plain SQL (``RawSQL``); the CLI is only read from, never reached into.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from csto.ledger import SqlLedger, StoredEvent, open_ledger

from .conftest import RawSQL, ev


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``csto ARGS`` in-process; return (exit code, stdout, stderr)."""
    from csto.cli import main

    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


def _fill(ledger: SqlLedger, n: int = 6) -> list[StoredEvent]:
    out: list[StoredEvent] = []
    for i in range(n):
        out += ledger.append([ev(f"accession/SRB-{i % 2}", "NoteTaken" if i else "NoteFiled", i, vote="yes")])
    return out


def test_ledger_commands_are_registered_on_the_csto_app(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "ledger", "--help")
    assert code == 0
    for command in ("show", "verify", "export", "import"):
        assert command in out


def test_show_prints_a_table_of_events(
    capsys: pytest.CaptureFixture[str], ledger: SqlLedger, ledger_url: str
) -> None:
    _fill(ledger)
    code, out, _ = run_cli(capsys, "ledger", "show", "--db", ledger_url)
    assert code == 0
    assert "6 of 6 events" in out
    assert "accession/SRB-1" in out and "NoteFiled" in out and "2024-03-01 09:00:00" in out


def test_show_json_filters_by_stream_and_keeps_the_last_n(
    capsys: pytest.CaptureFixture[str], ledger: SqlLedger, ledger_url: str
) -> None:
    stored = _fill(ledger)
    code, out, _ = run_cli(
        capsys, "ledger", "show", "--db", ledger_url, "--stream", "accession/SRB-0", "--limit", "2", "--json"
    )
    assert code == 0
    doc = json.loads(out)
    assert (doc["total"], doc["shown"]) == (3, 2)
    assert [e["seq"] for e in doc["events"]] == [3, 5]
    assert doc["events"][-1] == stored[4].to_record()


def test_verify_of_an_intact_chain_exits_0(
    capsys: pytest.CaptureFixture[str], ledger: SqlLedger, ledger_url: str
) -> None:
    _fill(ledger)
    code, out, _ = run_cli(capsys, "ledger", "verify", "--db", ledger_url)
    assert (code, out.strip()) == (0, "chain intact: 6 events")
    code, out, _ = run_cli(capsys, "ledger", "verify", "--db", ledger_url, "--json")
    assert code == 0 and json.loads(out)["ok"] is True and json.loads(out)["count"] == 6


def test_verify_of_a_tampered_ledger_exits_1_naming_the_event(
    capsys: pytest.CaptureFixture[str], ledger: SqlLedger, ledger_url: str, raw: RawSQL
) -> None:
    _fill(ledger)
    raw.set(4, "data", raw.get(4, "data").replace('"yes"', '"yas"'))
    code, out, _ = run_cli(capsys, "ledger", "verify", "--db", ledger_url)
    assert code == 1
    assert "seq 4" in out and "accession/SRB-1" in out and "NoteTaken" in out and "hash mismatch" in out
    code, out, _ = run_cli(capsys, "ledger", "verify", "--db", ledger_url, "--json")
    doc = json.loads(out)
    assert code == 1
    assert (doc["ok"], doc["first_bad_seq"], doc["stream"], doc["type"], doc["count"]) == (
        False,
        4,
        "accession/SRB-1",
        "NoteTaken",
        3,
    )


def test_export_to_a_file_then_import_gives_the_same_ledger(
    capsys: pytest.CaptureFixture[str],
    ledger: SqlLedger,
    ledger_url: str,
    ledger_url_factory: Callable[[], str],
    tmp_path: Path,
) -> None:
    _fill(ledger)
    dump = tmp_path / "dump.jsonl"
    code, out, _ = run_cli(capsys, "ledger", "export", str(dump), "--db", ledger_url, "--json")
    assert code == 0 and json.loads(out)["exported"] == 6
    target = ledger_url_factory()
    code, out, _ = run_cli(capsys, "ledger", "import", str(dump), "--db", target, "--json")
    assert code == 0
    assert json.loads(out)["imported"] == 6
    assert json.loads(out)["head_hash"] == ledger.head().hash  # type: ignore[union-attr]
    with open_ledger(target) as copy:
        assert list(copy.read()) == list(ledger.read())


def test_export_without_a_file_writes_json_lines_to_stdout(
    capsys: pytest.CaptureFixture[str], ledger: SqlLedger, ledger_url: str
) -> None:
    stored = _fill(ledger, 3)
    code, out, _ = run_cli(capsys, "ledger", "export", "--db", ledger_url)
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["format"] == "csto-ledger"
    assert lines[1:-1] == [e.to_record() for e in stored]
    assert lines[-1] == {"end": True, "count": 3, "head_hash": stored[-1].hash}


def test_export_json_without_a_file_is_a_user_error(
    capsys: pytest.CaptureFixture[str], ledger: SqlLedger, ledger_url: str
) -> None:
    code, out, err = run_cli(capsys, "ledger", "export", "--db", ledger_url, "--json")
    assert code == 2 and out == "" and "needs a FILE" in err


def test_import_of_a_tampered_file_exits_2_naming_the_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    ledger: SqlLedger,
    ledger_url: str,
    ledger_url_factory: Callable[[], str],
    tmp_path: Path,
) -> None:
    _fill(ledger)
    dump = tmp_path / "dump.jsonl"
    assert run_cli(capsys, "ledger", "export", str(dump), "--db", ledger_url)[0] == 0
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace('"yes"', '"no!"')  # seq 3 sits on line 4
    dump.write_text("".join(lines), encoding="utf-8")
    target = ledger_url_factory()
    code, _, err = run_cli(capsys, "ledger", "import", str(dump), "--db", target)
    assert code == 2
    assert f"{dump}:4:" in err and "seq 3" in err
    if target.startswith("postgresql"):
        with open_ledger(target, create=False) as copy:
            assert copy.head() is None
    else:
        assert not Path(target).exists(), "a refused import must not leave a new empty ledger file behind"


def test_import_into_a_ledger_with_events_exits_2(
    capsys: pytest.CaptureFixture[str], ledger: SqlLedger, ledger_url: str, tmp_path: Path
) -> None:
    _fill(ledger, 2)
    dump = tmp_path / "dump.jsonl"
    assert run_cli(capsys, "ledger", "export", str(dump), "--db", ledger_url)[0] == 0
    code, _, err = run_cli(capsys, "ledger", "import", str(dump), "--db", ledger_url)
    assert code == 2 and "already holds events" in err
    assert ledger.verify().count == 2


def test_import_of_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(
        capsys, "ledger", "import", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "x.db")
    )
    assert code == 2 and "nope.jsonl" in err
    assert not (tmp_path / "x.db").exists()


def test_read_commands_on_a_missing_ledger_exit_2_and_create_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "missing.db"
    for command in (["show"], ["verify"], ["export"]):
        code, _, err = run_cli(capsys, "ledger", *command, "--db", str(db))
        assert code == 2, command
        assert "missing.db" in err and "no ledger" in err
    assert not db.exists()


def test_db_defaults_to_csto_db_env_then_csto_db_here(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CSTO_DB", raising=False)
    with open_ledger(tmp_path / "csto.db") as here:
        _fill(here, 2)
    with open_ledger(tmp_path / "other.db") as other:
        _fill(other, 5)
    assert run_cli(capsys, "ledger", "verify")[1].strip() == "chain intact: 2 events"
    monkeypatch.setenv("CSTO_DB", str(tmp_path / "other.db"))
    assert run_cli(capsys, "ledger", "verify")[1].strip() == "chain intact: 5 events"
