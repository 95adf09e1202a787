"""Lazy loading: building events loads no SQLAlchemy, and ``csto ledger``'s module loads no database code.

What ``csto.ledger`` may import at all is an import-linter contract (``.importlinter``); these tests check
what is *loaded* at import time, which a static contract cannot see. Run in fresh interpreters, so what
other tests imported cannot hide a violation.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_building_events_does_not_load_sqlalchemy() -> None:
    mods = _modules_after("from csto.ledger import Event, project, stream_versions")
    assert "sqlalchemy" not in mods


def test_cli_module_loads_no_database_or_table_code_at_import() -> None:
    mods = _modules_after("import csto.commands.ledger")
    assert not {m for m in mods if m.split(".")[0] in {"sqlalchemy", "psycopg"} or m.startswith("rich.table")}
