"""Lower layers never import upper ones (data → model → rules/procedures → ledger → sim/web/cli)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "csto"

ALLOWED: dict[str, set[str]] = {
    "model": {"errors", "model"},
    "rules": {"errors", "model", "rules"},
    "procedures": {"errors", "model", "rules", "procedures"},
    "ledger": {"errors", "model", "ledger"},
    "report": {"errors", "model", "report", "sim", "logistics"},
    "policy": {"errors", "model", "policy"},
    "sim": {"errors", "model", "rules", "procedures", "policy", "logistics", "sim"},
    # the web sits beside the CLI: it may use everything below it, but never the CLI or its commands
    "web": {
        "errors",
        "model",
        "rules",
        "procedures",
        "ledger",
        "policy",
        "sim",
        "logistics",
        "report",
        "session",
        "web",
    },
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("csto."):
            out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("csto."):
                    out.add(a.name.split(".")[1])
    return out


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_is_below_it(layer: str) -> None:
    bad = {}
    for f in sorted((SRC / layer).rglob("*.py")):
        extra = imports_of(f) - ALLOWED[layer]
        if extra:
            bad[str(f.relative_to(SRC))] = sorted(extra)
    assert not bad, f"{layer} imports upper layers: {bad}"


def test_every_module_opens_with_a_docstring() -> None:
    missing = [
        str(f.relative_to(SRC))
        for f in SRC.rglob("*.py")
        if ast.get_docstring(ast.parse(f.read_text())) is None
    ]
    assert not missing, missing
