"""``csto treaty``: the provisions in force on a date, one article with its amendments, or (``--rules``) the
engine's rules with their articles and tests (``rule_table``, from the shipped ``rule_coverage.json``).

It renders what ``csto.model`` dates and cites; it must not re-state or check a treaty rule itself.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, AtOpt, DataOpt, JsonOpt, console, print_json
from csto.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("treaty")(treaty)


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
    from csto.model import load

    a = load(alliance, at, data_dir=data)
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
            "conflicts": [c.model_dump(mode="json") for c in v.conflicts],
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
        "rules": _rules_of(inst.id, art.number),
        "instrument_in_force": {
            "date": inst.in_force.isoformat(),
            "placeholder": inst.in_force_placeholder,
            "confidence": inst.in_force_confidence or inst.confidence,
        },
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
        for cf in current.conflicts:
            c.print(f"  conflict: {cf.value} ({', '.join(cf.source)})")
    if doc["instrument_in_force"]["placeholder"]:
        c.print(
            f"  {inst.short} in force from {inst.in_force.isoformat()} ~ (a stand-in date: the real entry into "
            "force was not found)"
        )
    for r in doc["rules"]:
        c.print(f"  rule {r['rule']}{' (uncertain)' if r['uncertain'] else ''}: {r['summary']}")
    if len(art.versions) > 1 or amendments:
        c.print("History:")
        for v in art.versions:
            until = v.end.isoformat() if v.end else "today"
            by = f" (amended by {v.amended_by})" if v.amended_by else ""
            c.print(f"  {v.start.isoformat()} → {until}{by}: {v.summary}")


def _rules_of(instrument: str, number: str) -> list[dict[str, Any]]:
    """The engine's rules that check this article, with their basis."""
    from csto.rules.core import RULES

    return [
        {"rule": r.id, "summary": r.summary, "uncertain": r.uncertain, "basis": r.basis}
        for r in RULES.values()
        if (r.instrument, r.article) == (instrument, number)
    ]


def _inst(ds: Any, inst_id: str) -> Any:
    inst = ds.instrument(inst_id)
    if inst is None:
        raise InputError(
            f"unknown instrument '{inst_id}'",
            field="--instrument",
            expected="one of: " + ", ".join(i.id for i in ds.instruments),
        )
    return inst
