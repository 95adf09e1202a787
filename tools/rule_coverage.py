"""Write which tests cover each engine rule into ``src/csto/commands/rule_coverage.json`` (shipped).

Usage: python tools/rule_coverage.py [--check]. A test covers a rule when it is marked ``@covers("rule-id")``
or compares ``.rule == "rule-id"``. ``csto treaty --rules`` reads only the written file, never ``tests/``,
so an installed wheel shows the same table as a clone; ``--check`` (and a test) fail when the file is stale.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
OUT = ROOT / "src" / "csto" / "commands" / "rule_coverage.json"


def _covered_ids(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    ids: set[str] = set()
    for deco in node.decorator_list:
        if (
            isinstance(deco, ast.Call)
            and getattr(deco.func, "id", getattr(deco.func, "attr", "")) == "covers"
        ):
            ids |= {a.value for a in deco.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Compare) and isinstance(sub.left, ast.Attribute) and sub.left.attr == "rule":
            ids |= {
                c.value for c in sub.comparators if isinstance(c, ast.Constant) and isinstance(c.value, str)
            }
    return ids


def rule_coverage(base: Path = TESTS) -> dict[str, list[str]]:
    """Rule id → the tests that cover it (``tests/…/test_x.py::test_name``), both sorted."""
    out: dict[str, list[str]] = {}
    for f in sorted(base.rglob("test_*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"), filename=str(f))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                for rid in _covered_ids(node):
                    out.setdefault(rid, []).append(f"{f.relative_to(base.parent).as_posix()}::{node.name}")
    return {rid: sorted(tests) for rid, tests in sorted(out.items())}


def render(cover: dict[str, list[str]]) -> str:
    doc = {"generated_by": "tools/rule_coverage.py", "coverage": cover}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = render(rule_coverage())
    if "--check" in argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python tools/rule_coverage.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
