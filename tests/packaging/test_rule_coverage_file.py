"""The rule→test coverage shipped in the package (``csto treaty --rules``) matches the test suite today."""

from __future__ import annotations

from tools.rule_coverage import OUT, render, rule_coverage

from csto.commands.rule_table import shipped_coverage


def test_shipped_rule_coverage_is_the_one_the_tests_give() -> None:
    assert OUT.read_text(encoding="utf-8") == render(rule_coverage()), (
        "src/csto/commands/rule_coverage.json is stale: run .venv/bin/python tools/rule_coverage.py"
    )


def test_the_command_reads_the_shipped_file() -> None:
    assert shipped_coverage() == rule_coverage()
