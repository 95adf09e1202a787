"""The CLI's root loads command modules on demand: its table of commands matches what the modules register,
its listing says what the built commands say, and ``csto --help`` builds no command and loads no Rich help,
no extra and no heavy library. ``csto --version`` prints the package's version.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import pytest
import typer
import typer.main
from typer.core import TyperGroup

import csto
import csto.commands
from csto.cli import app, main
from csto.commands.lazy import COMMANDS, LazyGroup, registered, summary


def _names(holder: typer.Typer) -> set[str]:
    built = typer.main.get_group(holder)
    return set(built.commands)


def test_the_table_names_every_command_each_module_registers() -> None:
    for module in set(COMMANDS.values()):
        assert _names(registered(module)) == {n for n, m in COMMANDS.items() if m == module}, module


def test_every_command_module_with_commands_is_in_the_table() -> None:
    modules = [m.name for m in pkgutil.iter_modules(csto.commands.__path__)]
    registering = {
        name
        for name in modules
        if hasattr(importlib.import_module(f"csto.commands.{name}"), "register")
        or isinstance(getattr(importlib.import_module(f"csto.commands.{name}"), "app", None), typer.Typer)
    }
    assert registering == set(COMMANDS.values())


def test_the_listing_says_what_the_built_commands_say() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    assert list(root.commands) == list(COMMANDS)
    for name, module in COMMANDS.items():
        built = root.commands[name]
        listed = summary(registered(module), name)
        assert listed.get_short_help_str(200) == built.get_short_help_str(200), name
        assert (listed.help, listed.hidden, listed.deprecated) == (built.help, built.hidden, built.deprecated)
        assert isinstance(listed, TyperGroup) == isinstance(built, TyperGroup), name


def _exits_ok(argv: list[str]) -> None:
    try:
        main(argv)
    except SystemExit as exit_:
        assert exit_.code in (0, None)


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    _exits_ok(["--help"])
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == list(COMMANDS)


def test_help_builds_no_command_and_imports_nothing_heavy() -> None:
    code = """
import io, json, sys, contextlib
import typer.main
built = []
real = typer.main.get_command_from_info
typer.main.get_command_from_info = lambda info, **kw: built.append(info) or real(info, **kw)
from csto.cli import main
after_import = sorted(m for m in sys.modules if m.startswith("csto.commands."))
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(["--help"])
    except SystemExit:
        pass
heavy = ("typer.rich_utils", "numpy", "pydantic", "yaml", "sqlalchemy", "scipy", "matplotlib", "pandas",
         "fastapi", "dask", "csto.model", "csto.sim", "csto.ledger")
print(json.dumps({"after_import": after_import, "built": len(built),
                  "loaded": sorted(m for m in heavy if m in sys.modules)}))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    doc = json.loads(out)
    # the root and its parameters' coercion (csto.commands.fastparams), no command module
    assert doc == {
        "after_import": ["csto.commands.fastparams", "csto.commands.lazy"],
        "built": 0,
        "loaded": [],
    }


def test_a_command_builds_its_own_module_only(capsys: pytest.CaptureFixture[str]) -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, LazyGroup)
    cmd = root.get_command(typer.Context(root), "scenarios")
    assert cmd is not None and cmd.params  # built: its parameters are there
    assert root.get_command(typer.Context(root), "no-such-command") is None


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    _exits_ok(["--version"])
    assert capsys.readouterr().out == f"csto {csto.__version__}\n"
