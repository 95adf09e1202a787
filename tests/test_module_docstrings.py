"""Every module in src/csto opens with a docstring saying what it holds and what it must not do.

The layering itself (what each package may import) is held by the import-linter contracts in
``.importlinter`` (``make contracts``, part of ``make test``), not here.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "csto"


def test_every_module_opens_with_a_docstring() -> None:
    missing = [
        str(f.relative_to(SRC))
        for f in SRC.rglob("*.py")
        if ast.get_docstring(ast.parse(f.read_text(encoding="utf-8"))) is None
    ]
    assert not missing, missing
