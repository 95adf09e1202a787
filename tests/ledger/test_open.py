"""Opening a ledger: URL and path forms, the errors people see for bad ones, SQLite durability settings.

Backend behaviour after opening is the contract's job (test_contract.py); this file only needs SQLite,
except where it checks how PostgreSQL URLs are read (no server needed for a refusal).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from csto.errors import CstoError, LedgerError
from csto.ledger import Event, open_ledger

from .conftest import T0


def test_path_and_sqlite_url_open_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with open_ledger(str(path)) as led:
        led.append([Event(stream="s", type="NoteTaken", at=T0)])
    with open_ledger(f"sqlite:///{path}") as again:
        assert again.stream_version("s") == 1
    with open_ledger(path) as as_path:  # os.PathLike works too
        assert as_path.stream_version("s") == 1


def test_sqlite_runs_in_wal_mode_with_full_sync_and_a_busy_timeout(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "a.db", busy_timeout_s=7) as led, led.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7000


def test_schema_has_unique_seq_and_stream_version(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_ledger(path).close()
    conn = sqlite3.connect(path)
    try:
        conn.execute(
            "INSERT INTO ledger_events VALUES (1, 's', 1, 'T', 'a', '{}', 'r', ?, ?)", ("0" * 64, "1" * 64)
        )
        with pytest.raises(sqlite3.IntegrityError):  # same seq
            conn.execute(
                "INSERT INTO ledger_events VALUES (1, 't', 1, 'T', 'a', '{}', 'r', ?, ?)",
                ("0" * 64, "1" * 64),
            )
        with pytest.raises(sqlite3.IntegrityError):  # same (stream, version)
            conn.execute(
                "INSERT INTO ledger_events VALUES (2, 's', 1, 'T', 'a', '{}', 'r', ?, ?)",
                ("0" * 64, "1" * 64),
            )
    finally:
        conn.close()


def test_in_memory_ledger_works_and_is_private_to_its_object() -> None:
    with open_ledger("sqlite://") as a, open_ledger(":memory:") as b:
        a.append([Event(stream="s", type="NoteTaken", at=T0)])
        assert a.verify().count == 1
        assert b.head() is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://u@h/db", "unsupported ledger URL scheme 'mysql'"),
        ("postgresql+psycopg2://u@h/db", "unsupported PostgreSQL driver"),
        ("postgresql://u@h", "names no database"),
        ("", "no ledger location"),
    ],
)
def test_bad_urls_are_refused_saying_what_was_expected(url: str, says: str) -> None:
    with pytest.raises(LedgerError, match=says) as info:
        open_ledger(url)
    assert info.value.expected
    assert isinstance(info.value, CstoError) and info.value.exit_code == 2


def test_password_is_hidden_in_errors() -> None:
    with pytest.raises(LedgerError) as info:
        open_ledger("postgresql://u:s3cret@127.0.0.1:1/db")  # nothing listens on port 1
    assert "s3cret" not in str(info.value)


def test_missing_file_is_refused_without_creating_it_when_create_is_false(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(LedgerError, match="no ledger") as info:
        open_ledger(path, create=False)
    assert info.value.file == str(path)
    assert not path.exists()


def test_missing_folder_and_folder_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="does not exist"):
        open_ledger(tmp_path / "no" / "such" / "x.db")
    with pytest.raises(LedgerError, match="folder"):
        open_ledger(tmp_path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(LedgerError, match="not a database"):
        open_ledger(path)


def test_a_sqlite_file_without_ledger_tables_is_refused_when_create_is_false(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).close()
    path.write_bytes(b"")  # an empty file is a valid, empty SQLite database
    with pytest.raises(LedgerError, match="not a csto ledger"):
        open_ledger(path, create=False)


def test_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    open_ledger(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE ledger_meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(LedgerError, match="schema version") as info:
        open_ledger(path)
    assert info.value.field == "schema_version"


def test_in_memory_ledger_shared_by_threads_keeps_one_gap_free_chain() -> None:
    import threading

    with open_ledger(":memory:") as led:

        def writer(name: str) -> None:
            for i in range(20):
                led.append([Event(stream=f"t/{name}", type="PingSent", at=T0, data={"i": i})])
                list(led.read(stream=f"t/{name}"))

        threads = [threading.Thread(target=writer, args=(n,)) for n in "AB"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert [e.seq for e in led.read()] == list(range(1, 41))
        assert led.verify().ok
