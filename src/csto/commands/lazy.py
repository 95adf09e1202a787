"""The CLI's root command group, loading command modules on demand: ``csto --help`` lists every command
without importing its module's dependencies or building its parameters, and ``csto crisis run`` builds the
crisis commands only.

``COMMANDS`` says which module of ``csto.commands`` registers each top-level command. The commands
themselves, their parameters and help texts stay Typer's, built from the modules by ``typer.main``; only
the listing in ``csto --help`` reads a command's help without building it. Holds no command.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import MutableMapping
from typing import Any

import typer
import typer.main
from typer import _click
from typer.core import MarkupMode, TyperCommand, TyperGroup

from csto.commands.fastparams import plain, plain_params

# top-level command -> the module of csto.commands that registers it, in the order `csto --help` lists them.
# A module registers through register(app); one without it is a single group, `app`, named after the module.
COMMANDS: dict[str, str] = {
    "info": "members",
    "members": "members",
    "treaty": "treaty",
    "episodes": "record",
    "sources": "record",
    "play": "engine",
    "backtest": "crisis",
    "calibrate": "calibration",
    "scenarios": "crisis",
    "compare": "compare",
    "whatif": "whatif",
    "sweep": "sweep",
    "serve": "web",
    "crisis": "crisis",
    "plan": "plan",
    "users": "web",
    "ledger": "ledger",
}


def registered(module: str) -> typer.Typer:
    """A Typer app holding what ``csto.commands.<module>`` registers (imports the module, builds nothing)."""
    mod = importlib.import_module(f"csto.commands.{module}")
    holder = typer.Typer(add_completion=False)
    register = getattr(mod, "register", None)
    if register is not None:
        register(holder)
    else:
        holder.add_typer(mod.app, name=module)
    return holder


def summary(holder: typer.Typer, name: str) -> _click.Command:
    """Command ``name`` of ``holder`` with its help only, read as Typer reads it (for the listing)."""
    for info in holder.registered_commands:
        if (
            info.callback is not None
            and (info.name or typer.main.get_command_name(info.callback.__name__)) == name
        ):
            use_help = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
            return TyperCommand(
                name=name,
                help=use_help,
                short_help=info.short_help,
                hidden=info.hidden,
                deprecated=info.deprecated,
            )
    for group in holder.registered_groups:
        solved = typer.main.solve_typer_info_defaults(group)
        if solved.name == name:
            return TyperGroup(
                name=name,
                help=solved.help,
                short_help=solved.short_help,
                hidden=solved.hidden,
                deprecated=solved.deprecated,
            )
    raise KeyError(f"csto.commands registers no command {name!r}")


class LazyGroup(TyperGroup):
    """The root group (``typer.Typer(cls=LazyGroup)``): commands come from ``COMMANDS``, built on first use.

    ``commands`` (all of them, built) is there for whoever walks the tree, such as the docs' CLI reference.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._holders: dict[str, typer.Typer] = {}
        self._built: dict[str, TyperGroup] = {}
        self._listing = False
        super().__init__(**kwargs)
        plain_params(self)  # --debug and --version without building Pydantic adapters

    @property
    def commands(self) -> MutableMapping[str, _click.Command]:
        return {name: cmd for name in COMMANDS if (cmd := self._command(name)) is not None}

    @commands.setter
    def commands(self, value: MutableMapping[str, _click.Command]) -> None:
        if value:
            raise TypeError("the root's commands come from csto.commands.lazy.COMMANDS")

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if self._listing and cmd_name in COMMANDS:
            return summary(self._holder(COMMANDS[cmd_name]), cmd_name)
        return self._command(cmd_name)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        # the listing needs names and help only: summaries, not built commands (building reads every
        # parameter's annotations, most of `csto --help`'s time)
        self._listing = True
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def _holder(self, module: str) -> typer.Typer:
        if module not in self._holders:
            self._holders[module] = registered(module)
        return self._holders[module]

    def _command(self, name: str) -> _click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        if module not in self._built:
            markup: MarkupMode = self.rich_markup_mode
            holder = self._holder(module)
            holder.rich_markup_mode = markup
            self._built[module] = typer.main.get_group(holder)
            plain(self._built[module])  # str and int options without building Pydantic adapters
        return self._built[module].commands.get(name)


__all__ = ["COMMANDS", "LazyGroup", "registered", "summary"]
