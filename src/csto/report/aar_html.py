"""The after-action report as one self-contained, printable HTML page (CSS inline, the troop curve a data URI).

Reads an ``AarRecord`` only; every string in it is untrusted and is escaped here (through ``markup``). It
writes no file and reads no ledger, database or engine.
"""

from __future__ import annotations

from csto.report import aar_text as t
from csto.report.aar_plot import troop_curve_png
from csto.report.aar_record import AarRecord
from csto.report.markup import (
    CSS_BODY,
    CSS_FIGURES,
    CSS_FOOTER,
    CSS_STANCES,
    CSS_TABLES,
    bullets,
    e,
    figure,
    page,
    stance,
    table,
)
from csto.report.text import hours, words

CSS = (
    CSS_BODY
    + """main{max-width:1100px;margin:0 auto;padding:24px 28px 40px;background:white}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 8px;border-bottom:2px solid #1f5f8b;
 padding-bottom:3px}h3{font-size:16px;margin:18px 0 4px}
.sub{color:#555;margin:0 0 14px}
"""
    + CSS_TABLES
    + """table.kv th{width:22%}
tr.dep td{background:#fff4e5}
.dep-mark{display:inline-block;background:#e65100;color:white;font-weight:700;font-size:12px;padding:1px 7px;
 border-radius:9px;white-space:nowrap}
"""
    + CSS_STANCES
    + """.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:700}.muted{color:#666}
ul.r{margin:0;padding-left:16px}
"""
    + CSS_FIGURES
    + CSS_FOOTER
    + """@media print{
 body{background:white;font-size:11pt}main{max-width:none;padding:0}
 h2,h3{break-after:avoid;page-break-after:avoid}
 tr,figure,img{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
 tr.dep td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .dep-mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 @page{margin:15mm}
}
"""
)
DEP = "dep"  # the row class of a departure


def _header(aar: AarRecord) -> str:
    ex = aar.exercise
    vcls = "ok" if ex.verified is True else "bad" if ex.verified is False else "muted"
    end = t.ended(ex)
    rows = [
        ("Exercise", e(ex.id or "—")),
        (
            "Scenario",
            e(ex.scenario_title or "—")
            + (f" <span class=hash>({e(ex.scenario)})</span>" if ex.scenario else ""),
        ),
        ("Alliance", e(ex.alliance.upper() or "—")),
        ("Started", e(t.date(ex.started))),
        ("Ended", e(end) if end is not None else f"<span class=muted>{e(t.NOT_ENDED)}</span>"),
        ("Outcome", f"<b>{e(t.outcome(aar.outcome))}</b>"),
        (
            "Ledger head",
            f"<span class=hash>{e(ex.ledger_head)}</span>"
            if ex.ledger_head
            else "<span class=muted>none</span>",
        ),
        ("Ledger check", f"<span class={vcls}>{e(t.verified(ex.verified))}</span>"),
        ("Checkpoint", e(t.checkpoint(ex))),
    ]
    cells = "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table class=kv><tbody>{cells}</tbody></table>"


def _checkpoint(aar: AarRecord) -> str:
    cp = aar.exercise.checkpoint
    if cp is None:
        return ""
    return (
        f"<h2>Checkpoint</h2>\n<p>{e(t.CHECKPOINT_NOTE)}</p>\n"
        f"<pre class=hash id=checkpoint>{e(cp.file_text())}</pre>"
    )


def _seats(aar: AarRecord) -> str:
    if not aar.seats:
        return f"<p>{e(t.NO_SEATS)}</p>"
    rows = [
        (f"<b>{e(s.state or '—')}</b>", e(s.name or "—"), e(s.holder or "—"), e(s.user or "—"))
        for s in aar.seats
    ]
    return table(["State", "Name", "Held by", "User"], rows)


def _timeline(aar: AarRecord) -> str:
    rows = [
        (e(hours(aar.hours_of(r))), e(t.date(r.at)), e(r.actor or "—"), e(r.kind), e(r.text))
        for r in aar.timeline
    ]
    if not rows:
        return f"<p>{e(t.NO_EVENTS)}</p>"
    return table(["Since start", "At", "Actor", "Event", "What happened"], rows, numeric=(0,))


def _rounds(aar: AarRecord) -> str:
    if not aar.rounds:
        return f"<p>{e(t.NO_ROUNDS)}</p>"
    users = aar.users()
    out = []
    for k, rnd in enumerate(aar.rounds, 1):
        out.append(f"<h3>{e(t.round_title(rnd, k))}</h3>")
        if not rnd.votes:
            out.append(f"<p>{e(t.NO_VOTES)}</p>")
            continue
        out.append(f"<p class=muted>Votes: {e(t.tally(rnd.votes))}.</p>")
        rows = [
            (
                f"<b>{e(v.state or '—')}</b>",
                stance(v.position),
                e(v.reason or "—"),
                e(t.holder(v, users)),
                stance(v.model_position),
                bullets(v.model_reasons),
                f"<span class=dep-mark>⚑ {e(t.DEPARTED)}</span>" if v.departed else "",
            )
            for v in rnd.votes
        ]
        marked = {i: DEP for i, v in enumerate(rnd.votes) if v.departed}
        head = [
            "State",
            "Position",
            "Reason",
            "Seat held by",
            "Model expected",
            "Model's reasons",
            "Departure",
        ]
        out.append(table(head, rows, row_class=marked))
    return "".join(out)


def _departures(aar: AarRecord) -> str:
    deps = aar.departures
    if not deps:
        return f"<p>{e(t.no_departure(aar))}</p>"
    rows = [
        (
            e(d.round if d.round is not None else "—"),
            f"<b>{e(d.state or '—')}</b>",
            stance(d.human),
            stance(d.model),
            e(d.reason or "—"),
            bullets(d.model_reasons),
        )
        for d in deps
    ]
    return f"<p>{e(t.departures_intro(len(deps)))}</p>" + table(
        ["Round", "State", "Human voted", "Model expected", "Human's reason", "Model's reasons"],
        rows,
        numeric=(0,),
    )


def _troops(aar: AarRecord, png: bytes) -> str:
    img = figure(png, t.troop_summary(aar))
    if not aar.troops:
        return img
    rows = [
        (
            e(hours(h)),
            e(t.date(p.at)),
            e(p.state or "—"),
            e(f"{p.arrived:,}"),
            e(f"{n:,}" if n is not None else "—"),
        )
        for p, h, n in aar.troop_rows()
    ]
    return img + table(["Since start", "At", "State", "Arrived", "On the ground"], rows, numeric=(0, 3, 4))


def _refusals(aar: AarRecord) -> str:
    rows = [
        (
            e(hours(aar.since_start(r.at))),
            e(r.actor or "—"),
            e(words(r.action) or "—"),
            f"<b>{e(r.article or '—')}</b>",
            e(r.reason),
        )
        for r in aar.refusals
    ]
    if not rows:
        return f"<p>{e(t.NO_REFUSALS)}</p>"
    return table(["Since start", "Actor", "Action", "Article", "Reason"], rows, numeric=(0,))


def render_html(aar: AarRecord) -> str:
    """The after-action report as one self-contained, printable HTML page (CSS inline, the curve a data URI)."""
    ex = aar.exercise
    sub = " · ".join(
        p for p in ("After-action report", ex.scenario_title or ex.scenario, ex.alliance.upper()) if p
    )
    body = f"""<main>
<h1>{e(ex.name)}</h1>
<p class=sub>{e(sub)}</p>
{_header(aar)}
<h2>Seats</h2>
{_seats(aar)}
<h2>Timeline</h2>
{_timeline(aar)}
<h2>Council rounds</h2>
<p>Each vote with its reason, who held the seat, and what the model expected of that seat with its reasons.
A <span class=dep-mark>⚑ {e(t.DEPARTED)}</span> marks a human vote that differs from the model's.</p>
{_rounds(aar)}
<h2>Where the humans departed from the model</h2>
{_departures(aar)}
<h2>Troops on the ground</h2>
{_troops(aar, troop_curve_png(aar))}
<h2>What was refused</h2>
{_refusals(aar)}
{_checkpoint(aar)}
<footer>
<p>Built from the exercise's ledger. The ledger head is the hash of its last event; a verified ledger is one
whose hash chain was recomputed and found intact.</p>
</footer>
</main>"""
    return page(f"{ex.name} — after-action report", CSS, body)
