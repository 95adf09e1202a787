"""``csto compare OTHER``: two alliances side by side on a date, from their coded data.

Renders ``csto.report.compare`` as tables (or JSON, or a PNG of the largest member's shares).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import AtOpt, JsonOpt, console, print_json


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)


def _fmt(v: float | None, money: bool = False) -> str:
    if v is None:
        return "—"
    if money:
        return f"${v / 1e9:,.0f} bn"
    return f"{v:,.0f}"


def compare(
    other: Annotated[str, typer.Argument(help="The alliance to compare with, e.g. nato.")],
    base: Annotated[str, typer.Option("--base", help="The alliance on the left.")] = "csto",
    at: AtOpt = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the largest-member shares as a PNG.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Side by side: provisions (ATOP-style codes), decision rules, members and their weight, forces, invocations."""
    from csto.errors import InputError
    from csto.model import load, parse_date
    from csto.report.compare import compare as build
    from csto.report.compare import plot_compare

    if other == base:
        raise InputError(
            f"'{other}' compared with itself", field="OTHER", expected="another alliance, e.g. nato"
        )
    day = parse_date(at)
    doc = build(load(base, day), load(other, day))
    if plot is not None:
        doc["plot"] = str(plot_compare(doc, plot))
    if json_out:
        print_json(doc)
        return
    from rich.table import Table

    from csto.model.common import MARK_LEGEND, marked
    from csto.model.figures import span_text

    left, right = (doc["alliances"][k] for k in doc["alliances"])
    c = console()
    t = Table(title=f"{left['name']} and {right['name']} on {doc['at']}", title_justify="left")
    t.add_column("")
    t.add_column(left["name"])
    t.add_column(right["name"])

    def row(label: str, f: Any) -> None:
        t.add_row(label, f(left), f(right))

    row("Founded", lambda p: p["founded"])
    row("Members", lambda p: f"{p['member_count']}: " + " ".join(m["iso3"] for m in p["members"]))
    for key, label, money in (
        ("population", "Population", False),
        ("gdp_usd", "GDP", True),
        ("military_spending_usd_derived", "Military spending (derived)", True),
        ("military_personnel", "Active personnel", False),
    ):
        row(
            label,
            lambda p, key=key, money=money: (
                marked(
                    f"{_fmt(p[key]['total'], money)}; largest {p[key]['largest']} {(p[key]['share'] or 0):.0%}"
                    f" ({span_text(p[key])})",
                    p[key]["confidence"],
                )
                if p[key]["largest"]
                else f"— ({span_text(p[key])})"
            ),
        )
    row(
        "Decision rules",
        lambda p: "; ".join(
            f"{r['name']}: {r['rule']}{' (stand-aside allowed)' if r['stand_aside'] else ''}"
            for r in p["decision_rules"]
        ),
    )
    row("Coded provisions", lambda p: str(p["coded_provision_count"]))
    row("Forces", lambda p: "; ".join(f["name"] for f in p["forces"]) or "—")
    for label, key in (("Invocations (an article invoked)", "invocations"), ("Other crises", "crises")):
        row(
            label,
            lambda p, key=key: (
                "; ".join(f"{e['start'][:4]} {e['title']} → {e['response']}" for e in p[key]) or "—"
            ),
        )
    c.print(t)
    at_t = Table(title="ATOP-style alliance codes", title_justify="left")
    for col in ("Variable", left["name"], right["name"]):
        at_t.add_column(col)
    for v in doc["atop_side_by_side"]:
        a, b = v[left["id"]], v[right["id"]]
        mark = "" if a == b else " ≠"
        at_t.add_row(v["variable"] + mark, str(a if a is not None else "—"), str(b if b is not None else "—"))
    c.print(at_t)
    c.print("Codes both treaties carry: " + ", ".join(doc["shared_codes"]))
    c.print(f"[dim]{left['figures_note']} {MARK_LEGEND}[/dim]")
    if plot is not None:
        c.print(f"Plot: {doc['plot']}")
