"""The CLI's cheaper parameter coercion (``csto.commands.fastparams``) gives what Typer's own Pydantic
coercion gives: the same value for every input it handles itself, and Typer's error for every other."""

from __future__ import annotations

from typing import Any

import pytest
import typer
import typer.main
from typer._coercion import build_runtime_param
from typer.core import TyperCommand, _TyperParameter

from csto.commands.fastparams import PlainRuntimeParam, plain

INPUTS: list[Any] = [
    "1", "007", "0", "123456789012345678", "1234567890123456789", " 1", "1 ", "+1", "-1", "1_000", "1.0",
    "0x10", "", "abc", "١٢", "\udcff", "0" * 18, 5, True, None, "csto", b"bytes",
]  # fmt: skip


def _command() -> TyperCommand:
    app = typer.Typer(add_completion=False)

    @app.command()
    def cmd(
        count: int = typer.Option(3),
        name: str = typer.Option("x"),
        flag: bool = typer.Option(False),
        bounded: int = typer.Option(1, min=0, max=10),
    ) -> None:
        """A command with plain and constrained options."""

    built = typer.main.get_command(app)
    assert isinstance(built, TyperCommand)
    return built


def _outcome(runtime: Any, value: Any, param: _TyperParameter, ctx: typer.Context) -> tuple[str, Any]:
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error Typer reports: its type and message
        return ("error", (type(exc).__name__, str(exc)))
    return ("value", (type(got).__name__, got))


@pytest.mark.parametrize("value", INPUTS, ids=repr)
def test_every_parameter_coerces_as_typer_does(value: Any) -> None:
    command = _command()
    plain(command)
    ctx = typer.Context(command)
    for param in command.params:
        assert isinstance(param, _TyperParameter)
        runtime = param._runtime_param
        assert isinstance(runtime, PlainRuntimeParam), param.name
        typers = build_runtime_param(param.type_descriptor)
        assert _outcome(runtime, value, param, ctx) == _outcome(typers, value, param, ctx), param.name


def test_only_unconstrained_str_int_and_bool_take_the_short_way() -> None:
    command = _command()
    plain(command)
    simple = {}
    for param in command.params:
        assert isinstance(param, _TyperParameter) and isinstance(param._runtime_param, PlainRuntimeParam)
        simple[param.name] = param._runtime_param.simple
    assert simple == {"count": True, "name": True, "flag": True, "bounded": False}
