"""``csto serve`` starts on a fresh database and ``/api/health`` answers; a bad --db is a clean error."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.web.conftest import free_port

CSTO = [sys.executable, "-c", "from csto.cli import main; main()"]


def test_csto_serve_starts_and_health_answers(tmp_path: Path) -> None:
    port = free_port()
    db = tmp_path / "room.db"
    proc = subprocess.Popen(
        [*CSTO, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        health = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert health is not None, (
            proc.stdout.read() if proc.stdout and proc.poll() is not None else "no answer"
        )
        assert health["status"] == "ok" and health["database"] == "sqlite" and health["schema_version"] == 2
        assert httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert db.exists()


def test_csto_serve_with_a_bad_database_url_is_a_clean_error(tmp_path: Path) -> None:
    r = subprocess.run(
        [*CSTO, "serve", "--db", "mysql://nope/db", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "field 'db'" in r.stderr and "Traceback" not in r.stderr
