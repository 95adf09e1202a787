"""The ``csto sweep`` command: a crisis run over ranges of model parameters on Dask workers.

It parses the options, calls ``csto.sim.sweep.sweep`` and renders the result: a Rich table (Sobol indices
by ST, or the grid points), one JSON document with ``--json``, Parquet with ``--out`` and a PNG with
``--plot`` (drawn by ``csto.report.sweep``). The sweep itself, the parameter names and their checks live in
the ``csto.sim.sweep`` package. It needs the sweep extra (and ``--plot`` the report extra): checked first.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, DataOpt, JsonOpt, console, print_json
from csto.extras import require_extra

MAX_ROWS = 40


def register(root: typer.Typer) -> None:
    root.command("sweep")(sweep)


def sweep(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario id (see 'csto scenarios') or a YAML file.")
    ],
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="NAME=LOW:HIGH, repeatable. Names: weight.<factor>, threshold.support|object|noise_sd, "
            "scenario.intensity, timing.session_hours|decision_hours|readiness_hours.",
        ),
    ] = None,
    method: Annotated[str, typer.Option("--method", help="grid or sobol.")] = "sobol",
    trials: Annotated[int, typer.Option("--trials", help="Monte Carlo trials at each point.", min=1)] = 2000,
    samples: Annotated[
        int | None,
        typer.Option(
            "--samples",
            help="grid: values per parameter (default 11); sobol: base samples N, a power of two "
            "(default 256; N·(2D+2) points).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed; point i runs with seed + i.")] = 0,
    workers: Annotated[
        int, typer.Option("--workers", help="Local Dask worker processes (without --scheduler).", min=1)
    ] = 2,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:port).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the points as Parquet here.")] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write a PNG: Sobol S1/ST, or (grid, one parameter) the odds curves."),
    ] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """Sweep model parameters over a crisis (grid or Sobol design) on Dask workers: odds at every point."""
    require_extra("sweep", "csto sweep")
    if plot is not None:
        require_extra("report", "csto sweep --plot")
    from csto.errors import InputError
    from csto.model import load_dataset
    from csto.sim.catalog import find
    from csto.sim.sweep import METHODS, parse_param
    from csto.sim.sweep import sweep as run_sweep

    if method not in METHODS:
        raise InputError(f"unknown method '{method}'", field="--method", expected="grid or sobol")
    ranges = [parse_param(p) for p in (param or [])]
    if not ranges:
        from csto.sim.sweep import PARAMETERS

        raise InputError(
            "give at least one --param NAME=LOW:HIGH",
            field="--param",
            expected="one of: " + ", ".join(PARAMETERS),
        )
    if plot is not None and method == "grid" and len(ranges) != 1:
        raise InputError(
            "--plot draws a grid of one parameter only",
            field="--plot",
            expected="one --param, or --method sobol",
        )
    ds = load_dataset(alliance, data_dir=data)
    sc = find(ds, scenario)
    show = not json_out and sys.stdout.isatty()
    bar: Any = contextlib.nullcontext()
    progress = None
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console(),
            transient=True,
        )
        task = bar.add_task(f"sweep {sc.id}", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

    with bar:
        result = run_sweep(
            ds,
            sc,
            ranges,
            method=method,
            trials=trials,
            samples=samples,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )
    written: dict[str, str] = {}
    if out is not None:
        written["out"] = str(result.write_parquet(out))
    if plot is not None:
        from csto.report.sweep import write_plot

        written["plot"] = str(write_plot(result, plot))
    if json_out:
        print_json({**result.to_dict(), **written})
        return
    render(result)
    for k, v in written.items():
        console().print(f"{'Parquet' if k == 'out' else 'Plot'}: {v}")


def render(result: Any) -> None:
    """The sweep as a readable page: the Sobol indices by ST, or the grid points."""
    from rich.table import Table

    from csto.model import RESPONSE_LADDER

    c = console()
    c.print(
        f"[bold]Sweep {result.scenario}[/bold] · {result.method} · {len(result.ranges)} parameter(s) · "
        f"{len(result.points):,} points × {result.trials:,} trials · {result.workers} worker(s) · "
        f"{result.seconds:.1f} s"
    )
    if result.note:
        c.print(f"[yellow]{result.note}[/yellow]")
    if result.sobol is not None:
        s = result.sobol
        t = Table(title="Sobol indices of the expected level (0 none … 4 deployment)", title_justify="left")
        for col in ("Parameter", "Range", "S1", "± 95%", "ST", "± 95%"):
            t.add_column(col, justify="left" if col in ("Parameter", "Range") else "right")
        by_name = {r.name: r for r in result.ranges}

        def f(v: float | None) -> str:
            return "—" if v is None else f"{v:.3f}"

        for name in s.ranked():
            r = by_name[name]
            t.add_row(
                name,
                f"{r.low:g} … {r.high:g}",
                f(s.S1[name]),
                f(s.S1_conf[name]),
                f(s.ST[name]),
                f(s.ST_conf[name]),
            )
        c.print(t)
        if s.note:
            c.print(f"[yellow]{s.note}[/yellow]")
        ys = [p.expected_level for p in result.points]
        c.print(f"Expected level over the points: {min(ys):.2f} … {max(ys):.2f}")
        return
    t = Table(title="Odds at each grid point", title_justify="left")
    for r in result.ranges:
        t.add_column(r.name, justify="right")
    for lv in RESPONSE_LADDER:
        t.add_column(lv, justify="right")
    t.add_column("E[level]", justify="right")
    for p in result.points[:MAX_ROWS]:
        t.add_row(
            *(f"{p.values[r.name]:.4g}" for r in result.ranges),
            *(f"{p.probabilities[lv]:.3f}" for lv in RESPONSE_LADDER),
            f"{p.expected_level:.2f}",
        )
    c.print(t)
    if len(result.points) > MAX_ROWS:
        c.print(f"[dim]… {len(result.points) - MAX_ROWS:,} more points (see --json or --out).[/dim]")
