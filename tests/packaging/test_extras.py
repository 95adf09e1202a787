"""csto.extras and pyproject.toml's extras say the same thing, and a missing extra is one line with exit 2.

Which modules an extra brings is read off the installed distributions (the dev venv has every extra): each
requirement of an extra provides a module ``csto.extras`` names for it, and each module named is provided by
that extra's requirements or theirs.
"""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib
from pathlib import Path

import pytest
import typer
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from csto.cli import main
from csto.extras import EXTRAS, INCLUDES, OWN_MODULES, MissingExtra, extra_for_module, require_extra
from tests.packaging.deps import closure

ROOT = Path(__file__).resolve().parents[2]
OPTIONAL = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
PROVIDERS = {
    m: {canonicalize_name(d) for d in ds} for m, ds in importlib.metadata.packages_distributions().items()
}


def _split(extra: str) -> tuple[list[Requirement], set[str]]:
    """An extra's requirements on other distributions, and the extras of csto it includes."""
    reqs = [Requirement(r) for r in OPTIONAL[extra]]
    own = [r for r in reqs if canonicalize_name(r.name) == "csto"]
    return [r for r in reqs if r not in own], {e for r in own for e in r.extras}


@pytest.mark.parametrize("extra", EXTRAS)
def test_each_extra_brings_the_modules_csto_extras_names(extra: str) -> None:
    reqs, included = _split(extra)
    assert included == set(INCLUDES.get(extra, ()))
    for req in reqs:
        provided = {m for m in OWN_MODULES[extra] if canonicalize_name(req.name) in PROVIDERS.get(m, set())}
        assert provided, f"{req.name} (extra {extra}) provides no module csto.extras names"
    dists = set(closure(reqs))
    for module in OWN_MODULES[extra]:
        assert PROVIDERS.get(module, set()) & dists, f"{module}: not brought by the {extra} extra"


def test_all_is_every_extra_and_dev_tests_them_all() -> None:
    assert _split("all") == ([], set(EXTRAS))
    assert "all" in _split("dev")[1]


def test_a_module_belongs_to_one_extra_and_the_core_to_none() -> None:
    modules = [m for mods in OWN_MODULES.values() for m in mods]
    assert len(modules) == len(set(modules))
    assert extra_for_module("matplotlib.figure") == "report"
    for core in (
        "numpy",
        "scipy",
        "sqlalchemy",
        "pydantic",
        "yaml",
        "typer",
        "rich",
        "geographiclib",
        "csto",
    ):
        assert extra_for_module(core) is None


def test_require_extra_names_the_extra_and_is_an_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    require_extra("web", "csto serve")  # installed here: no error
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(ImportError) as err:
        require_extra("web", "csto serve")
    assert isinstance(err.value, MissingExtra) and err.value.exit_code == 2
    assert str(err.value) == "csto serve needs the web extra (uvicorn not installed): pip install 'csto[web]'"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["serve"], "error: csto serve needs the web extra (uvicorn not installed): pip install 'csto[web]'"),
        (
            ["users", "list"],
            "error: csto users needs the web extra (uvicorn not installed): pip install 'csto[web]'",
        ),
    ],
)
def test_the_cli_says_it_in_one_line_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], line: str
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert capsys.readouterr().err == line + "\n"


def test_sweep_checks_its_extras_before_running(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fpdf", None)
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "kazakhstan-2022", "--param", "threshold.noise_sd=0.1:0.5", "--plot", "x.png"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert (
        err
        == "error: csto sweep --plot needs the report extra (fpdf not installed): pip install 'csto[report]'\n"
    )


def test_a_failed_import_of_an_extra_inside_a_command_is_the_same_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import csto.commands.treaty as treaty

    def needs_pyarrow(json_out: bool = typer.Option(False, "--json")) -> None:
        """Stands in for the treaty command: it imports an extra's module."""
        import pyarrow.parquet  # noqa: F401

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    monkeypatch.setattr(treaty, "treaty", needs_pyarrow)
    with pytest.raises(SystemExit) as exit_:
        main(["treaty"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert (
        err == "error: csto treaty needs the sweep extra (pyarrow not installed): pip install 'csto[sweep]'\n"
    )
