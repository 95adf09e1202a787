"""Start ``csto serve`` in a subprocess on a free loopback port (for the reliability tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.web.conftest import free_port


@contextmanager
def serve(db: str) -> Iterator[str]:
    """``csto serve --db DB`` on a free port; yields the base URL; stopped on exit."""
    with serve_process(db) as (base, _proc):
        yield base


@contextmanager
def serve_process(db: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``csto serve --db DB`` on a free port; yields the base URL and the process; stopped on exit."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from csto.cli import main; main()", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"csto serve exited: {proc.stderr.read() if proc.stderr else ''}")
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("csto serve did not answer /api/health within 60 s")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()
        err = proc.stderr.read() if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
        assert "Traceback" not in err, err
