"""The ``csto`` command line: a thin Typer entry point that wires the command modules together.

Each command lives in ``csto.commands.<name>`` and imports heavy libraries only inside its
functions, so ``csto --help`` starts fast. ``main()`` turns every ``CstoError`` into one message
and exit code 2; ``--debug`` anywhere on the line shows the traceback instead.
"""

from __future__ import annotations

import json
import sys

import typer

from csto.commands import data as data_commands
from csto.errors import CstoError

app = typer.Typer(
    name="csto",
    help="The Collective Security Treaty Organization as code: sourced data, the treaty as an engine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

data_commands.register(app)


def _register_optional() -> None:
    """Attach command groups whose modules may not exist yet in a partial checkout."""
    import importlib

    for module_name, group in (("csto.commands.ledger", "ledger"), ("csto.commands.engine", None)):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # pragma: no cover - only in partial checkouts
            if exc.name != module_name:
                raise
            continue
        if group is None:
            module.register(app)
        else:
            app.add_typer(module.app, name=group)


_register_optional()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors exit 2 with one message, and ``--debug`` shows tracebacks."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    want_json = "--json" in args
    try:
        app(args=args, prog_name="csto", standalone_mode=False)
    except CstoError as err:
        if debug:
            raise
        if want_json:
            print(json.dumps(err.to_dict(), ensure_ascii=False), file=sys.stderr)
        typer.echo(f"error: {err}", err=True)
        raise SystemExit(err.exit_code) from None
    except SystemExit:
        raise
    except Exception as exc:
        import click

        if isinstance(exc, click.exceptions.Abort):
            raise SystemExit(1) from None
        if isinstance(exc, click.ClickException):
            exc.show()
            raise SystemExit(2) from None
        if isinstance(exc, click.exceptions.Exit):
            raise SystemExit(exc.exit_code) from None
        if debug:
            raise
        typer.echo(f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)", err=True)
        raise SystemExit(1) from None
