"""``csto treaty --rules``: every rule of the engine, its article as in force today, and the tests covering it.

Which tests cover each rule comes from ``rule_coverage.json``, shipped inside the package and written from
the test suite by ``tools/rule_coverage.py`` (a test keeps it current). It never reads ``tests/``, so an
installed wheel prints the same table as a clone. It must not re-state a rule: the rows are ``rule_table()``.
"""

from __future__ import annotations

import json
from importlib.resources import files

from csto.commands.common import console, print_json

COVERAGE_FILE = "rule_coverage.json"


def shipped_coverage() -> dict[str, list[str]]:
    """Rule id → the tests that cover it, as written into the package by ``tools/rule_coverage.py``."""
    doc = json.loads(files("csto.commands").joinpath(COVERAGE_FILE).read_text(encoding="utf-8"))
    return {str(rid): [str(t) for t in tests] for rid, tests in doc["coverage"].items()}


def show_rules(json_out: bool = False) -> None:
    """Print every rule with its article (as in force today) and the tests that cover it."""
    from csto.model import load
    from csto.rules import rule_table

    a = load()
    cover = shipped_coverage()
    rows = [
        {**r, "citation": a.cite(r["instrument"], r["article"]), "tests": cover.get(r["rule"], [])}
        for r in rule_table()
    ]
    if json_out:
        print_json({"rules": rows, "tests_found": bool(cover)})
        return
    from rich.table import Table

    t = Table(title=f"{len(rows)} rules of the engine", title_justify="left", show_lines=True)
    for col in ("Rule", "Article", "What it checks", "Tests"):
        t.add_column(col, overflow="fold")
    for r in rows:
        flag = " [yellow](uncertain)[/yellow]" if r["uncertain"] else ""
        t.add_row(r["rule"], r["citation"] + flag, r["summary"], "\n".join(r["tests"]) or "[red]none[/red]")
    console().print(t)
