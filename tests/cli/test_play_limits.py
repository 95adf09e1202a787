"""``csto play`` on inputs that are not a sensible YAML file: an alias bomb, a document over the size limit, a
directory and a path that cannot be read. Each is one ``error:`` line naming the file (exit 2), no traceback,
and no ledger is opened. The limits are the shared YAML reader's (``csto.model.yamlparse``)."""

from __future__ import annotations

import resource
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from csto.model import yamlparse


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_its_file_and_bounded_memory(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    script = tmp_path / "bomb.yaml"
    script.write_text(_bomb())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = cli("play", str(script), "--db", str(tmp_path / "x.db"))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert r.code == 2, r.err
    assert r.err.startswith(f"error: {script}:"), r.err
    assert "alias" in r.err and "Traceback" not in r.err
    assert grown_mb < 200, f"the process grew by {grown_mb:.0f} MB"
    assert not (tmp_path / "x.db").exists()


def test_a_document_over_the_size_limit_is_refused(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlparse, "MAX_CHARS", 1000)
    script = tmp_path / "big.yaml"
    script.write_text("title: x\n" + "# padding\n" * 200)
    r = cli("play", str(script), "--db", str(tmp_path / "x.db"))
    assert r.code == 2
    assert r.err.startswith(f"error: {script}:") and "more than the 1,000" in r.err, r.err


def test_many_aliases_within_the_limit_still_read() -> None:
    text = "base: &b {value: 1}\n" + "".join(f"k{i}: *b\n" for i in range(2000))
    doc = yamlparse.parse_yaml(text, "ok.yaml")
    assert doc.data["k1999"] == {"value": 1}


def test_a_directory_is_named_not_an_internal_error(cli: Callable[..., Any], tmp_path: Path) -> None:
    r = cli("play", str(tmp_path), "--db", str(tmp_path / "x.db"))
    assert r.code == 2
    assert r.err.strip() == f"error: {tmp_path}: is a directory (expected a YAML file)"


def test_an_unreadable_path_is_named(cli: Callable[..., Any], tmp_path: Path) -> None:
    blocker = tmp_path / "file.yaml"
    blocker.write_text("title: x\n")
    r = cli("play", str(blocker / "inside.yaml"), "--db", str(tmp_path / "x.db"))
    assert r.code == 2
    assert r.err.startswith(f"error: {blocker / 'inside.yaml'}: cannot read the file"), r.err
    assert "internal error" not in r.err
