"""Signed checkpoints (issue 20, part 6), on SQLite and PostgreSQL: every event's hash covers ``recorded_at``;
``csto ledger head --sign KEY`` writes a checkpoint and ``csto ledger verify --checkpoint FILE`` holds the ledger
to it. Deleting the last events, rehashing from an edited event and editing ``recorded_at`` (with or without a
rehash) before the checkpoint are each caught, though the rehashed chain alone still verifies. A checkpoint
signed with another key, made for another ledger, or altered is refused with the reason."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from csto.cli import main
from csto.ledger import SqlLedger, open_ledger, record_hash
from csto.ledger.checkpoint import check, generate_key, load_private_key, parse_checkpoint, sign_head

from .conftest import RawSQL, ev


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "anchor.key"
    generate_key(path)
    return path


def _fill(ledger: SqlLedger, n: int = 8) -> None:
    for i in range(n):
        ledger.append([ev(f"s/{i % 3}", i=i)])


def _rehash_from(raw: RawSQL, start: int) -> None:
    """Recompute every hash from ``start`` on, as someone who edited an event would, so the chain holds again."""
    rows = raw._run(
        "SELECT seq, stream, version, type, at, data, recorded_at, prev_hash FROM ledger_events "
        "WHERE seq >= ? ORDER BY seq",
        (start,),
    )
    prev = str(raw.get(start - 1, "hash"))
    for seq, stream, version, type_, at, data, recorded_at, _ in rows:
        digest = record_hash(
            seq=seq,
            stream=stream,
            version=version,
            type=type_,
            at=at,
            data_json=data,
            prev_hash=prev,
            recorded_at=recorded_at,
        )
        raw._run("UPDATE ledger_events SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, digest, seq))
        prev = digest


def _checkpoint(
    capsys: pytest.CaptureFixture[str], url: str, key: Path, tmp_path: Path, name: str = "cp.json"
) -> Path:
    out = tmp_path / name
    code, _, err = run(capsys, "ledger", "head", "--db", url, "--sign", str(key), "--out", str(out))
    assert code == 0, err
    return out


def _verify(
    capsys: pytest.CaptureFixture[str], url: str, cp: Path, key: Path | None
) -> tuple[int, dict[str, Any]]:
    args = ["ledger", "verify", "--db", url, "--checkpoint", str(cp), "--json"]
    if key is not None:
        args += ["--key", f"{key}.pub"]
    code, out, _ = run(capsys, *args)
    return code, json.loads(out)


def test_every_new_event_hash_covers_recorded_at(ledger: SqlLedger, raw: RawSQL) -> None:
    _fill(ledger, 3)
    for e in ledger.read():
        assert e.hash == e.expected_hash() == e.expected_hash(legacy=False) != e.expected_hash(legacy=True)
    raw.set(2, "recorded_at", "2031-01-01T00:00:00.000000+00:00")
    report = ledger.verify()
    assert (report.ok, report.first_bad_seq) == (False, 2) and "recorded_at" in str(report.reason)


def test_a_ledger_holds_to_its_checkpoint_also_after_more_events(
    ledger_url: str, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_ledger(ledger_url) as ledger:
        _fill(ledger)
    cp = _checkpoint(capsys, ledger_url, key, tmp_path)
    doc = json.loads(cp.read_text())
    assert doc["seq"] == 8 and doc["format"] == "csto-ledger-checkpoint"
    assert _verify(capsys, ledger_url, cp, key) == (
        0,
        {**_verify(capsys, ledger_url, cp, key)[1], "ok": True},
    )
    with open_ledger(ledger_url) as ledger:
        _fill(ledger, 2)
    code, report = _verify(capsys, ledger_url, cp, key)
    assert code == 0 and report["ok"] and report["pinned"]
    code, out, _ = run(capsys, "ledger", "verify", "--db", ledger_url, "--checkpoint", str(cp))
    assert code == 0 and "pass --key to pin yours" in out


def test_truncation_before_the_checkpoint_is_caught(
    ledger_url: str, raw: RawSQL, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_ledger(ledger_url) as ledger:
        _fill(ledger)
    cp = _checkpoint(capsys, ledger_url, key, tmp_path)
    raw.delete(8)
    raw.delete(7)
    with open_ledger(ledger_url) as ledger:
        assert ledger.verify().ok, "the cut chain alone still verifies: only the checkpoint shows the cut"
    code, report = _verify(capsys, ledger_url, cp, key)
    assert code == 1 and not report["ok"] and "truncated" in report["reason"] and report["field"] == "seq"


def test_rehashing_from_an_edited_event_is_caught(
    ledger_url: str, raw: RawSQL, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_ledger(ledger_url) as ledger:
        _fill(ledger)
    cp = _checkpoint(capsys, ledger_url, key, tmp_path)
    raw.set(4, "data", str(raw.get(4, "data")).replace('"i":3', '"i":33'))
    _rehash_from(raw, 4)
    with open_ledger(ledger_url) as ledger:
        assert ledger.verify().ok, "a rehashed chain alone still verifies: only the checkpoint shows it"
    code, report = _verify(capsys, ledger_url, cp, key)
    assert code == 1 and "rewritten" in report["reason"] and report["field"] == "head_hash"


@pytest.mark.parametrize("rehash", [False, True], ids=["edited", "edited-and-rehashed"])
def test_an_edited_recorded_at_is_caught(
    ledger_url: str, raw: RawSQL, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], rehash: bool
) -> None:
    with open_ledger(ledger_url) as ledger:
        _fill(ledger)
    cp = _checkpoint(capsys, ledger_url, key, tmp_path)
    raw.set(5, "recorded_at", "2020-01-01T00:00:00.000000+00:00")
    if rehash:
        _rehash_from(raw, 5)
    code, report = _verify(capsys, ledger_url, cp, key)
    assert code == 1 and not report["ok"]
    assert ("rewritten" if rehash else "broken at seq 5") in report["reason"], report


def test_a_checkpoint_signed_with_another_key_is_refused(
    ledger_url: str, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_ledger(ledger_url) as ledger:
        _fill(ledger, 3)
    other = tmp_path / "other.key"
    generate_key(other)
    cp = _checkpoint(capsys, ledger_url, other, tmp_path)
    code, report = _verify(capsys, ledger_url, cp, key)
    assert code == 1 and "signed with another key" in report["reason"] and report["field"] == "key_id"


def test_a_checkpoint_for_another_ledger_is_refused(
    ledger_url_factory: Callable[[], str], key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = ledger_url_factory(), ledger_url_factory()
    with open_ledger(first) as a, open_ledger(second) as b:
        _fill(a, 4)
        b.append([ev("other/1", i=99)])
        _fill(b, 4)
    cp = _checkpoint(capsys, first, key, tmp_path)
    code, report = _verify(capsys, second, cp, key)
    assert code == 1 and "another ledger" in report["reason"] and report["field"] == "ledger"


def test_an_altered_checkpoint_is_refused(ledger: SqlLedger, key: Path) -> None:
    _fill(ledger, 5)
    cp = sign_head(ledger, load_private_key(key))
    altered = parse_checkpoint(json.dumps({**cp.to_dict(), "seq": 3}), name="cp.json")
    report = check(ledger, altered)
    assert not report.ok and "signature does not verify" in report.reason


def test_bad_checkpoint_files_and_keys_are_named(
    tmp_path: Path, key: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "l.db")
    with open_ledger(db) as ledger:
        code, _, err = run(capsys, "ledger", "head", "--db", db, "--sign", str(key))
        assert code == 2 and "empty" in err
        _fill(ledger, 2)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "csto-ledger-checkpoint", "format_version": 1, "seq": 0}')
    code, _, err = run(capsys, "ledger", "verify", "--db", db, "--checkpoint", str(bad))
    assert code == 2 and err.startswith(f"error: {bad}: field ") and "Traceback" not in err
    code, _, err = run(capsys, "ledger", "head", "--db", db, "--sign", str(bad))
    assert code == 2 and err.startswith(f"error: {bad}: not an unencrypted PEM private key")
    code, _, err = run(capsys, "ledger", "keygen", str(key))
    assert code == 2 and "never overwritten" in err


def test_a_legacy_ledger_goes_on_with_full_hashes_and_cannot_fall_back(tmp_path: Path) -> None:
    """A ledger written before hashes covered recorded_at still verifies; events appended to it now are hashed
    with it, and one of those rehashed the legacy way (to hide a recorded_at edit) is caught."""
    import shutil

    db = tmp_path / "legacy.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "kazakhstan-2022.db", db)
    with open_ledger(db) as ledger:
        before = ledger.verify()
        assert before.ok and all(e.hash == e.expected_hash(legacy=True) for e in ledger.read())
        ledger.append([ev("note/1", i=1), ev("note/1", i=2)])
        report = ledger.verify()
        assert report.ok and report.count == before.count + 2
        tail = [e for e in ledger.read() if e.seq > before.count]
        assert all(e.hash == e.expected_hash(legacy=False) for e in tail)
    raw = RawSQL(str(db))
    last = before.count + 2
    raw.set(last, "recorded_at", "2020-01-01T00:00:00.000000+00:00")
    row = raw._run(
        "SELECT seq, stream, version, type, at, data, prev_hash FROM ledger_events WHERE seq = ?", (last,)
    )
    seq, stream, version, type_, at, data, prev = row[0]
    legacy = record_hash(
        seq=seq, stream=stream, version=version, type=type_, at=at, data_json=data, prev_hash=prev
    )
    raw.set(last, "hash", legacy)
    with open_ledger(db) as ledger:
        report = ledger.verify()
    assert (report.ok, report.first_bad_seq) == (False, last) and "leaves out recorded_at" in str(
        report.reason
    )
