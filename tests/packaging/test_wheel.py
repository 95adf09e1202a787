"""The built wheel works on its own, with the core dependencies only: installed into a fresh venv, run from an
empty directory, it plays a crisis, and a command that needs an extra names it in one line (exit 2).

``python -m build`` (sdist, then the wheel from the sdist) runs on a copy of the project's sources, without
network (``--no-isolation``: the dev extra carries setuptools and wheel), so it writes nothing into the
checkout. The wheel goes into a new venv with ``--no-deps``. That venv then gets the core dependencies only,
offline: the closure of the wheel's own ``Requires-Dist`` (no extra), each distribution linked from the
project venv by the files its RECORD lists. So the extras' libraries (FastAPI, Dask, pandas, matplotlib,
psycopg, ...) cannot be imported there, and a core module that imports one at import time fails here. The
commands run from an empty directory, so nothing can come from the clone: not the sources, not the data.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import csto
from csto.extras import EXTRAS, modules_of
from tests.packaging.deps import closure

# one worker builds the wheel and the venv once (make test runs pytest-xdist with --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "csto"
SKIP = ("__pycache__", "*.pyc")


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = _call(cmd, cwd, env)
    assert done.returncode == 0, (
        f"{cmd} exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


def _call(
    cmd: list[str | Path], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def core_requirements(wheel: Path) -> list[Requirement]:
    """The wheel's ``Requires-Dist`` lines that apply without any extra."""
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        msg = Parser().parsestr(zf.read(meta).decode("utf-8"))
    reqs = [Requirement(r) for r in msg.get_all("Requires-Dist") or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def link_distribution(dist: importlib.metadata.Distribution, site: Path) -> None:
    """Link the top-level files and folders of ``dist`` (from its RECORD) into ``site``."""
    assert dist.files is not None, f"{dist.metadata['Name']} has no RECORD: cannot tell its files"
    tops = {f.parts[0] for f in dist.files if f.parts[0] not in ("..", "__pycache__")}
    for top in tops:
        src = Path(str(dist.locate_file(top)))
        dst = site / top
        if src.exists() and not dst.exists():
            dst.symlink_to(src, target_is_directory=src.is_dir())


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
    """A fresh venv with the wheel and the core dependencies only (linked from the project venv)."""
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
        _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=env_dir).strip()
    )
    for dist in closure(core_requirements(wheel)).values():
        link_distribution(dist, site)
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


def test_the_wheel_is_versioned_from_the_package_and_declares_the_extras(wheel: Path) -> None:
    assert wheel.name.startswith(f"csto-{csto.__version__}-")
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        msg = Parser().parsestr(zf.read(meta).decode("utf-8"))
    assert msg["Version"] == csto.__version__
    assert set(EXTRAS) | {"all", "dev", "bench"} <= set(msg.get_all("Provides-Extra") or [])
    core = {canonicalize_name(r.name) for r in core_requirements(wheel)}
    assert not core & {
        "fastapi",
        "uvicorn",
        "dask",
        "salib",
        "pyarrow",
        "psycopg",
        "fpdf2",
        "pandas",
        "matplotlib",
    }


def test_the_new_venv_has_the_core_dependencies_and_no_extra(venv: Path, empty_dir: Path) -> None:
    extra_modules = sorted({m for extra in EXTRAS for m in modules_of(extra)})
    code = (
        "import importlib.util, json, sys; "
        f"print(json.dumps([m for m in {extra_modules!r} if importlib.util.find_spec(m) is not None]))"
    )
    assert json.loads(_run([venv / "bin" / "python", "-c", code], cwd=empty_dir, env=_clean_env())) == []
    core = "import numpy, scipy.optimize, pydantic, yaml, sqlalchemy, typer, rich, geographiclib"
    _run([venv / "bin" / "python", "-c", core], cwd=empty_dir, env=_clean_env())


def test_csto_imports_from_the_new_venv_not_the_checkout(venv: Path, empty_dir: Path) -> None:
    code = "import csto, json, sys; print(json.dumps({'file': csto.__file__, 'path': sys.path}))"
    doc = json.loads(_run([venv / "bin" / "python", "-c", code], cwd=empty_dir, env=_clean_env()))
    assert Path(doc["file"]).resolve().is_relative_to(venv.resolve())
    assert not any(Path(p).resolve() == (ROOT / "src").resolve() for p in doc["path"] if p)


def test_every_core_module_imports_without_the_extras(venv: Path, empty_dir: Path) -> None:
    """Every module but the room's imports in the core venv; the room's package refuses in one message."""
    code = """
import importlib, json, pkgutil, csto
failed, room = {}, None
for m in pkgutil.walk_packages(csto.__path__, "csto.", onerror=lambda name: None):
    if m.name == "csto.web" or m.name.startswith("csto.web."):
        continue
    try:
        importlib.import_module(m.name)
    except Exception as exc:
        failed[m.name] = f"{type(exc).__name__}: {exc}"
try:
    import csto.web
except ImportError as exc:
    room = [type(exc).__name__, str(exc)]
print(json.dumps({"failed": failed, "room": room}))
"""
    doc = json.loads(_run([venv / "bin" / "python", "-c", code], cwd=empty_dir, env=_clean_env()))
    assert doc["failed"] == {}, "core modules that import an extra at import time"
    assert doc["room"][0] == "MissingExtra"
    assert doc["room"][1].endswith(
        "needs the web extra (fastapi, starlette, uvicorn, jinja2, argon2, itsdangerous, "
        "python_multipart, matplotlib, fpdf not installed): pip install 'csto[web]'"
    )


def test_version_from_the_wheel(venv: Path, empty_dir: Path, wheel: Path) -> None:
    out = _run([venv / "bin" / "csto", "--version"], cwd=empty_dir, env=_clean_env())
    assert out == f"csto {csto.__version__}\n"
    assert wheel.name.startswith(f"csto-{csto.__version__}-")


def test_crisis_run_from_the_wheel_plays_the_bundled_scenario(venv: Path, empty_dir: Path) -> None:
    out = _run([venv / "bin" / "csto", "crisis", "run", "kazakhstan-2022"], cwd=empty_dir, env=_clean_env())
    assert "Odds over 1,000 trials" in out and "deployment" in out
    assert list(empty_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "words", "extra"),
    [
        (["serve"], "csto serve", "web"),
        (["users", "list"], "csto users", "web"),
        (["sweep", "kazakhstan-2022", "--param", "threshold.noise_sd=0.1:0.5"], "csto sweep", "sweep"),
        (
            ["ledger", "verify", "--db", "postgresql://csto@127.0.0.1:1/csto"],
            "a PostgreSQL ledger",
            "postgres",
        ),
        # no check of their own: the CLI maps the failed import of matplotlib to its extra
        (["members", "--history", "--plot", "../timeline.png"], "csto members", "report"),
        (
            ["crisis", "run", "kazakhstan-2022", "--trials", "50", "--report", "../report"],
            "csto crisis run",
            "report",
        ),
    ],
)
def test_a_command_that_needs_a_missing_extra_names_it_in_one_line(
    venv: Path, empty_dir: Path, args: list[str], words: str, extra: str
) -> None:
    done = _call([venv / "bin" / "csto", *args], cwd=empty_dir, env=_clean_env())
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {words} needs the {extra} extra (")
    assert lines[0].endswith(f"not installed): pip install 'csto[{extra}]'")
    assert "Traceback" not in done.stderr and list(empty_dir.iterdir()) == []


def test_to_frame_in_the_core_venv_names_the_extra_that_brings_pandas(venv: Path, empty_dir: Path) -> None:
    code = (
        "import csto.crisis\n"
        "r = csto.crisis.run('kazakhstan-2022', trials=20)\n"
        "try:\n    r.to_frame()\nexcept ImportError as exc:\n    print(exc)\n"
    )
    out = _run([venv / "bin" / "python", "-c", code], cwd=empty_dir, env=_clean_env())
    assert out.strip() == (
        "CrisisResult.to_frame() needs the sweep extra (dask, distributed, SALib, pyarrow, pandas "
        "not installed): pip install 'csto[sweep]'"
    )


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


def test_the_project_venv_is_not_what_the_new_venv_sees(venv: Path) -> None:
    """The dependencies are links to the project venv's files, not a path to its whole site-packages."""
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    new_site = next((venv / "lib").glob("python*/site-packages"))
    assert not [p for p in new_site.glob("*.pth") if str(site) in p.read_text()]
    assert not (new_site / "fastapi").exists() and (new_site / "numpy").is_symlink()
