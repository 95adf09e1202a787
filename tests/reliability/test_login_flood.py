"""A flood of wrong logins against ``csto serve`` with argon2's own parameters (64 MiB a hash): 32 at once,
three times over. The server's peak memory (``VmHWM``) stays under 500 MB, because password hashes run at
most two at once behind a bounded queue (``csto.web.throttle.HashGate``); every answer is a 401, a 429 or a
503, never a 500. The outsider's run before this bound: 89 MB → 1.9 GB for one such burst.
Figures go to ``tests/reliability/.figures/login-flood.json``.
"""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from csto.web import store as store_module
from tests.reliability.server import serve_process
from tests.web.conftest import make_app

pytestmark = pytest.mark.reliability
FIGURES = Path(__file__).parent / ".figures"
PARALLEL = 32
ROUNDS = 3
LIMIT_MB = 500


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} for process {pid}")


def test_32_parallel_wrong_logins_keep_the_server_under_500_mb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc to read the server's memory")
    db = str(tmp_path / "room.db")
    monkeypatch.setattr(store_module, "_hasher", PasswordHasher())  # argon2-cffi's defaults: 64 MiB a check
    app = make_app(db)
    for i in range(PARALLEL):
        app.state.csto.store.add_user(f"user{i:02d}", "the-right-password", "observer", None)
    app.state.csto.ledger.close()
    codes: Counter[int] = Counter()
    with serve_process(db) as (base, proc):
        before = _status_mb(proc.pid, "VmRSS")

        def wrong(i: int) -> int:
            r = httpx.post(
                base + "/api/token",
                json={"username": f"user{i % PARALLEL:02d}", "password": f"wrong-{i}"},
                timeout=120,
            )
            return r.status_code

        with ThreadPoolExecutor(PARALLEL) as pool:
            for _ in range(ROUNDS):
                codes.update(pool.map(wrong, range(PARALLEL)))
        peak = _status_mb(proc.pid, "VmHWM")
    FIGURES.mkdir(exist_ok=True)
    fig = {
        "parallel": PARALLEL,
        "rounds": ROUNDS,
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak, 1),
        "statuses": {str(k): v for k, v in sorted(codes.items())},
    }
    (FIGURES / "login-flood.json").write_text(json.dumps(fig) + "\n")
    assert set(codes) <= {401, 429, 503}, codes
    assert codes[401] >= PARALLEL, codes  # the first burst was checked, not refused wholesale
    assert peak < LIMIT_MB, fig
