"""Commands for the model's calibration: ``csto calibrate`` (fit the weights and thresholds to the calibration
set and write the posterior) and the leave-one-out table behind ``csto backtest --loo``.

They call ``csto.sim.calibrate`` and ``csto.sim.loo`` and render the result as a table or as JSON; a fit that
does not converge exits non-zero and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import JsonOpt, console, print_json

AlliancesOpt = Annotated[
    str,
    typer.Option(
        "--alliance",
        help="The calibration set: 'all' (the CSTO's and NATO's episodes, one model), 'csto' or 'nato'.",
    ),
]
StepsOpt = Annotated[
    int, typer.Option("--steps", help="Sampler steps per walker (burn-in included).", min=50)
]


def register(root: typer.Typer) -> None:
    root.command("calibrate")(calibrate)


def alliances_of(name: str) -> tuple[str, ...]:
    from csto.errors import InputError

    choices = {"all": ("csto", "nato"), "csto": ("csto",), "nato": ("nato",)}
    if name not in choices:
        raise InputError(
            f"unknown calibration set '{name}'", field="--alliance", expected="all, csto or nato"
        )
    return choices[name]


def calibrate(
    alliance: AlliancesOpt = "all",
    seed: Annotated[int, typer.Option("--seed", help="Random seed (the same seed, the same posterior).")] = 0,
    steps: StepsOpt = 4000,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the posterior (default: ./posterior.json)."),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Fit the decision model's weights and thresholds to the calibration set (Bayesian, emcee)."""
    import time

    from csto.policy.posterior import save_posterior
    from csto.sim.calibrate import calibrate as fit_all

    started = time.perf_counter()
    post = fit_all(alliances_of(alliance), seed=seed, steps=steps, burn=steps // 3)
    wall = time.perf_counter() - started
    target = save_posterior(post, out or Path("posterior.json"))
    doc: dict[str, Any] = {
        "posterior": str(target),
        "wall_seconds": round(wall, 1),
        "summary": post.summary,
        "provenance": {k: v for k, v in post.provenance.items() if k != "diagnostics"},
        "diagnostics": post.provenance["diagnostics"],
    }
    if json_out:
        print_json(doc)
        return
    from rich.table import Table

    d = post.provenance["diagnostics"]
    t = Table(
        title=f"Posterior of {len(post.provenance['episodes'])} episodes (seed {seed}, {wall:.0f} s): "
        f"largest R-hat {d['rhat_max']:.3f}, acceptance {d['acceptance_mean']:.2f}",
        title_justify="left",
    )
    for col in ("Parameter", "Mean", "sd", "90 % interval", "R-hat"):
        t.add_column(col)
    for name, s in post.summary.items():
        t.add_row(
            name, f"{s['mean']:.3f}", f"{s['sd']:.3f}", f"{s['q05']:.2f} – {s['q95']:.2f}", f"{s['rhat']:.3f}"
        )
    console().print(t)
    console().print(f"Wrote {target}")


def loo(alliance: str, seed: int, steps: int, workers: int | None, json_out: bool) -> None:
    """The leave-one-out table (``csto backtest --loo``)."""
    import time

    from csto.model import load_dataset
    from csto.policy import load_policy
    from csto.sim.calibrate import cases_of, prior_of
    from csto.sim.chunks import default_workers
    from csto.sim.loo import METHODS, run_loo

    names = alliances_of(alliance)
    started = time.perf_counter()
    cases = cases_of(names, 100, seed)
    prior = prior_of(load_policy(load_dataset(names[0])))
    n = default_workers() if workers is None else workers
    # each fold starts cold, from the prior: nothing of the held-out episode reaches its fit
    result = run_loo(cases, prior, seed=seed, steps=steps, burn=steps // 3, workers=n)
    doc = result.to_dict()
    doc["wall_seconds"] = round(time.perf_counter() - started, 1)
    if json_out:
        print_json(doc)
        return
    from rich.table import Table

    t = Table(title=f"Leave-one-out over {len(result.rows)} episodes (seed {seed})", title_justify="left")
    t.add_column("Episode")
    t.add_column("Recorded")
    for m in METHODS:
        t.add_column(m.capitalize())
    for row in doc["episodes"]:
        cells = []
        for m in METHODS:
            r = row[m]
            mark = "[green]✓[/green]" if r["hit"] else "[red]✗[/red]"
            cells.append(f"{r['predicted']} {r['probabilities'][row['recorded']]:.2f} {mark}")
        t.add_row(f"{row['alliance']}/{row['episode']}", row["recorded"], *cells)
    console().print(t)
    tot = doc["total"]
    summary = Table(title="Totals (P(recorded) shown per cell)", title_justify="left")
    for col in ("Method", "Accuracy", "Mean log score (higher is better)", "Mean Brier (lower is better)"):
        summary.add_column(col)
    for m in METHODS:
        s = tot[m]
        summary.add_row(
            m, f"{s['hits']}/{tot['episodes']}", f"{s['mean_log_score']:.3f}", f"{s['mean_brier']:.3f}"
        )
    console().print(summary)
