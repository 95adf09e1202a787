"""The ``csto`` command line: a thin Typer entry point over the command modules of ``csto.commands``.

The root group (``csto.commands.lazy``) imports a command module only when its command runs, and each
module imports heavy libraries inside its functions, so ``csto --help`` starts fast. Help is plain text
(Typer's help, without Rich's panels: their import alone costs more than the whole listing). ``main()``
turns every ``CstoError`` into one message and exit code 2, and a missing optional extra into one line
naming it; ``--debug`` anywhere on the line shows the traceback instead.
"""

from __future__ import annotations

import sys

import typer

from csto import __version__
from csto.commands.lazy import LazyGroup
from csto.errors import CstoError
from csto.extras import missing_extra_error

app = typer.Typer(
    name="csto",
    cls=LazyGroup,
    help="The Collective Security Treaty Organization as code: sourced data, the treaty as an engine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"csto {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line error messages."),
    version: bool = typer.Option(
        False, "--version", callback=_print_version, is_eager=True, help="Print csto's version and exit."
    ),
) -> None:
    """csto: the CSTO's treaty, bodies, members and forces as sourced data and a checked engine."""


def _command_words(args: list[str]) -> str:
    """``csto`` and the command named on the line (``csto members``, ``csto crisis run``), for messages."""
    import typer.main
    from typer.core import TyperGroup

    words = ["csto"]
    command: object = typer.main.get_command(app)
    for arg in args:
        if arg.startswith("-"):
            continue
        if not isinstance(command, TyperGroup) or (command := command.commands.get(arg)) is None:
            break
        words.append(arg)
    return " ".join(words)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors exit 2 with one message, and ``--debug`` shows tracebacks."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    want_json = "--json" in args
    try:
        try:
            rc = app(args=args, prog_name="csto", standalone_mode=False)
        except ModuleNotFoundError as exc:
            # an optional extra's module, imported by the command that needs it: one line naming the extra
            missing = None if debug else missing_extra_error(exc.name or "", _command_words(args))
            if missing is None:
                raise
            raise missing from None
        if isinstance(rc, int) and rc != 0:
            raise SystemExit(rc)
    except CstoError as err:
        if debug:
            raise
        if want_json:
            import json

            print(json.dumps(err.to_dict(), ensure_ascii=False), file=sys.stderr)
        else:
            typer.echo(f"error: {err}", err=True)
        raise SystemExit(err.exit_code) from None
    except SystemExit:
        raise
    except typer.Exit as exc:
        raise SystemExit(getattr(exc, "exit_code", 0)) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except Exception as exc:
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):  # a usage error from Typer's command parser
            show()
            raise SystemExit(2 if exc.exit_code in (None, 1, 2) else int(exc.exit_code)) from None
        if debug:
            raise
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)", err=True
        )
        raise SystemExit(1) from None
