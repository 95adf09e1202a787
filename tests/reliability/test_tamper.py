"""Tamper: flip one byte of one stored event; ``csto ledger verify`` must name that event every time.

The ledger is the realistic one of the backup tests (played example scripts and a room drill, ~280
events). For a seeded sample of events, one bit of one byte of one stored column (``data``, ``at``,
``type``, ``stream``, ``hash``, ``prev_hash`` or ``recorded_at``, in turn) is flipped with plain SQL through the database
driver, and ``csto ledger verify --db … --json`` runs in-process. It must exit 1, report ``ok: false``,
name the tampered event's seq as ``first_bad_seq`` with the events before it intact, and print no
traceback. SQLite: 50 events, each on a fresh copy of the ledger. PostgreSQL: 10 events on one ledger,
each byte put back afterwards (and the chain verified intact again).

The flipped byte is an ASCII byte and stays one (bit 0-6, never NUL), so the row still holds valid
UTF-8 text. A flip inside a multi-byte character makes invalid UTF-8, which PostgreSQL refuses to store
but SQLite keeps: see ``test_a_byte_flip_that_breaks_utf8_is_named_too`` (a known failure).
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from csto.ledger import open_ledger
from tests.reliability.test_backup import (
    build_realistic_ledger,
    export_text,
    import_text,
    run_cli,
    sqlite_copy,
)

pytestmark = pytest.mark.reliability

COLUMNS = ("data", "at", "type", "stream", "hash", "prev_hash", "recorded_at")
SQLITE_SAMPLE = 50
POSTGRES_SAMPLE = 10


@dataclass(frozen=True)
class Flip:
    seq: int
    column: str
    offset: int  # byte offset in the column's UTF-8 text
    before: int
    after: int

    def __str__(self) -> str:
        return f"seq {self.seq} {self.column}[{self.offset}] {self.before:#04x}->{self.after:#04x}"


def flip_ascii_byte(text: str, rng: random.Random) -> tuple[str, int, int, int]:
    """``text`` with one bit of one of its ASCII bytes flipped (still ASCII, never NUL)."""
    raw = bytearray(text.encode("utf-8"))
    offset = rng.choice([i for i, b in enumerate(raw) if b < 0x80])
    before = raw[offset]
    raw[offset] ^= 1 << rng.choice([bit for bit in range(7) if before ^ (1 << bit)])
    return raw.decode("utf-8"), offset, before, raw[offset]


@dataclass
class Tally:
    """What the verifier made of the tampered ledgers."""

    backend: str
    sample: int = 0
    detected: int = 0  # exit 1 and ok: false
    named_correctly: int = 0  # ... and first_bad_seq is the tampered event
    by_column: Counter[str] = field(default_factory=Counter)
    by_reason: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def check(self, flip: Flip, code: int, out: str, err: str) -> None:
        self.sample += 1
        self.by_column[flip.column] += 1
        problems = [w for w in ("Traceback", "internal error") if w in out + err]
        try:
            report: dict[str, Any] = json.loads(out)
        except ValueError:
            report = {}
        if code == 1 and report.get("ok") is False:
            self.detected += 1
            reason = str(report.get("reason")).split(":")[0].split(" (")[0]
            self.by_reason[re.sub(r"\d+", "N", reason)] += 1
        else:
            problems.append(f"exit {code}, not a failed verify report")
        if report.get("first_bad_seq") == flip.seq and report.get("count") == flip.seq - 1:
            self.named_correctly += 1
        else:
            problems.append(f"named seq {report.get('first_bad_seq')}, count {report.get('count')}")
        if problems:
            self.failures.append(f"{flip}: {'; '.join(problems)} | {out.strip()[:300]} {err.strip()[:300]}")

    def save(self) -> None:
        """The figures for the README's Reliability table."""
        d = Path(__file__).parent / ".figures"
        d.mkdir(exist_ok=True)
        fig = {"sample": self.sample, "detected": self.detected, "named_correctly": self.named_correctly}
        (d / f"tamper-{self.backend}.json").write_text(json.dumps(fig) + "\n")

    def summary(self) -> str:
        return (
            f"tamper[{self.backend}]: {self.sample} events flipped, {self.detected} detected, "
            f"{self.named_correctly} named correctly; columns {dict(sorted(self.by_column.items()))}; "
            f"caught by {dict(self.by_reason.most_common())}"
        )


@pytest.fixture(scope="module")
def base_ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int]:
    """A realistic SQLite ledger (built once): (path, event count)."""
    path = str(tmp_path_factory.mktemp("tamper") / "base.db")
    build_realistic_ledger(path)
    with open_ledger(path, create=False) as ledger:
        report = ledger.verify()
    assert report.ok and report.count >= 250, report
    return path, report.count


def _plan(count: int, n: int, seed: int) -> list[tuple[int, str]]:
    """Which events get which column flipped: a seeded sample, every column about as often."""
    rng = random.Random(seed)
    seqs = sorted(rng.sample(range(1, count + 1), n))
    columns = [COLUMNS[i % len(COLUMNS)] for i in range(n)]
    rng.shuffle(columns)
    if count not in seqs:  # the head too: its hash has no successor to expose it
        seqs[-1] = count
    return list(zip(seqs, columns, strict=True))


def _sqlite_flip(db: str, seq: int, column: str, rng: random.Random) -> Flip:
    conn = sqlite3.connect(db)
    try:
        with conn:
            (value,) = conn.execute(f"SELECT {column} FROM ledger_events WHERE seq = ?", (seq,)).fetchone()
            new, offset, before, after = flip_ascii_byte(value, rng)
            conn.execute(f"UPDATE ledger_events SET {column} = ? WHERE seq = ?", (new, seq))
    finally:
        conn.close()
    return Flip(seq, column, offset, before, after)


def test_verify_names_every_tampered_event_on_sqlite(
    base_ledger: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, count = base_ledger
    rng = random.Random(6)
    tally = Tally("sqlite")
    for i, (seq, column) in enumerate(_plan(count, SQLITE_SAMPLE, seed=60)):
        db = sqlite_copy(base, tmp_path / f"tampered-{i}.db")
        flip = _sqlite_flip(db, seq, column, rng)
        tally.check(flip, *run_cli(capsys, "ledger", "verify", "--db", db, "--json"))
        if i % 10 == 0:  # the human-readable form names it too
            code, out, err = run_cli(capsys, "ledger", "verify", "--db", db)
            if code != 1 or f"chain broken at seq {seq} " not in out:
                tally.failures.append(f"{flip}: text output {code} {out.strip()[:200]} {err.strip()[:200]}")
        Path(db).unlink()
    with capsys.disabled():
        print("\n" + tally.summary())
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.sample == tally.detected == tally.named_correctly == SQLITE_SAMPLE
    tally.save()
    assert set(tally.by_column) == set(COLUMNS)


@pytest.mark.postgres
def test_verify_names_every_tampered_event_on_postgresql(
    base_ledger: tuple[str, int], postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    base, count = base_ledger
    with open_ledger(base, create=False) as ledger:
        import_text(postgres_url, export_text(ledger))
    rng = random.Random(7)
    tally = Tally("postgresql")
    with psycopg.connect(postgres_url, autocommit=True) as conn:

        def sql(query: str, *params: Any) -> list[tuple[Any, ...]]:
            cur = conn.execute(query, params)
            return list(cur.fetchall()) if cur.description else []

        for seq, column in _plan(count, POSTGRES_SAMPLE, seed=70):
            ((value,),) = sql(f"SELECT {column} FROM ledger_events WHERE seq = %s", seq)
            new, offset, before, after = flip_ascii_byte(value, rng)
            sql(f"UPDATE ledger_events SET {column} = %s WHERE seq = %s", new, seq)
            tally.check(
                Flip(seq, column, offset, before, after),
                *run_cli(capsys, "ledger", "verify", "--db", postgres_url, "--json"),
            )
            sql(f"UPDATE ledger_events SET {column} = %s WHERE seq = %s", value, seq)
            code, out, _ = run_cli(capsys, "ledger", "verify", "--db", postgres_url, "--json")
            assert code == 0 and json.loads(out)["count"] == count, f"restoring seq {seq} {column}: {out}"
    with capsys.disabled():
        print("\n" + tally.summary())
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.sample == tally.detected == tally.named_correctly == POSTGRES_SAMPLE
    tally.save()


def test_a_byte_flip_that_breaks_utf8_is_named_too(
    base_ledger: tuple[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, _ = base_ledger
    conn = sqlite3.connect(base)
    try:
        rows = [
            (seq, data)
            for seq, data in conn.execute("SELECT seq, data FROM ledger_events ORDER BY seq")
            if not data.isascii()
        ]
    finally:
        conn.close()
    assert rows, "the realistic ledger should hold non-ASCII text (the room drill)"
    rng = random.Random(8)
    tally = Tally("sqlite-utf8")
    for i, (seq, data) in enumerate(rng.sample(rows, min(5, len(rows)))):
        raw = bytearray(data.encode("utf-8"))
        while True:  # flip bit 6 of a byte of a multi-byte character until the text is invalid UTF-8
            raw = bytearray(data.encode("utf-8"))
            offset = rng.choice([j for j, b in enumerate(raw) if b >= 0x80])
            before = raw[offset]
            raw[offset] ^= 0x40
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                break
        db = sqlite_copy(base, tmp_path / f"utf8-{i}.db")
        _raw_update(db, seq, bytes(raw))
        tally.check(
            Flip(seq, "data", offset, before, raw[offset]),
            *run_cli(capsys, "ledger", "verify", "--db", db, "--json"),
        )
    with capsys.disabled():
        print("\n" + tally.summary())
    assert not tally.failures, "\n".join(tally.failures)


def _raw_update(db: str, seq: int, data: bytes) -> None:
    """Store bytes that are not valid UTF-8 as the TEXT of ``data`` (SQLite does not check)."""
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute("UPDATE ledger_events SET data = CAST(? AS TEXT) WHERE seq = ?", (data, seq))
            assert conn.execute(
                "SELECT typeof(data) FROM ledger_events WHERE seq = ?", (seq,)
            ).fetchone() == ("text",)
    finally:
        conn.close()
