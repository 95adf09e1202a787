"""``csto plan airlift SCENARIO``: the airlift plan for a scenario's tasking, its bound, and a plot.

The tasking is the crisis run's central decision for the scenario, or the ``--task STATE=N`` given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, DataOpt, JsonOpt, console, print_json
from csto.errors import InputError

app = typer.Typer(help="Plan how tasked forces get there.", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="plan")


def _record(lg: Any, episode: str | None) -> dict[str, Any] | None:
    """The recorded lift of the scenario's episode, if logistics.yaml has one."""
    if lg.expected is None or episode is None:
        return None
    rec = next((r for r in lg.expected.records if r.episode == episode), None)
    if rec is None:
        return None
    return {
        "episode": rec.episode,
        "counted_from": "the Council's decision",
        **{k: getattr(rec, k).model_dump() for k in ("first_units_hours", "all_in_hours", "flights")},
    }


def _parse_tasks(tasks: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tasks:
        state, _, n = t.partition("=")
        if not state or not n.strip().isdigit():
            raise InputError(f"bad --task '{t}'", field="--task", expected="STATE=PERSONNEL, e.g. RUS=1500")
        out[state.strip().upper()] = int(n)
    return out


@app.command("airlift")
def airlift(
    scenario: Annotated[str, typer.Argument(help="A bundled scenario id or a scenario file.")],
    task: Annotated[list[str] | None, typer.Option("--task", help="STATE=N personnel (repeatable).")] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a Gantt chart and on-ground curve (PNG).")
    ] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """Plan the airlift of the scenario's tasked forces: sorties, makespan, lower bound, troops on the ground."""
    from csto.logistics import expected_for, load_logistics, loads_for, plan_airlift
    from csto.model import load_dataset
    from csto.policy import load_policy, nominal_draw
    from csto.sim.catalog import find
    from csto.sim.runner import run_trial

    ds = load_dataset(alliance, data_dir=data)
    sc = find(ds, scenario)
    lg = load_logistics(ds)
    if sc.destination_airfield is None:
        raise InputError(
            f"scenario '{sc.id}' names no destination_airfield",
            field="destination_airfield",
            expected="an airfield id from airfields.yaml",
        )
    if task:
        contributions, force = _parse_tasks(task), None
    else:
        central = run_trial(ds, load_policy(ds), sc, nominal_draw(load_policy(ds)))
        if not central.forces:
            raise InputError(
                f"the crisis run for '{sc.id}' tasks no forces (its decision is {central.level})",
                field="SCENARIO",
                expected="a scenario that ends in a deployment, or --task STATE=N",
            )
        contributions, force = central.forces, central.force
    loads = loads_for(lg, contributions, sc.destination_airfield, force=force)
    plan = plan_airlift(ds, lg, loads)
    expected = expected_for(ds, lg, loads)
    doc: dict[str, Any] = {
        "scenario": sc.id,
        "destination": sc.destination_airfield,
        "tasked": contributions,
        **plan.to_dict(),
        "expected": None if expected is None else expected.to_dict(),
        "record": _record(lg, sc.episode),
    }
    if plot is not None:
        from csto.report.airlift import plot_plan

        doc["plot"] = str(plot_plan(doc, plot, sc.title))
    if json_out:
        print_json(doc)
        return
    c = console()
    c.print(f"[bold]Airlift for {sc.title}[/bold] → {sc.destination_airfield} ({plan.method})")
    c.print("Tasked: " + " · ".join(f"{k} {v:,}" for k, v in contributions.items()))
    c.print(
        f"{len(plan.sorties)} sorties by {doc['aircraft_used']} aircraft; first units {doc['first_units_hours']} h, "
        f"all in {doc['makespan_hours']} h after the order; lower bound {doc['lower_bound_hours']} h "
        f"(gap {doc['gap'] * 100:.1f} %)"
    )
    c.print("Bound parts: " + ", ".join(f"{k} {v} h" for k, v in doc["bound_parts"].items()))
    ex, rec = doc["expected"], doc["record"]
    if ex is not None:
        sp = ex["spread"]["all_in_hours"]
        c.print(
            f"Expected (median of {ex['draws']} draws): first units {ex['first_units_hours']} h, all in "
            f"{ex['all_in_hours']} h (10-90 %: {sp['p10']}-{sp['p90']} h), {ex['flights']} flights "
            f"({ex['lift_sorties']} lift, {ex['sustainment_flights']} sustainment)"
        )
    if rec is not None:
        c.print(
            f"Record ({rec['episode']}): first units {rec['first_units_hours']['low']:g}-"
            f"{rec['first_units_hours']['high']:g} h, all in {rec['all_in_hours']['low']:g}-"
            f"{rec['all_in_hours']['high']:g} h (central {rec['all_in_hours']['mode']:g}), "
            f"{rec['flights']['low']:g}-{rec['flights']['high']:g} flights (hours from the Council's decision)"
        )
    for r in plan.road_moves:
        c.print(
            f"By road (plan): {r['unit']} {r['origin']} → {r['dest']} ({r['km']} km), arrives {r['arrive_h']} h"
        )
    if plot is not None:
        c.print(f"Plot: {doc['plot']}")
