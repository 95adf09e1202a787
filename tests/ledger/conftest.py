"""Fixtures for the ledger tests: one parametrized ``ledger_url`` (SQLite, PostgreSQL) and raw SQL access.

``RawSQL`` reaches the tables with the plain drivers (sqlite3, psycopg), not through ``csto.ledger``,
so tamper tests change the database the way an outsider would. Nothing here writes through the API.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ConfigDict

from csto.events import EVENT_TYPES, EventBody, register
from csto.ledger import Event, SqlLedger, open_ledger

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


class _FreeForm(EventBody):
    """A test event that takes any plain JSON fields: the ledger's mechanics do not depend on the data."""

    model_config = ConfigDict(extra="allow")


#: Test-only event types (registered once per process): the ledger's chain, concurrency and format tests
#: append these; tests/ledger/test_typed.py covers the engine's own types.
TEST_TYPES = ("NoteTaken", "NoteFiled", "PingSent")
for _name in TEST_TYPES:
    if _name not in EVENT_TYPES:
        register(type(_name, (_FreeForm,), {"__module__": __name__, "__doc__": f"Test event {_name}."}))

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def ev(stream: str, type: str = "NoteTaken", i: int = 0, **data: Any) -> Event:
    """A small event; ``i`` moves ``at`` forward by hours and is kept in the data."""
    return Event(stream=stream, type=type, at=T0 + timedelta(hours=i), data={"i": i, **data})


class RawSQL:
    """Direct access to the ledger tables through the database driver, bypassing csto.ledger."""

    COLUMNS = frozenset(
        {"seq", "stream", "version", "type", "at", "data", "recorded_at", "prev_hash", "hash"}
    )

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = url.startswith("postgresql://")

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                cur = conn.execute(sql.replace("?", "%s"), params)
                return list(cur.fetchall()) if cur.description else []
        lite = sqlite3.connect(self.url)
        try:
            with lite:
                return list(lite.execute(sql, params).fetchall())
        finally:
            lite.close()

    def get(self, seq: int, column: str) -> Any:
        assert column in self.COLUMNS
        rows = self._run(f"SELECT {column} FROM ledger_events WHERE seq = ?", (seq,))
        assert rows, f"no row with seq {seq}"
        return rows[0][0]

    def set(self, seq: int, column: str, value: Any) -> None:
        assert column in self.COLUMNS
        self._run(f"UPDATE ledger_events SET {column} = ? WHERE seq = ?", (value, seq))

    def replace_byte_of_data(self, seq: int, offset: int, new_char: str) -> None:
        """Change the byte at ``offset`` (0-based) of a row's data text, in SQL (ASCII data only)."""
        assert len(new_char) == 1 and new_char.isascii()
        self._run(
            "UPDATE ledger_events SET data = substr(data, 1, ?) || ? || substr(data, ?) WHERE seq = ?",
            (offset, new_char, offset + 2, seq),
        )

    def delete(self, seq: int) -> None:
        self._run("DELETE FROM ledger_events WHERE seq = ?", (seq,))

    def count(self) -> int:
        return int(self._run("SELECT count(*) FROM ledger_events")[0][0])


@pytest.fixture(params=BACKENDS)
def ledger_url_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Make URLs of fresh, empty ledgers on the parametrized backend."""
    if request.param == "sqlite":
        counter = iter(range(1_000_000))
        return lambda: str(tmp_path / f"ledger{next(counter)}.db")
    factory: Callable[[], str] = request.getfixturevalue("postgres_url_factory")
    return factory


@pytest.fixture
def ledger_url(ledger_url_factory: Callable[[], str]) -> str:
    return ledger_url_factory()


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[SqlLedger]:
    led = open_ledger(ledger_url)
    try:
        yield led
    finally:
        led.close()


@pytest.fixture
def raw(ledger_url: str) -> RawSQL:
    return RawSQL(ledger_url)
