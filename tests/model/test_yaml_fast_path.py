"""libyaml's fast path reads every bundled file exactly as the pure-Python loader does, and a bad document
is still reported by the pure-Python loader (same message, line and field)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto.errors import DataError
from csto.model import yamlio, yamlparse

DATA = Path(yamlio.__file__).resolve().parents[1] / "data"
FILES = sorted(DATA.rglob("*.yaml"))


@pytest.mark.skipif(yamlparse._FastBase is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_fast_and_pure_python_loaders_give_the_same_data_and_lines(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yamlparse._parse(text, "f.yaml", yamlparse._FastLoader)
    slow = yamlparse._parse(text, "f.yaml", yamlparse._Loader)
    assert fast.data == slow.data
    assert fast.lines == slow.lines


BAD = {
    "duplicate": ("a: 1\nb:\n  c: 2\n  c: 3\n", 4, "duplicate key 'c'"),
    "syntax": ("a: 1\nb: [1, 2\nc: 3\n", None, "YAML syntax error"),
    "tab": ("a:\n\tb: 1\n", 2, "YAML"),
    "bad value": ("a: 1\nb: !!int x\n", 2, "cannot read value"),
    "merge": ("base: &b {x: 1}\nc:\n  <<: *b\n", 3, "merge keys"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_a_bad_document_is_reported_as_the_pure_python_loader_reports_it(case: str) -> None:
    text, line, words = BAD[case]
    with pytest.raises(DataError) as fast:
        yamlio.parse_yaml(text, "bad.yaml")
    with pytest.raises(DataError) as slow:
        yamlparse._parse(text, "bad.yaml", yamlparse._Loader)
    assert str(fast.value) == str(slow.value)
    assert words in str(fast.value)
    if line is not None:
        assert fast.value.line == line
