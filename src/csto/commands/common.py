"""Options and output helpers shared by the command modules (JSON printing, the Rich console).

Kept small and import-light; nothing here knows about the CSTO.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of tables.")]
AtOpt = Annotated[str | None, typer.Option("--at", help="The date to look at, YYYY-MM-DD (default: today).")]
DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Load a dataset from this directory (same format as the package data)."),
]
AllianceOpt = Annotated[str, typer.Option("--alliance", help="Which bundled alliance dataset to use.")]


def _default(o: Any) -> Any:
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "model_dump"):
        return o.model_dump(mode="json", by_alias=True)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def print_json(doc: Any) -> None:
    """Write ``doc`` as indented JSON to stdout."""
    import json

    sys.stdout.write(json.dumps(doc, default=_default, ensure_ascii=False, indent=2) + "\n")


def console() -> Any:
    """A Rich console sized for pipes as well as terminals."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 120, highlight=False)
