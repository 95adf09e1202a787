"""``csto whatif``: the alliance without some members or with others — figures, cohesion and odds before and after."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, AtOpt, DataOpt, JsonOpt, console, print_json


def register(app: typer.Typer) -> None:
    app.command("whatif")(whatif)


def whatif(
    without: Annotated[
        list[str] | None, typer.Option("--without", help="ISO3 of a member to remove (repeatable).")
    ] = None,
    with_: Annotated[
        list[str] | None, typer.Option("--with", help="ISO3 of a state to add (repeatable).")
    ] = None,
    at: AtOpt = None,
    trials: Annotated[int, typer.Option("--trials", min=1, help="Monte Carlo trials per scenario.")] = 2000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """What if a member left, or a state joined? Members, forces, spending shares, cohesion and odds."""
    from csto.errors import InputError
    from csto.model import load_dataset, parse_date
    from csto.sim.whatif import whatif as run

    out = [x.strip().upper() for x in without or []]
    add = [x.strip().upper() for x in with_ or []]
    if not out and not add:
        raise InputError(
            "nothing to change", field="--without/--with", expected="at least one --without or --with"
        )
    ds = load_dataset(alliance, data_dir=data)
    doc = run(ds, without=out, with_=add, at=parse_date(at), trials=trials, seed=seed)
    if json_out:
        print_json(doc)
        return
    from rich.table import Table

    from csto.model.common import MARK_LEGEND

    b, a = doc["before"], doc["after"]
    c = console()
    t = Table(
        title=f"What if: {' '.join('−' + x for x in out)} {' '.join('+' + x for x in add)} on {doc['at']}",
        title_justify="left",
    )
    for col in ("", "Before", "After"):
        t.add_column(col)
    t.add_row("Members", " ".join(b["members"]), " ".join(a["members"]))
    t.add_row("Population", *(_fig(x, "population", f"{x['population']:,.0f}") for x in (b, a)))
    t.add_row("GDP", *(_fig(x, "gdp_usd", f"${x['gdp_usd'] / 1e9:,.0f} bn") for x in (b, a)))
    t.add_row(
        "Spending shares",
        ", ".join(f"{k} {v:.0%}" for k, v in b["spending_shares"].items()),
        ", ".join(f"{k} {v:.0%}" for k, v in a["spending_shares"].items()),
    )
    for fb, fa in zip(b["forces"], a["forces"], strict=True):
        t.add_row(
            fb["name"],
            f"{fb['strength'] or '—'} ({' '.join(fb['contributors'])})",
            f"{fa['strength'] or '—'} ({' '.join(fa['contributors'])})",
        )
    t.add_row("Cohesion", f"{b['cohesion']:.3f}", f"{a['cohesion']:.3f}")
    c.print(t)
    o = Table(title="Most likely response on each bundled scenario", title_justify="left")
    for col in ("Scenario", "Before", "After"):
        o.add_column(col)
    for sid, before in doc["odds_before"].items():
        after = doc["odds_after"][sid]
        mark = "" if before["level"] == after["level"] else " ←"
        o.add_row(
            sid,
            f"{before['level']} {before['probabilities'][before['level']]:.2f}",
            f"{after['level']} {after['probabilities'][after['level']]:.2f}{mark}",
        )
    c.print(o)
    c.print(
        f"[dim]{doc['cohesion_definition']} {doc['spending_note']} {doc['odds_note']} {MARK_LEGEND}[/dim]"
    )


def _fig(side: dict[str, Any], key: str, text: str) -> str:
    """A total with the years of its figures, marked by its weakest figure's confidence."""
    from csto.model.common import marked
    from csto.model.figures import span_text

    f = side["figures"][key]
    return marked(f"{text} ({span_text(f)})", f["confidence"])
