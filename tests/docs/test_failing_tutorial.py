"""A tutorial whose code fails breaks the docs build, naming the page and the cell or code block.

Each test builds a temporary copy of the site's configuration (the same plugins and hooks as mkdocs.yml) over a
docs folder holding one deliberately failing tutorial, and expects ``mkdocs build --strict`` to fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
MKDOCS = Path(sys.executable).parent / "mkdocs"

pytestmark = pytest.mark.skipif(not MKDOCS.exists(), reason="mkdocs is not installed (the docs extra)")


def build(tmp_path: Path, pages: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the real configuration over a docs folder holding only ``pages``."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    docs = tmp_path / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text)
    config.update(
        docs_dir=str(docs), site_dir=str(tmp_path / "built"), hooks=[str(ROOT / "tools/mkdocs_hooks.py")]
    )
    config.pop("nav", None)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    env = {
        **os.environ,
        "PATH": f"{MKDOCS.parent}{os.pathsep}{os.environ['PATH']}",
        "NO_MKDOCS_2_WARNING": "1",
    }
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def notebook(*sources: str) -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# A tutorial"}]
    cells += [
        {"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
        for s in sources
    ]
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return json.dumps({"cells": cells, "metadata": kernel, "nbformat": 4, "nbformat_minor": 5})


def test_a_failing_notebook_cell_fails_the_build_naming_the_page_and_the_cell(tmp_path: Path) -> None:
    pages = {
        "index.md": "# Home\n",
        "tutorials/broken.ipynb": notebook("x = 1", "raise ValueError('the scenario file is missing')"),
    }
    result = build(tmp_path, pages)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert (
        "docs/tutorials/broken.ipynb: cell 3 (code cell 2) failed: ValueError: the scenario file is missing"
        in out
    )


def test_a_failing_code_block_fails_the_build_naming_the_page(tmp_path: Path) -> None:
    page = '# A tutorial\n\n```python exec="on" result="text"\nprint("fine")\n```\n\n'
    page += '```sh exec="on" result="text"\ncsto treaty 99\n```\n'
    result = build(tmp_path, {"index.md": "# Home\n", "tutorials/broken.md": page})
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "docs/tutorials/broken.md: markdown_exec: Execution of sh code block exited with" in out
    assert "CST has no article '99'" in out
    assert "Aborted with" in out and "in strict mode" in out
