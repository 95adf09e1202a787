"""``csto users add|list|remove``: accounts for the exercise room, with errors that name the field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Result


def test_users_add_list_remove(cli: Callable[..., Result], tmp_path: Path) -> None:
    db = str(tmp_path / "room.db")
    r = cli(
        "users",
        "add",
        "kaz1",
        "--role",
        "delegation",
        "--state",
        "kaz",
        "--password",
        "long-enough",
        "--db",
        db,
        "--json",
    )
    assert r.code == 0 and r.json() == {"username": "kaz1", "role": "delegation", "state": "KAZ"}
    assert cli("users", "add", "ctl", "--role", "control", "--password", "long-enough", "--db", db).code == 0
    listed = cli("users", "list", "--db", db, "--json").json()
    assert [u["username"] for u in listed] == ["ctl", "kaz1"]
    assert cli("users", "remove", "kaz1", "--db", db).code == 0
    assert [u["username"] for u in cli("users", "list", "--db", db, "--json").json()] == ["ctl"]


def test_passwords_are_stored_as_argon2_hashes(cli: Callable[..., Result], tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "room.db"
    cli("users", "add", "obs", "--role", "observer", "--password", "plain-text-pw", "--db", str(db))
    (stored,) = sqlite3.connect(db).execute("select password_hash from web_users").fetchone()
    assert stored.startswith("$argon2id$") and "plain-text-pw" not in stored


def test_bad_accounts_are_refused_with_the_field(cli: Callable[..., Result], tmp_path: Path) -> None:
    db = str(tmp_path / "room.db")
    cases = [
        (("x", "--role", "control", "--password", "long-enough"), "username"),
        (("ok1", "--role", "king", "--password", "long-enough"), "role"),
        (("ok2", "--role", "delegation", "--password", "long-enough"), "state"),
        (("ok3", "--role", "delegation", "--state", "XXX", "--password", "long-enough"), "--state"),
        (("ok4", "--role", "observer", "--state", "KAZ", "--password", "long-enough"), "state"),
        (("ok5", "--role", "observer", "--password", "short"), "password"),
    ]
    for args, field in cases:
        r = cli("users", "add", *args, "--db", db)
        assert r.code == 2, (args, r.err)
        assert f"field '{field}'" in r.err and "Traceback" not in r.err
    cli("users", "add", "dup", "--role", "observer", "--password", "long-enough", "--db", db)
    r = cli("users", "add", "dup", "--role", "observer", "--password", "long-enough", "--db", db)
    assert r.code == 2 and "exists" in r.err
    r = cli("users", "remove", "ghost", "--db", db)
    assert r.code == 2 and "no user 'ghost'" in r.err
