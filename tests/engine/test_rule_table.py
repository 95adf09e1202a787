"""The rule table: every rule cites an article that exists in the data, and at least one test covers it."""

from __future__ import annotations

import json

from tools.rule_coverage import rule_coverage

from csto.model import load_dataset
from csto.rules import RULES, rule_table


def test_every_rule_cites_an_instrument_and_article_in_the_data() -> None:
    ds = load_dataset("csto")
    for r in RULES.values():
        inst = ds.instrument(r.instrument)
        assert inst is not None, f"{r.id}: unknown instrument {r.instrument}"
        assert inst.article(r.article) is not None, f"{r.id}: {inst.short} has no article {r.article}"


def test_every_rule_is_covered_by_a_test() -> None:
    cover = rule_coverage()
    missing = sorted(set(RULES) - set(cover))
    assert not missing, f"rules with no covering test: {missing}"


def test_uncertain_rules_say_why() -> None:
    for row in rule_table():
        if row["uncertain"]:
            assert row["basis"], row["rule"]


def test_treaty_rules_lists_each_rule_with_its_article_and_tests(capsys) -> None:  # type: ignore[no-untyped-def]
    from csto.cli import main

    main(["treaty", "--rules", "--json"])
    doc = json.loads(capsys.readouterr().out)
    rows = {r["rule"]: r for r in doc["rules"]}
    assert rows["cst-art4-scope"]["citation"] == "CST Art. 4 (as amended 2010)"
    assert rows["cst-art4-scope"]["tests"]
    main(["treaty", "--rules"])
    out = capsys.readouterr().out
    assert "csc-2011-bases-consent" in out and "uncertain" in out
