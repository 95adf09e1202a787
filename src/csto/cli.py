"""The ``csto`` command line: a thin Typer entry point that wires the command modules together.

Each command lives in ``csto.commands.<name>`` and imports heavy libraries only inside its
functions, so ``csto --help`` starts fast. ``main()`` turns every ``CstoError`` into one message
and exit code 2; ``--debug`` anywhere on the line shows the traceback instead.
"""

from __future__ import annotations

import json
import sys

import typer

from csto.commands import compare as compare_commands
from csto.commands import crisis as crisis_commands
from csto.commands import engine as engine_commands
from csto.commands import ledger as ledger_commands
from csto.commands import members as members_commands
from csto.commands import plan as plan_commands
from csto.commands import record as record_commands
from csto.commands import sweep as sweep_commands
from csto.commands import treaty as treaty_commands
from csto.commands import web as web_commands
from csto.commands import whatif as whatif_commands
from csto.errors import CstoError

app = typer.Typer(
    name="csto",
    help="The Collective Security Treaty Organization as code: sourced data, the treaty as an engine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line error messages."),
) -> None:
    """csto: the CSTO's treaty, bodies, members and forces as sourced data and a checked engine."""


members_commands.register(app)
treaty_commands.register(app)
record_commands.register(app)
engine_commands.register(app)
crisis_commands.register(app)
compare_commands.register(app)
whatif_commands.register(app)
plan_commands.register(app)
sweep_commands.register(app)
web_commands.register(app)
app.add_typer(ledger_commands.app, name="ledger")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors exit 2 with one message, and ``--debug`` shows tracebacks."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    want_json = "--json" in args
    try:
        rc = app(args=args, prog_name="csto", standalone_mode=False)
        if isinstance(rc, int) and rc != 0:
            raise SystemExit(rc)
    except CstoError as err:
        if debug:
            raise
        if want_json:
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
