"""Cheaper coercion of the CLI's parameters: Typer builds a Pydantic ``TypeAdapter`` for every parameter of
the command being run (importing Typer's adapters and building them cost ~0.05-0.2 s of a command's
start-up), even for an option left unset or a string that stays a string.

``plain(command)`` gives the parameters of a built command (and of its subcommands) a coercion that returns
the values whose result is certain without Pydantic (a string for a ``str``; an int, or a string of at most
18 ASCII digits, for an unconstrained ``int``; a bool for a ``bool``; an unset option is Typer's own case)
and hands every other value to Typer's own coercion, built on first need: results and error messages stay
Typer's. Holds no command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from typer import _click
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer.core import TyperGroup, _TyperParameter

_DIGITS = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """Typer's coercion of one parameter, with the certain cases done without Pydantic."""

    descriptor: TypeDescriptor
    simple: bool  # a str, int or bool without a parser, bounds or a file

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: _click.Context) -> Any:
        if self.simple:
            kind = self.annotation
            if type(value) is kind:  # a str for a str, an int for an int, a bool for a bool
                return value
            if kind is int and type(value) is str and _DIGITS.fullmatch(value):
                return int(value)
        return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def _simple(descriptor: TypeDescriptor) -> bool:
    info = descriptor.parameter_info
    return (
        descriptor.annotation in (str, int, bool)
        and descriptor.file_annotation is None
        and info.parser is None
        and info.min is None
        and info.max is None
        and not info.clamp
    )


def _make_plain(params: list[_click.Parameter]) -> None:
    for param in params:
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            desc = param.type_descriptor
            param._runtime_param = PlainRuntimeParam(
                parameter_info=desc.parameter_info,
                annotation=desc.annotation,
                descriptor=desc,
                simple=_simple(desc),
            )


def plain_params(command: _click.Command) -> None:
    """Give ``command``'s own parameters, its ``--help`` included, the cheaper coercion (in place)."""
    _make_plain(command.params)
    # Typer makes the --help option when the command parses its arguments: wrap the method that makes it
    made = command.get_help_option

    def get_help_option(ctx: _click.Context) -> Any:
        option = made(ctx)
        if option is not None:
            _make_plain([option])
        return option

    setattr(command, "get_help_option", get_help_option)  # noqa: B010 (an instance's method, replaced)


def plain(command: _click.Command) -> None:
    """Give the parameters of ``command`` and of its subcommands the cheaper coercion (in place)."""
    plain_params(command)
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            plain(sub)


__all__ = ["PlainRuntimeParam", "plain", "plain_params"]
