"""The built wheel works on its own: installed into a fresh venv and run from an empty directory.

``python -m build`` (sdist, then the wheel from the sdist) runs on a copy of the project's sources, without
network (``--no-isolation``: the dev extra carries setuptools and wheel), so it writes nothing into the
checkout. The wheel goes into a new venv with ``--no-deps``; that venv sees the project venv's
site-packages for the dependencies only (a path line in a .pth, which does not run the editable install's
own .pth), never ``src/``. The commands then run from an empty directory, so nothing can come from the
clone: not the sources, not ``tests/``, not the data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "csto"
SKIP = ("__pycache__", "*.pyc")


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, (
        f"{cmd} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's sources as the build sees them (a snapshot: others may edit the checkout meanwhile)."""
    tree = tmp_path_factory.mktemp("build") / "tree"
    (tree / "src").mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    shutil.copytree(PACKAGE, tree / "src" / "csto", ignore=shutil.ignore_patterns(*SKIP))
    return tree


@pytest.fixture(scope="module")
def wheel(copied: Path) -> Path:
    work = copied.parent
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", work / "dist", copied], cwd=work)
    (built,) = (work / "dist").glob("csto-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv") / "v"
    _run([sys.executable, "-m", "venv", "--without-pip", env_dir], cwd=env_dir.parent)
    python = env_dir / "bin" / "python"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            wheel,
        ],
        cwd=env_dir.parent,
    )
    site = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=env_dir)
    )
    # the dependencies (pydantic, numpy, ...) from the project venv; a bare path line, so the editable
    # install's own .pth there (which would add src/) is not processed
    (Path(str(site).strip()) / "_csto_test_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    return env_dir


@pytest.fixture()
def empty_dir(tmp_path: Path) -> Path:
    d = tmp_path / "empty"
    d.mkdir()
    return d


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}


def test_the_wheel_carries_every_file_of_the_package_and_nothing_else(wheel: Path, copied: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n for n in names if not n.startswith("csto-")}
    package = copied / "src" / "csto"
    expected = {"csto/" + p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    assert sorted(expected - shipped) == [], "files of src/csto missing from the wheel (package-data?)"
    assert sorted(shipped - expected) == [], "files in the wheel that src/csto does not have"
    assert {"csto/py.typed", "csto/commands/rule_coverage.json", "csto/data/csto/treaty.yaml"} <= shipped


def test_csto_imports_from_the_new_venv_not_the_checkout(venv: Path, empty_dir: Path) -> None:
    code = "import csto, json, sys; print(json.dumps({'file': csto.__file__, 'path': sys.path}))"
    doc = json.loads(_run([venv / "bin" / "python", "-c", code], cwd=empty_dir, env=_clean_env()))
    assert Path(doc["file"]).resolve().is_relative_to(venv.resolve())
    assert not any(Path(p).resolve() == (ROOT / "src").resolve() for p in doc["path"] if p)


def test_treaty_rules_from_the_wheel_lists_every_rule_with_its_tests(venv: Path, empty_dir: Path) -> None:
    code = "import json; from csto.rules import RULES; print(json.dumps(sorted(RULES)))"
    engine_rules = json.loads(_run([venv / "bin" / "python", "-c", code], cwd=empty_dir, env=_clean_env()))
    out = _run([venv / "bin" / "csto", "treaty", "--rules", "--json"], cwd=empty_dir, env=_clean_env())
    rows = {r["rule"]: r for r in json.loads(out)["rules"]}
    assert sorted(rows) == engine_rules and len(engine_rules) > 30
    assert rows["cst-art4-scope"]["citation"] == "CST Art. 4 (as amended 2010)"
    assert any(t.startswith("tests/conformance/") for t in rows["cst-art4-scope"]["tests"])
    table = _run([venv / "bin" / "csto", "treaty", "--rules"], cwd=empty_dir, env=_clean_env())
    assert "cst-art4-scope" in table and "tests/" in table
    assert list(empty_dir.iterdir()) == []


def test_crisis_run_from_the_wheel_plays_the_bundled_scenario(venv: Path, empty_dir: Path) -> None:
    out = _run([venv / "bin" / "csto", "crisis", "run", "kazakhstan-2022"], cwd=empty_dir, env=_clean_env())
    assert "Odds over 1,000 trials" in out and "deployment" in out
    assert list(empty_dir.iterdir()) == []
