"""Shared test plumbing: ``require_or_skip`` and a throwaway PostgreSQL schema per test.

Generic on purpose: nothing here knows about csto's packages. Tests that need an outside service
(PostgreSQL, later Chromium) call ``require_or_skip(reason)`` (also a fixture of that name): it skips,
or fails when ``CSTO_REQUIRE_ALL=1`` (CI, where a silent skip would hide a missing service).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

# Run from a plain checkout too (no `pip install -e .`): put src/ on the path if csto is not importable.
_SRC = Path(__file__).resolve().parents[1] / "src"
if importlib.util.find_spec("csto") is None and _SRC.is_dir():
    sys.path.insert(0, str(_SRC))

POSTGRES_ENV = "CSTO_TEST_POSTGRES_URL"
POSTGRES_UNAVAILABLE = "PostgreSQL not available: set CSTO_TEST_POSTGRES_URL"


def require_all() -> bool:
    """Whether this run forbids skipping for a missing service (``CSTO_REQUIRE_ALL=1``)."""
    return os.environ.get("CSTO_REQUIRE_ALL", "").strip() not in ("", "0")


def require_or_skip(reason: str) -> NoReturn:
    """Skip the current test for ``reason`` — or fail it when ``CSTO_REQUIRE_ALL=1``."""
    if require_all():
        pytest.fail(f"{reason} (CSTO_REQUIRE_ALL=1 makes this a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(name="require_or_skip")
def require_or_skip_fixture() -> Callable[[str], NoReturn]:
    """``require_or_skip`` as a fixture, for test folders that cannot import this conftest by name."""
    return require_or_skip


def with_search_path(url: str, schema: str) -> str:
    """``url`` (postgresql://…) with libpq ``options`` that put ``schema`` first on the search_path."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "options"]
    existing = dict(parse_qsl(parts.query)).get("options", "")
    query.append(("options", f"{existing} -csearch_path={schema}".strip()))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a runtime dependency
        require_or_skip("PostgreSQL tests need psycopg: pip install 'psycopg[binary]'")
    return psycopg


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The server URL from ``CSTO_TEST_POSTGRES_URL``; skips (or fails, see above) when unset.

    A URL that is set but does not answer is a failure, not a skip: someone meant it to work.
    """
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        require_or_skip(POSTGRES_UNAVAILABLE)
    psycopg = _psycopg()
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL does not answer: {exc}", pytrace=False)
    return url


@pytest.fixture
def postgres_url_factory(postgres_server_url: str) -> Iterator[Callable[[], str]]:
    """Make URLs whose search_path is a fresh, empty schema; every schema is dropped after the test."""
    psycopg = _psycopg()
    from psycopg import sql

    schemas: list[str] = []

    def make() -> str:
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(postgres_server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        schemas.append(schema)
        return with_search_path(postgres_server_url, schema)

    yield make
    with psycopg.connect(postgres_server_url, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '10s'")
        for schema in schemas:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def postgres_url(postgres_url_factory: Callable[[], str]) -> str:
    """A PostgreSQL URL with a fresh, empty schema of its own (dropped after the test)."""
    return postgres_url_factory()
