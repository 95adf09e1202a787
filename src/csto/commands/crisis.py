"""Commands for crisis runs: ``csto crisis run``, ``csto backtest`` and ``csto scenarios``.

They call ``csto.sim`` and render the result as readable text (timeline, votes with reasons, odds, the
comparison with the record) or as JSON; ``--report DIR`` writes the HTML report with its plots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, DataOpt, JsonOpt, console, print_json

app = typer.Typer(help="Run crises through the treaty with the member-state models.", no_args_is_help=True)

TrialsOpt = Annotated[int, typer.Option("--trials", help="Monte Carlo trials (1 to 10^10).")]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        help="Processes that share the trials (default: every core); results do not depend on it.",
    ),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (the same seed gives the same result).")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="crisis")
    root.command("backtest")(backtest)
    root.command("scenarios")(scenarios)


@app.command("run")
def run(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario id (see 'csto scenarios') or a YAML file.")
    ],
    trials: TrialsOpt = 1000,
    seed: SeedOpt = 0,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write an HTML report with plots here.")
    ] = None,
    engine: Annotated[
        bool, typer.Option("--engine", help="Run every trial through the reference engine, not the kernel.")
    ] = False,
    workers: WorkersOpt = None,
    posterior: Annotated[
        str | None,
        typer.Option(
            "--posterior",
            help="A posterior file from 'csto calibrate' (default: the bundled one), or 'none' for the policy's "
            "own uncalibrated weights.",
        ),
    ] = None,
    why: Annotated[
        bool,
        typer.Option(
            "--why",
            help="Explain: each member's decisive factors in words, and the smallest one-feature changes of "
            "the situation that change the most likely response (counterfactuals, on the kernel).",
        ),
    ] = False,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """Run a crisis through the engine with the decision models: odds, votes with reasons, timeline."""
    from csto.model import load_dataset
    from csto.sim.catalog import find
    from csto.sim.montecarlo import check_trials, run_crisis

    check_trials(trials)  # before loading anything: a bad count is refused at once
    ds = load_dataset(alliance, data_dir=data)
    sc = find(ds, scenario)
    from csto.sim.chunks import default_workers

    n = default_workers() if workers is None else workers
    from csto.policy.posterior import Posterior, load_posterior

    post: Posterior | str | None = "bundled"
    if posterior is not None:
        post = None if posterior.lower() == "none" else load_posterior(posterior)
    result = run_crisis(ds, sc, trials=trials, seed=seed, engine=engine, workers=n, posterior=post)
    written = None
    if report is not None:
        from csto.report.crisis import write_report

        written = write_report(result, report)
    doc = result.to_dict()
    if written is not None:
        doc["report"] = str(written)
    if why:
        from csto.sim.counterfactuals import why as explain

        doc["why"] = explain(ds, result)
    if json_out:
        print_json(doc)
        return
    render(doc, ds)
    if why:
        render_why(doc["why"], doc["level"])
    if written is not None:
        console().print(f"Report: {written}")


def render_why(w: dict[str, Any], level: str) -> None:
    """The explanation in words, then the counterfactuals as a table."""
    c = console()
    c.print("[bold]Why[/bold]")
    c.print(w["decision"])
    for line in w["members"]:
        c.print(f"  • {line}")
    if not w["counterfactuals"]:
        c.print(f"No single change tried moves the most likely response away from {level}.")
        return
    from rich.table import Table

    t = Table(title=f"What would change the answer ({level} now)", title_justify="left")
    for col in ("Change", "Most likely", "Odds"):
        t.add_column(col)
    for cf in w["counterfactuals"]:
        odds = " ".join(f"{k[:4]} {v:.2f}" for k, v in cf["probabilities"].items() if v >= 0.01)
        t.add_row(cf["change"], cf["level"], odds)
    c.print(t)


def _stance(s: str) -> str:
    return {"support": "[green]support[/green]", "object": "[red]object[/red]"}.get(
        s, "[yellow]stand aside[/yellow]"
    )


def render(doc: dict[str, Any], ds: Any) -> None:
    """The crisis run as a readable page in the terminal."""
    from csto.model import view_at

    c = console()
    sc_id = doc["scenario"]
    from csto.sim.catalog import find

    sc = find(ds, sc_id) if (Path(ds.directory) / "scenarios" / f"{sc_id}.yaml").exists() else None
    if sc is not None:
        day = sc.request_time.date()
        a = view_at(ds, day)
        chair = a.chair("csc")
        c.print(
            f"[bold]{a.name} on {day.isoformat()}[/bold]: {len(a.members)} members"
            + (f" ({chair} chairs the Council)" if chair else "")
            + " — sources: csto sources"
        )
        req = sc.request
        art = {
            "art4": "collective-defence request",
            "art2": "request for consultations/assistance",
            "none": "no formal request",
        }[req.article]
        c.print(
            f"Crisis  [bold]{doc['title']}[/bold]{' (hypothetical)' if doc['hypothetical'] else ''} · "
            f"{sc.kind.replace('_', ' ')}"
            + (f" · framing: {sc.framing}" if sc.framing else "")
            + f" · {art}"
            + (f" by {req.state}" if req.state else "")
        )
    for item in doc["timeline"]:
        c.print(f"{item['t_hours']:+7.1f} h  {item['event']}")
    dec = doc["decision"]
    c.print("")
    c.print(
        f"[bold]Votes on the last proposal ({dec['level']})[/bold] — score = Σ weight × value; top reasons:"
    )
    for v in dec["votes"]:
        top = " · ".join(
            f"{r['factor'].replace('_', ' ')} {r['contribution']:+.2f}" for r in v["reasons"][:4]
        )
        sent = next((f["personnel"] for f in doc["forces"] if f["iso3"] == v["iso3"]), 0)
        offer = f"  sends {sent:,}" if sent else ""
        c.print(f"  {v['iso3']}  {_stance(v['stance']):<28} {top}{offer}")
    if doc["forces"]:
        c.print(
            "Forces  "
            + " · ".join(f"{f['iso3']} {f['personnel']:,}" for f in doc["forces"])
            + f"  ({doc['force']}; {sum(f['personnel'] for f in doc['forces']):,} personnel, "
            f"{sum(f['vehicles'] for f in doc['forces']):,} vehicles)"
        )
    probs, ci = doc["probabilities"], doc["ci95"]
    odds = " · ".join(
        f"{lv} {probs[lv]:.2f} [{ci[lv][0]:.2f}–{ci[lv][1]:.2f}]"
        for lv in reversed(list(probs))
        if probs[lv] > 0
    )
    c.print(f"Odds over {doc['trials']:,} trials (seed {doc['seed']})   {odds}")
    if dec["level"] != doc["level"]:
        c.print(
            f"[dim]The central run (no noise) ends at {dec['level']}; across the trials the most likely response "
            f"is {doc['level']}.[/dim]"
        )
    t = doc["timing_over_trials"]
    if t.get("hours_to_decision"):
        msg = f"Timing (median over trials)   decision {t['hours_to_decision']['p50']:.1f} h"
        if t.get("first_units_hours"):
            msg += f" · first units {t['first_units_hours']['p50']:.1f} h · all in {t['all_in_hours']['p50']:.1f} h"
        src = doc.get("timing_source")
        c.print(
            msg + ("  (from the airlift plan)" if src == "airlift plan" else "  (provisional timing model)")
        )
    rec = doc.get("record")
    if rec:
        marks = [
            f"level {rec['level']} {'✓' if rec['level'] == doc['level'] else '✗ (model: ' + doc['level'] + ')'}"
        ]
        h = dec["hours_after_request"]
        if rec.get("hours_to_decision") is not None and h is not None:
            marks.append(f"decision {h:.1f} h vs recorded ~{rec['hours_to_decision']:.0f} h")
        if rec.get("hours_to_first_units") is not None and doc["first_units_hours"] is not None:
            marks.append(
                f"first units {doc['first_units_hours']:.1f} h vs ~{rec['hours_to_first_units']:.0f} h"
            )
        if rec.get("personnel") and doc["forces"]:
            marks.append(
                f"{sum(f['personnel'] for f in doc['forces']):,} personnel vs {rec['personnel']:,.0f}"
            )
        c.print("Record  " + " · ".join(marks))
    c.print(
        "[dim]Weights marked 'assumed' have no source; see policy.yaml. Explanation from the central run "
        "(mean weights, no noise).[/dim]"
    )


def backtest(
    trials: TrialsOpt = 500,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: Annotated[
        str | None,
        typer.Option(
            "--alliance",
            help="Which bundled alliance dataset to use (default csto); with --loo: all (default), csto or nato.",
        ),
    ] = None,
    loo: Annotated[
        bool,
        typer.Option(
            "--loo",
            help="Leave one out: refit the model without each episode in turn, predict it, and score it beside "
            "three baselines (several minutes).",
        ),
    ] = False,
    steps: Annotated[int, typer.Option("--steps", help="With --loo: sampler steps per fold.", min=50)] = 2500,
    workers: WorkersOpt = None,
) -> None:
    """Every episode in the data, predicted from its features alone, against the record."""
    from csto.model import load_dataset
    from csto.sim.backtest import run_backtest

    if loo:
        from csto.commands.calibration import loo as run_loo

        run_loo(alliance or "all", seed, steps, workers, json_out)
        return
    alliance = alliance or "csto"
    result = run_backtest(load_dataset(alliance, data_dir=data), trials=trials, seed=seed)
    if json_out:
        print_json(result.to_dict())
        return
    from rich.table import Table

    t = Table(
        title=f"Backtest: {result.matches}/{len(result.rows)} episodes ({trials} trials, seed {seed})",
        title_justify="left",
    )
    for col in ("Episode", "Recorded", "Predicted", "P(recorded) [95% CI]", "Odds", ""):
        t.add_column(col)
    for row in result.rows:
        d = row.to_dict()
        if d["probabilities"] is None:
            t.add_row(row.episode, row.recorded, "—", "—", "no scenario", "[red]✗[/red]")
            continue
        lo, hi = d["ci95"][row.recorded]
        odds = " ".join(f"{k[:4]} {v:.2f}" for k, v in d["probabilities"].items() if v > 0)
        t.add_row(
            row.episode,
            row.recorded,
            row.predicted or "—",
            f"{d['p_recorded']:.2f} [{lo:.2f}–{hi:.2f}]",
            odds,
            "[green]✓[/green]" if row.match else "[red]✗[/red]",
        )
    console().print(t)


def scenarios(json_out: JsonOpt = False, data: DataOpt = None, alliance: AllianceOpt = "csto") -> None:
    """The bundled scenarios: the historical episodes and the hypotheticals."""
    from csto.model import load_dataset
    from csto.sim.catalog import bundled

    items = bundled(load_dataset(alliance, data_dir=data))
    if json_out:
        print_json({"scenarios": [s.model_dump(mode="json") for s in items]})
        return
    from rich.table import Table

    t = Table(title=f"{len(items)} scenarios", title_justify="left")
    for col in ("Id", "Date", "Kind", "Request", "Episode / hypothetical"):
        t.add_column(col)
    for s in items:
        req = f"{s.request.state or '—'} {s.request.article}"
        t.add_row(
            s.id,
            s.start.date().isoformat(),
            s.kind,
            req,
            "hypothetical" if s.hypothetical else (s.episode or ""),
        )
    console().print(t)
