"""Commands that show the sourced data: ``info``, ``members``, ``treaty``, ``episodes``, ``sources``.

They load the alliance as it stood on a date and render it as Rich tables or JSON. No domain
logic lives here: counting, dating and citing are done by ``csto.model``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, AtOpt, DataOpt, JsonOpt, console, print_json
from csto.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("info")(info)
    app.command("members")(members)
    app.command("treaty")(treaty)
    app.command("episodes")(episodes)
    app.command("sources")(sources)


def _load(alliance: str, at: str | None, data: Path | None) -> Any:
    from csto.model import load

    return load(alliance, at, data_dir=data)


def _q(q: Any) -> dict[str, Any] | None:
    if q is None:
        return None
    out: dict[str, Any] = {"value": q.value, "year": q.year, "unit": q.unit, "source": list(q.source)}
    if q.low is not None:
        out["low"] = q.low
    if q.high is not None:
        out["high"] = q.high
    if q.confidence:
        out["confidence"] = q.confidence
    return out


def _member_json(m: Any, *, full: bool) -> dict[str, Any]:
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
    if full:
        out["capital"] = {"name": s.capital.name, "lat": s.capital.lat, "lon": s.capital.lon}
        out["population"] = _q(s.population)
        out["gdp_usd"] = _q(s.gdp_usd)
        out["military_personnel"] = _q(s.military_personnel)
        out["military_spending"] = _q(s.military_spending)
        usd = s.spending_usd()
        out["military_spending_usd_derived"] = round(usd) if usd is not None else None
    return out


def info(
    at: AtOpt = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """The alliance on a date: members with status, population and military; totals; bodies; forces."""
    a = _load(alliance, at, data)
    chair = a.chair("csc")
    totals = {
        "members": len(a.members),
        "population": sum(m.state.population.value for m in a.members),
        "military_personnel": sum(m.state.military_personnel.value for m in a.members),
        "military_spending_usd_derived": round(sum((m.state.spending_usd() or 0.0) for m in a.members)),
        "note": "Totals use each state's latest sourced figures (their years are given per member), not the "
        "figures of the date asked for.",
    }
    doc = {
        "alliance": a.name,
        "full_name": a.dataset.info.full_name,
        "at": a.at.isoformat(),
        "chair": chair,
        "members": [_member_json(m, full=True) for m in a.members],
        "signatories": [_member_json(m, full=False) for m in a.signatories],
        "observers": [_member_json(m, full=False) for m in a.observers],
        "former": [_member_json(m, full=False) for m in a.former],
        "totals": totals,
        "bodies": [
            {
                "id": b.id,
                "name": b.name,
                "short": b.short,
                "decision_rule": b.decision_rule.rule,
                "stand_aside": b.decision_rule.stand_aside,
                "chair": b.chair_in(a.at.year),
                "officers": [
                    {"role": o.role, "name": o.name, "state": o.state, "acting": o.acting}
                    for o in b.officers_on(a.at)
                ],
                "source": list(b.source),
            }
            for b in a.bodies
        ],
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
        "provisions_in_force": len(a.provisions),
    }
    if json_out:
        print_json(doc)
        return
    _render_info(a, doc)


def _fmt(q: Any) -> str:
    return q.display() if q is not None else "—"


def _render_info(a: Any, doc: dict[str, Any]) -> None:
    from rich.table import Table

    c = console()
    chair = f" ({doc['chair']} chairs the Council)" if doc["chair"] else ""
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
            _fmt(s.population),
            _fmt(s.military_personnel),
            _fmt(s.military_spending),
            m.membership.confidence or "",
        )
    tot = doc["totals"]
    t.add_row(
        "[bold]Total[/bold]",
        "",
        "",
        f"{tot['population']:,.0f}",
        f"{tot['military_personnel']:,.0f}",
        f"≈ ${tot['military_spending_usd_derived'] / 1e9:,.1f} bn (derived)",
        "",
    )
    c.print(t)
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
        who = (
            bd["chair"] or ", ".join(f"{o['role']}: {o['name']} ({o['state']})" for o in bd["officers"]) or ""
        )
        bt.add_row(f"{b.name} ({b.short})", rule, who)
    c.print(bt)
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
    if written:
        c.print(f"wrote {written}")


def _split_article(article: str | None, instrument: str | None) -> tuple[str | None, str | None]:
    if article and ":" in article:
        inst, _, num = article.partition(":")
        return inst, num
    if article:
        up = article.strip()
        for prefix in ("art.", "art", "article"):
            if up.lower().startswith(prefix):
                up = up[len(prefix) :].strip()
        return instrument, up
    return instrument, None


def treaty(
    article: Annotated[
        str | None,
        typer.Argument(help="Article number (CST by default), or INSTRUMENT:NUMBER, e.g. charter:12."),
    ] = None,
    instrument: Annotated[
        str | None, typer.Option("--instrument", "-i", help="cst, charter, or another id.")
    ] = None,
    rules: Annotated[
        bool, typer.Option("--rules", help="List every rule of the engine with its article.")
    ] = False,
    at: AtOpt = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """The provisions in force on a date, or one article with the amendments that changed it."""
    if rules:
        from csto.commands.rule_table import show_rules

        show_rules(json_out=json_out)
        return
    a = _load(alliance, at, data)
    inst_id, number = _split_article(article, instrument)
    ds = a.dataset
    if number is None:
        provs = [p for p in a.provisions if inst_id is None or p.instrument == _inst(ds, inst_id).id]
        if json_out:
            print_json(
                {
                    "alliance": a.name,
                    "at": a.at.isoformat(),
                    "provisions": [
                        {
                            "instrument": p.instrument,
                            "article": p.number,
                            "title": p.title,
                            "citation": p.citation,
                            "summary": p.version.summary,
                            "codes": list(p.version.codes),
                            "from": p.version.start.isoformat(),
                            "source": list(p.version.source),
                        }
                        for p in provs
                    ],
                    "atop": [c.model_dump(mode="json") for c in ds.atop.codes],
                }
            )
            return
        from rich.table import Table

        t = Table(title=f"Provisions in force on {a.at.isoformat()}", title_justify="left", show_lines=False)
        for col in ("Citation", "Title", "Summary", "Codes"):
            t.add_column(col, overflow="fold")
        for p in provs:
            t.add_row(p.citation, p.title, p.version.summary, ", ".join(p.version.codes))
        console().print(t)
        return
    inst = _inst(ds, inst_id or "cst")
    art = inst.article(number)
    if art is None:
        raise InputError(
            f"{inst.short} has no article '{number}' in this dataset",
            field="ARTICLE",
            expected="one of: " + ", ".join(x.number for x in inst.articles),
        )
    current = art.version_at(a.at) if inst.in_force <= a.at else None

    def vjson(v: Any) -> dict[str, Any]:
        am = inst.amendment(v.amended_by) if v.amended_by else None
        return {
            "from": v.start.isoformat(),
            "to": v.end.isoformat() if v.end else None,
            "citation": inst.citation(art.number, v),
            "amended_by": v.amended_by,
            "amendment": am.title if am else None,
            "summary": v.summary,
            "codes": list(v.codes),
            "params": v.params,
            "source": list(v.source),
            "confidence": v.confidence,
            "note": v.note,
        }

    amendments = [
        {
            "id": am.id,
            "title": am.title,
            "signed": am.signed.isoformat(),
            "in_force": am.in_force.isoformat() if am.in_force else None,
        }
        for am in inst.amendments
        if art.number in am.articles
    ]
    doc = {
        "alliance": a.name,
        "at": a.at.isoformat(),
        "instrument": inst.id,
        "article": art.number,
        "title": art.title,
        "in_force": vjson(current) if current else None,
        "history": [vjson(v) for v in art.versions],
        "amendments": amendments,
    }
    if json_out:
        print_json(doc)
        return
    c = console()
    if current is None:
        c.print(
            f"[bold]{inst.short} Art. {art.number} — {art.title}[/bold]: not in force on {a.at.isoformat()}"
        )
    else:
        c.print(
            f"[bold]{inst.citation(art.number, current)} — {art.title}[/bold], in force on {a.at.isoformat()}"
        )
        c.print(f"  {current.summary}")
        c.print(
            f"  codes: {', '.join(current.codes) or '—'}   sources: {', '.join(current.source)}"
            + (f"   confidence: {current.confidence}" if current.confidence else "")
        )
    if len(art.versions) > 1 or amendments:
        c.print("History:")
        for v in art.versions:
            until = v.end.isoformat() if v.end else "today"
            by = f" (amended by {v.amended_by})" if v.amended_by else ""
            c.print(f"  {v.start.isoformat()} → {until}{by}: {v.summary}")


def _inst(ds: Any, inst_id: str) -> Any:
    inst = ds.instrument(inst_id)
    if inst is None:
        raise InputError(
            f"unknown instrument '{inst_id}'",
            field="--instrument",
            expected="one of: " + ", ".join(i.id for i in ds.instruments),
        )
    return inst


def episodes(
    action: Annotated[str | None, typer.Argument(help="'show' to see one episode.")] = None,
    episode_id: Annotated[str | None, typer.Argument(help="The episode id (see the list).")] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """Historical crises and the CSTO's response: ``csto episodes`` or ``csto episodes show ID``."""
    from csto.model import load_dataset

    ds = load_dataset(alliance, data_dir=data)
    if action is None:
        if json_out:
            print_json(
                {
                    "episodes": [
                        {
                            "id": e.id,
                            "title": e.title,
                            "start": e.start.isoformat(),
                            "kind": e.kind,
                            "article": e.request.article,
                            "response": e.response.level,
                        }
                        for e in ds.episodes
                    ]
                }
            )
            return
        from rich.table import Table

        t = Table(title="Episodes", title_justify="left")
        for col in ("Id", "Dates", "Kind", "Request", "Response"):
            t.add_column(col)
        for e in ds.episodes:
            req = f"{e.request.state or '—'} → {e.request.addressed_to} ({e.request.article})"
            t.add_row(e.id, f"{e.start} – {e.end}", e.kind, req, e.response.level)
        console().print(t)
        return
    if action != "show" or episode_id is None:
        raise InputError(
            f"unknown episodes action '{action}'", field="ACTION", expected="'show ID' or nothing"
        )
    found = ds.episode(episode_id)
    if found is None:
        raise InputError(
            f"unknown episode '{episode_id}'",
            field="ID",
            expected="one of: " + ", ".join(x.id for x in ds.episodes),
        )
    e = found
    if json_out:
        print_json(e.model_dump(mode="json", by_alias=True))
        return
    c = console()
    c.print(
        f"[bold]{e.title}[/bold] ({e.start} – {e.end}) · {e.kind} · {e.location.region}, {e.location.state}"
    )
    r = e.request
    c.print(
        f"Request: {r.by or r.state or 'none'} → {r.addressed_to}, article {r.article}"
        + (f", {r.date}" if r.date else "")
        + (f" — framed as: {r.framing}" if r.framing else "")
    )
    c.print(f"Response: [bold]{e.response.level}[/bold] — {e.response.summary}")
    if e.forces:
        c.print(
            "Forces: "
            + "; ".join(
                f"{f.state} {f.personnel if f.personnel is not None else '?'}"
                + (f" ({f.vehicles} vehicles)" if f.vehicles else "")
                for f in e.forces
            )
        )
    for line in e.timeline:
        c.print(
            f"  {line.date}{' ' + line.time if line.time else ''}  {line.event}  [dim]({', '.join(line.source)})[/dim]"
        )
    if e.consequences:
        c.print(f"Consequences: {e.consequences}")


def sources(
    corrections: Annotated[
        bool, typer.Option("--corrections", help="Show common errors and the record.")
    ] = False,
    key: Annotated[str | None, typer.Argument(help="Show one source by key.")] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """The sources behind every fact, or with --corrections the common errors the record contradicts."""
    from csto.model import load_dataset

    ds = load_dataset(alliance, data_dir=data)
    if corrections:
        if json_out:
            print_json({"corrections": [c.model_dump(mode="json") for c in ds.corrections]})
            return
        c = console()
        for corr in ds.corrections:
            c.print(f"[bold]✗ {corr.claim}[/bold]  ({corr.verdict.replace('_', ' ')})")
            c.print(f"  ✓ {corr.correction}")
            c.print(f"  [dim]sources: {', '.join(corr.source)}[/dim]")
        return
    items = list(ds.sources.values())
    if key is not None:
        if key not in ds.sources:
            raise InputError(
                f"unknown source '{key}'", field="KEY", expected="a key listed by 'csto sources'"
            )
        items = [ds.sources[key]]
    if json_out:
        print_json({"sources": [s.model_dump(mode="json") for s in items]})
        return
    from rich.table import Table

    t = Table(title=f"{len(items)} sources", title_justify="left")
    for col in ("Key", "Title", "Publisher", "Date", "URL"):
        t.add_column(col, overflow="fold")
    for s in items:
        t.add_row(s.key, s.title, s.publisher, s.date, s.url or "")
    console().print(t)
