"""``csto info`` and ``csto members``: the alliance and its members on a date, or the membership timeline.

They load the alliance as it stood on a date and render it as Rich tables or JSON. No domain logic lives
here: counting, dating and citing are done by ``csto.model``, the timeline by ``csto.report.membership``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, AtOpt, DataOpt, JsonOpt, console, print_json


def register(app: typer.Typer) -> None:
    app.command("info")(info)
    app.command("members")(members)


def _q(q: Any) -> dict[str, Any] | None:
    if q is None:
        return None
    out: dict[str, Any] = {"value": q.value, "year": q.year, "unit": q.unit, "source": list(q.source)}
    if q.low is not None:
        out["low"] = q.low
    if q.high is not None:
        out["high"] = q.high
    out["confidence"] = q.confidence or "high"
    return out


def _member_json(m: Any, *, full: bool, day: dt.date | None = None) -> dict[str, Any]:
    s = m.state
    out: dict[str, Any] = {
        "iso3": s.iso3,
        "name": s.name,
        "status": m.status,
        "since": m.membership.start.isoformat(),
        "basis": m.membership.basis,
        "source": list(m.membership.source),
    }
    if m.membership.confidence:
        out["confidence"] = m.membership.confidence
    if full and day is not None:
        from csto.model.figures import figure_doc
        from csto.model.states import FIGURES

        out["capital"] = {"name": s.capital.name, "lat": s.capital.lat, "lon": s.capital.lon}
        for name in FIGURES:
            q = s.figure(name, day)
            out[name] = figure_doc(q, "" if q else getattr(s, name).absent(day))
        usd = s.spending_usd(day)
        out["military_spending_usd_derived"] = figure_doc(usd, "" if usd else s.spending_absent(day))
    return out


def info(
    at: AtOpt = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """The alliance on a date: members with status, population and military; totals; bodies; forces."""
    from csto.commands.offices import body_doc, chair_doc, practices_doc
    from csto.model import load

    a = load(alliance, at, data_dir=data)
    chair_period = chair_doc(a)
    from csto.model.figures import total_doc

    totals = {
        "members": len(a.members),
        "population": total_doc([m.state.population.at(a.at) for m in a.members]),
        "military_personnel": total_doc([m.state.military_personnel.at(a.at) for m in a.members]),
        "military_spending_usd_derived": total_doc([m.state.spending_usd(a.at) for m in a.members]),
        "note": "Totals add each member's figure of the date's year or the latest earlier one (never a later "
        "one); 'years' lists the years added, 'missing' the members with no such figure.",
    }
    doc = {
        "alliance": a.name,
        "full_name": a.dataset.info.full_name,
        "at": a.at.isoformat(),
        "chair": chair_period["state"],
        "chair_period": chair_period,
        "members": [_member_json(m, full=True, day=a.at) for m in a.members],
        "signatories": [_member_json(m, full=False) for m in a.signatories],
        "observers": [_member_json(m, full=False) for m in a.observers],
        "former": [_member_json(m, full=False) for m in a.former],
        "totals": totals,
        "bodies": [body_doc(a, b) for b in a.bodies],
        "forces": [
            {
                "id": f.id,
                "name": f.name,
                "short": f.short,
                "kind": f.kind,
                "status": f.status,
                "strength": _q(f.registered_strength),
                "members": list(f.members),
                "source": list(f.source),
                **({"confidence": f.confidence} if f.confidence else {}),
            }
            for f in a.forces
        ],
        "bases": [
            {"id": b.id, "name": b.name, "operator": b.operator, "host": b.host, "personnel": _q(b.personnel)}
            for b in a.bases
        ],
        "practices": practices_doc(a),
        "provisions_in_force": len(a.provisions),
    }
    if json_out:
        print_json(doc)
        return
    _render_info(a, doc)


def _fmt(q: Any) -> str:
    from csto.model.common import marked

    return marked(q.display(), q.confidence) if q is not None else "—"


def _total(t: dict[str, Any], money: bool = False) -> str:
    from csto.model.common import marked
    from csto.model.figures import span_text

    if not t["years"]:
        return "—"
    v = f"≈ ${t['value'] / 1e9:,.1f} bn (derived)" if money else f"{t['value']:,.0f}"
    return marked(f"{v} ({span_text(t)})", t["confidence"])


def _render_info(a: Any, doc: dict[str, Any]) -> None:
    from rich.table import Table

    from csto.commands.offices import chair_text, holders_text, practice_lines

    c = console()
    chair = f" ({chair_text(doc['chair_period'])})"
    c.print(
        f"[bold]{a.dataset.info.full_name} ({a.name}) on {a.at.isoformat()}[/bold]: "
        f"{len(a.members)} members{chair} — sources: csto sources"
    )
    t = Table(title="Members", title_justify="left")
    for col in ("State", "Status", "Since", "Population", "Active military", "Military spending", "Conf."):
        t.add_column(col)
    for m in a.members:
        s = m.state
        t.add_row(
            f"{s.iso3} {s.name}",
            m.status,
            m.membership.start.isoformat(),
            _fmt(s.population.at(a.at)),
            _fmt(s.military_personnel.at(a.at)),
            _fmt(s.military_spending.at(a.at)),
            m.membership.confidence or "",
        )
    tot = doc["totals"]
    t.add_row(
        "[bold]Total[/bold]",
        "",
        "",
        _total(tot["population"]),
        _total(tot["military_personnel"]),
        _total(tot["military_spending_usd_derived"], money=True),
        "",
    )
    c.print(t)
    from csto.model.common import MARK_LEGEND

    c.print(
        f"[dim]Figures of {a.at.year} or the latest earlier year (year in brackets); — none by then. {MARK_LEGEND}[/dim]"
    )
    for label, group in (
        ("Signatories", a.signatories),
        ("Observers/partners", a.observers),
        ("Former", a.former),
    ):
        if group:
            c.print(
                f"{label}: "
                + ", ".join(
                    f"{m.state.name} ({m.status} since {m.membership.start.isoformat()})" for m in group
                )
            )
    bt = Table(title="Bodies", title_justify="left")
    for col in ("Body", "Decides by", "Chair / office-holders"):
        bt.add_column(col)
    for b, bd in zip(a.bodies, doc["bodies"], strict=True):
        rule = b.decision_rule.rule + (" (stand-aside allowed)" if b.decision_rule.stand_aside else "")
        bt.add_row(f"{b.name} ({b.short})", rule, holders_text(bd))
    c.print(bt)
    for line in practice_lines(doc["practices"]):
        c.print(line)
    if a.forces:
        ft = Table(title="Forces", title_justify="left")
        for col in ("Force", "Status", "Registered strength", "States", "Conf."):
            ft.add_column(col)
        for f in a.forces:
            ft.add_row(
                f"{f.name} ({f.short})",
                f.status,
                _fmt(f.registered_strength),
                " ".join(f.members),
                f.confidence or "",
            )
        c.print(ft)
    if a.bases:
        c.print("Russian bases: " + "; ".join(f"{b.name} ({b.host}, {_fmt(b.personnel)})" for b in a.bases))
    c.print(
        f"{len(a.provisions)} treaty and charter provisions in force (csto treaty --at {a.at.isoformat()}). "
        "Figures are each state's latest sourced values; years in brackets."
    )


def members(
    history: Annotated[bool, typer.Option("--history", help="Show the membership timeline.")] = False,
    plot: Annotated[Path | None, typer.Option("--plot", help="Also write the timeline as a PNG.")] = None,
    at: AtOpt = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """Members on a date, or with --history the whole membership timeline (terminal Gantt, PNG)."""
    from csto.model import load_dataset, parse_date

    ds = load_dataset(alliance, data_dir=data)
    day = parse_date(at)
    if plot is not None:
        history = True
    if not history:
        from csto.model import view_at

        a = view_at(ds, day)
        if json_out:
            print_json(
                {
                    "alliance": a.name,
                    "at": a.at.isoformat(),
                    "members": [_member_json(m, full=False) for m in a.members],
                }
            )
        else:
            for m in a.members:
                console().print(
                    f"{m.state.iso3}  {m.state.name:<12} {m.status:<10} since {m.membership.start}"
                )
        return
    from csto.commands.offices import coding_notes
    from csto.report.membership import membership_rows, render_gantt_text

    rows = membership_rows(ds, until=max(day, dt.date.today()))
    written = None
    if plot is not None:
        from csto.report.membership import plot_gantt

        written = plot_gantt(ds, rows, plot)
    if json_out:
        print_json({"alliance": ds.info.name, "history": rows, "plot": str(written) if written else None})
        return
    c = console()
    c.print(render_gantt_text(ds, rows, width=max(40, min(100, (c.width or 120) - 18))))
    for line in coding_notes(rows):
        c.print(line)
    if written:
        c.print(f"wrote {written}")
