"""The after-action report of a tabletop exercise: the troop curve (PNG), one self-contained HTML page, a PDF.

Works from a plain dict the web layer builds from the exercise's ledger (it never reads the ledger, the
database or the engine itself). Every string in that dict is untrusted: HTML output is escaped, PDF output is
folded to latin-1. Matplotlib drives the Agg canvas directly (no pyplot state); nothing here writes files.
"""

from __future__ import annotations

import base64
import html
import io
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

DPI = 130
MAX_CELL = 5000  # characters of one table cell in the PDF; a longer text is cut (the HTML keeps it whole)
MAX_LINES = 40  # lines of one table cell in the PDF, so that a row always fits on a page

POSITION_LABEL = {"support": "support", "stand_aside": "stand aside", "object": "object", "absent": "absent"}
OUTCOME_LABEL = {
    "deployment": "deployment of collective forces",
    "assistance": "assistance",
    "mission": "mission",
    "statement": "statement only",
    "none": "no collective response",
}
DEPARTED = "departed from the model"


# ---------------------------------------------------------------------------------------------- reading
def _get(d: Any, key: str, default: Any = None) -> Any:
    return d.get(key, default) if isinstance(d, Mapping) else default


def _items(d: Any, key: str) -> list[Mapping[str, Any]]:
    """The mappings in list ``d[key]``; anything else (missing, None, a stray string) reads as none."""
    v = _get(d, key)
    if not isinstance(v, Sequence) or isinstance(v, str | bytes):
        return []
    return [x for x in v if isinstance(x, Mapping)]


def _text(x: Any) -> str:
    return "" if x is None else str(x)


def _float(x: Any) -> float | None:
    if isinstance(x, bool) or x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _int(x: Any) -> int:
    f = _float(x)
    return round(f) if f is not None else 0


def _when(x: Any) -> datetime | None:
    if isinstance(x, datetime):
        return x
    if not isinstance(x, str) or not x:
        return None
    try:
        return datetime.fromisoformat(x)
    except ValueError:
        return None


def _date(x: Any) -> str:
    """An ISO datetime as 'YYYY-MM-DD HH:MM UTC' (or its offset); the raw text when it does not parse."""
    dt = _when(x)
    if dt is None:
        return _text(x) or "—"
    off = dt.utcoffset()
    zone = "" if off is None else " UTC" if not off else f" UTC{dt.isoformat()[-6:]}"
    return dt.strftime("%Y-%m-%d %H:%M") + zone


def _since(x: Any, start: datetime | None) -> float | None:
    """Hours from ``start`` to the datetime ``x`` (None when either is missing or they cannot be compared)."""
    dt = _when(x)
    if dt is None or start is None:
        return None
    try:
        return (dt - start).total_seconds() / 3600
    except TypeError:  # one naive, one aware
        return None


def _hours_of(item: Mapping[str, Any], start: datetime | None) -> float | None:
    h = _float(item.get("hours"))
    return h if h is not None else _since(item.get("at"), start)


def _hours(h: float | None) -> str:
    if h is None:
        return "—"
    sign = "+" if h >= 0 else "-"
    txt = f"{sign}{abs(h):,.1f} h"
    return txt if abs(h) < 48 else f"{txt} (day {h / 24:.1f})"


def _words(x: Any) -> str:
    return _text(x).replace("_", " ")


def _position(x: Any) -> str:
    return POSITION_LABEL.get(_text(x), _words(x)) or "—"


def _reasons(x: Any) -> list[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x] if x else []
    if isinstance(x, Iterable):
        return [_text(r) for r in x if r is not None]
    return [_text(x)]


def _departed(vote: Mapping[str, Any]) -> bool:
    """The vote's own flag when it has one; else a human vote that differs from the model's expectation."""
    if "departed" in vote and vote["departed"] is not None:
        return bool(vote["departed"])
    model = vote.get("model_position")
    return vote.get("holder") == "human" and model is not None and model != vote.get("position")


def _start(aar: Mapping[str, Any]) -> datetime | None:
    return _when(_get(_get(aar, "exercise"), "started"))


def _duration(ex: Any) -> float | None:
    return _since(_get(ex, "ended"), _when(_get(ex, "started")))


def _users(aar: Mapping[str, Any]) -> dict[str, str]:
    return {_text(s.get("state")): _text(s.get("user")) for s in _items(aar, "seats") if s.get("user")}


def _holder(vote: Mapping[str, Any], users: Mapping[str, str]) -> str:
    who = _text(vote.get("holder")) or "—"
    user = users.get(_text(vote.get("state")))
    return f"{who} ({user})" if who == "human" and user else who


def _verified(v: Any) -> str:
    if v is True:
        return "verified: the hash chain checks out"
    if v is False:
        return "NOT verified: the ledger failed its check"
    return "not checked"


def _outcome(x: Any) -> str:
    if x is None or x == "":
        return "no outcome recorded"
    return OUTCOME_LABEL.get(_text(x), _words(x))


def curve(aar: Mapping[str, Any]) -> list[tuple[float, int]]:
    """Personnel on the ground as (hours since the exercise start, personnel) points, sorted by time.

    Uses each entry's cumulative ``on_ground``; where that is missing it adds up ``arrived``. Entries with no
    usable time (no ``hours`` and an ``at`` that cannot be placed against the start) are left out.
    """
    start = _start(aar)
    points: list[tuple[float, int, int]] = []
    for k, t in enumerate(_items(aar, "troops")):
        h = _hours_of(t, start)
        if h is not None:
            points.append((h, k, _int(t.get("arrived"))))
    points.sort()
    by_index = _items(aar, "troops")
    out: list[tuple[float, int]] = []
    total = 0
    for h, k, arrived in points:
        total += arrived
        ground = _float(by_index[k].get("on_ground"))
        out.append((h, round(ground) if ground is not None else total))
    return out


def _troop_summary(aar: Mapping[str, Any]) -> str:
    """One or two sentences on the curve: first landing, peak, and how the peak compares with the tasked force."""
    pts = curve(aar)
    tasked = _int(_get(aar, "tasked"))
    if not pts:
        return "No troops deployed" + (f" ({tasked:,} personnel were tasked)." if tasked > 0 else ".")
    first = next((h for h, n in pts if n > 0), None)
    peak = max(n for _, n in pts)
    peak_at = next(h for h, n in pts if n == peak)
    if first is None:
        text = "No personnel reached the ground"
    else:
        text = f"First personnel on the ground at {_hours(first)}; at most {peak:,} on the ground ({_hours(peak_at)})"
    if tasked > 0:
        full = next((h for h, n in pts if n >= tasked), None)
        text += f", against {tasked:,} tasked ({100 * peak / tasked:.0f} %)."
        text += (
            f" The whole tasked force was on the ground at {_hours(full)}."
            if full is not None
            else " The whole tasked force never was."
        )
    else:
        text += "; no personnel were tasked."
    return text


# ---------------------------------------------------------------------------------------------- plot
def _mpl(x: Any) -> str:
    """Text safe for a Matplotlib label: dollar signs would switch on mathtext (and can fail to parse)."""
    return _text(x).replace("\\", "/").replace("$", r"\$")


def troop_curve_png(aar: dict[str, Any]) -> bytes:
    """Step plot of personnel on the ground against hours since the exercise start; tasked as a dashed line.

    With no troops it is a small figure saying so (and how many were tasked), never an empty axis.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ex = _get(aar, "exercise")
    title = _mpl(_get(ex, "title") or _get(ex, "scenario_title") or _get(ex, "id") or "Exercise")
    pts = curve(aar)
    tasked = _int(_get(aar, "tasked"))
    if not pts:
        fig = Figure(figsize=(8, 2.0))
        fig.text(0.5, 0.68, f"{title}: personnel on the ground", ha="center", fontsize=11)
        fig.text(
            0.5, 0.38, "No troops deployed", ha="center", fontsize=14, fontweight="bold", color="#555555"
        )
        if tasked > 0:
            fig.text(
                0.5, 0.14, f"{tasked:,} personnel tasked; none reached the ground", ha="center", fontsize=9
            )
    else:
        fig = Figure(figsize=(8, 3.8))
        ax = fig.add_subplot()
        end = _duration(ex)
        xs = [min(0.0, pts[0][0])] + [h for h, _ in pts]
        ys = [0] + [n for _, n in pts]
        last = max(xs[-1], end if end is not None else xs[-1])
        span = max(last - xs[0], 1.0)
        xs.append(last + 0.03 * span)
        ys.append(ys[-1])
        ax.step(xs, ys, where="post", color="#1f5f8b", linewidth=1.8, label="personnel on the ground")
        ax.fill_between(xs, ys, step="post", color="#8fb3cc", alpha=0.5, linewidth=0)
        ax.plot([h for h, _ in pts], [n for _, n in pts], "o", color="#1f5f8b", markersize=3.5)
        top = max(ys)
        if tasked > 0:
            ax.axhline(
                tasked, color="#c62828", linestyle="--", linewidth=1.2, label=f"tasked ({tasked:,} personnel)"
            )
            top = max(top, tasked)
        if end is not None and end > 0:
            ax.axvline(
                end, color="#777777", linestyle=":", linewidth=1, label=f"exercise ended ({_hours(end)})"
            )
        ax.set_xlim(xs[0], xs[-1])
        ax.set_ylim(0, max(top, 1) * 1.12)
        ax.set_xlabel("hours since the exercise started")
        ax.set_ylabel("personnel on the ground")
        ax.set_title(f"{title}\npersonnel on the ground", fontsize=11)
        ax.grid(color="#eeeeee")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    fig.clear()
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------- HTML
CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1d1d;
 background:#fafafa;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px 28px 40px;background:white}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 8px;border-bottom:2px solid #1f5f8b;
 padding-bottom:3px}h3{font-size:16px;margin:18px 0 4px}
.sub{color:#555;margin:0 0 14px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
th,td{border:1px solid #dcdcdc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f4f7}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{width:22%}
tr.dep td{background:#fff4e5}
.dep-mark{display:inline-block;background:#e65100;color:white;font-weight:700;font-size:12px;padding:1px 7px;
 border-radius:9px;white-space:nowrap}
.s-support{color:#2e7d32;font-weight:600}.s-stand_aside{color:#8a6100;font-weight:600}
.s-object{color:#c62828;font-weight:600}.s-absent{color:#777}
.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:700}.muted{color:#666}
ul.r{margin:0;padding-left:16px}
figure{margin:14px 0}figure img{max-width:100%;border:1px solid #e5e5e5}
figcaption{font-size:13px;color:#555}
footer{margin-top:36px;border-top:1px solid #ddd;padding-top:10px;font-size:13px;color:#444}
@media print{
 body{background:white;font-size:11pt}main{max-width:none;padding:0}
 h2,h3{break-after:avoid;page-break-after:avoid}
 tr,figure,img{break-inside:avoid;page-break-inside:avoid}
 thead{display:table-header-group}
 tr.dep td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .dep-mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 @page{margin:15mm}
}
"""


def _e(x: Any) -> str:
    return html.escape(_text(x), quote=True)


def _table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    marked: Iterable[int] = (),
) -> str:
    """A table; cells are already-escaped HTML. Rows whose index is in ``marked`` get the departure colour."""
    num, mark = set(numeric), set(marked)
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for k, row in enumerate(rows):
        out.append("<tr class=dep>" if k in mark else "<tr>")
        out.extend(f"<td{' class=n' if i in num else ''}>{c}</td>" for i, c in enumerate(row))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _stance(x: Any) -> str:
    s = _text(x)
    if not s:
        return "—"
    cls = f" class='s-{s}'" if s in POSITION_LABEL else ""
    return f"<span{cls}>{_e(_position(s))}</span>"


def _list(xs: Sequence[str]) -> str:
    if not xs:
        return "—"
    return "<ul class=r>" + "".join(f"<li>{_e(x)}</li>" for x in xs) + "</ul>"


def _header_html(aar: Mapping[str, Any]) -> str:
    ex = _get(aar, "exercise")
    verified = _get(ex, "verified")
    vcls = "ok" if verified is True else "bad" if verified is False else "muted"
    head = _get(ex, "ledger_head")
    ended = _get(ex, "ended")
    dur = _duration(ex)
    rows = [
        ("Exercise", _e(_get(ex, "id") or "—")),
        (
            "Scenario",
            _e(_get(ex, "scenario_title") or "—")
            + (f" <span class=hash>({_e(_get(ex, 'scenario'))})</span>" if _get(ex, "scenario") else ""),
        ),
        ("Alliance", _e(_text(_get(ex, "alliance")).upper() or "—")),
        ("Started", _e(_date(_get(ex, "started")) if _get(ex, "started") else "—")),
        (
            "Ended",
            _e(_date(ended) + (f" ({dur:,.1f} h after the start)" if dur is not None else ""))
            if ended
            else "<span class=muted>not ended: the exercise was still open</span>",
        ),
        ("Outcome", f"<b>{_e(_outcome(_get(aar, 'outcome')))}</b>"),
        ("Ledger head", f"<span class=hash>{_e(head)}</span>" if head else "<span class=muted>none</span>"),
        ("Ledger check", f"<span class={vcls}>{_e(_verified(verified))}</span>"),
    ]
    cells = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f"<table class=kv><tbody>{cells}</tbody></table>"


def _seats_html(aar: Mapping[str, Any]) -> str:
    seats = _items(aar, "seats")
    if not seats:
        return "<p>No seats were recorded.</p>"
    rows = [
        (
            f"<b>{_e(s.get('state') or '—')}</b>",
            _e(s.get("name") or "—"),
            _e(s.get("holder") or "—"),
            _e(s.get("user") or "—"),
        )
        for s in seats
    ]
    return _table(["State", "Name", "Held by", "User"], rows)


def _timeline_html(aar: Mapping[str, Any]) -> str:
    start = _start(aar)
    rows = [
        (
            _e(_hours(_hours_of(t, start))),
            _e(_date(t.get("at")) if t.get("at") else "—"),
            _e(t.get("actor") or "—"),
            _e(t.get("kind") or ""),
            _e(t.get("text") or ""),
        )
        for t in _items(aar, "timeline")
    ]
    if not rows:
        return "<p>No events were recorded.</p>"
    return _table(["Since start", "At", "Actor", "Event", "What happened"], rows, numeric=(0,))


def _tally(votes: Sequence[Mapping[str, Any]]) -> str:
    count: dict[str, int] = {}
    for v in votes:
        p = _position(v.get("position"))
        count[p] = count.get(p, 0) + 1
    return ", ".join(f"{p} {n}" for p, n in count.items())


def _round_title(rnd: Mapping[str, Any], k: int) -> str:
    num = _text(rnd.get("round")) or str(k)
    level = _words(rnd.get("level")) or "unnamed proposal"
    outcome = _text(rnd.get("outcome")) or "open"
    return f"Round {num}: {level} ({outcome})"


def _rounds_html(aar: Mapping[str, Any]) -> str:
    rounds = _items(aar, "rounds")
    if not rounds:
        return "<p>No Council round was held: nothing was put to a vote.</p>"
    users = _users(aar)
    out = []
    for k, rnd in enumerate(rounds, 1):
        votes = _items(rnd, "votes")
        out.append(f"<h3>{_e(_round_title(rnd, k))}</h3>")
        if not votes:
            out.append("<p>No vote was cast in this round.</p>")
            continue
        out.append(f"<p class=muted>Votes: {_e(_tally(votes))}.</p>")
        rows, marked = [], []
        for i, v in enumerate(votes):
            dep = _departed(v)
            if dep:
                marked.append(i)
            rows.append(
                (
                    f"<b>{_e(v.get('state') or '—')}</b>",
                    _stance(v.get("position")),
                    _e(v.get("reason") or "—"),
                    _e(_holder(v, users)),
                    _stance(v.get("model_position")),
                    _list(_reasons(v.get("model_reasons"))),
                    f"<span class=dep-mark>⚑ {_e(DEPARTED)}</span>" if dep else "",
                )
            )
        out.append(
            _table(
                [
                    "State",
                    "Position",
                    "Reason",
                    "Seat held by",
                    "Model expected",
                    "Model's reasons",
                    "Departure",
                ],
                rows,
                marked=marked,
            )
        )
    return "".join(out)


def _departures(aar: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The departures list when given; else the votes flagged (or seen) as departing, round by round."""
    if isinstance(_get(aar, "departures"), Sequence) and not isinstance(_get(aar, "departures"), str):
        given = [dict(d) for d in _items(aar, "departures")]
    else:
        given = [
            {
                "state": v.get("state"),
                "round": rnd.get("round"),
                "human": v.get("position"),
                "model": v.get("model_position"),
                "reason": v.get("reason"),
            }
            for rnd in _items(aar, "rounds")
            for v in _items(rnd, "votes")
            if _departed(v)
        ]
    # The model's reasons for the same seat and round, when the rounds carry them.
    why: dict[tuple[str, str], list[str]] = {}
    for rnd in _items(aar, "rounds"):
        for v in _items(rnd, "votes"):
            why[(_text(rnd.get("round")), _text(v.get("state")))] = _reasons(v.get("model_reasons"))
    for d in given:
        d.setdefault("model_reasons", why.get((_text(d.get("round")), _text(d.get("state"))), []))
    return given


def _no_departure_sentence(aar: Mapping[str, Any]) -> str:
    if not any(s.get("holder") == "human" for s in _items(aar, "seats")) and not any(
        v.get("holder") == "human" for rnd in _items(aar, "rounds") for v in _items(rnd, "votes")
    ):
        return "No seat was held by a human, so no human could depart from the model."
    if not any(v.get("holder") == "human" for rnd in _items(aar, "rounds") for v in _items(rnd, "votes")):
        return "No human cast a vote, so none departed from the model."
    return (
        "The humans did not depart from the model: every vote cast from a human-held seat matched what the "
        "model expected of that seat."
    )


def _departures_html(aar: Mapping[str, Any]) -> str:
    deps = _departures(aar)
    if not deps:
        return f"<p>{_e(_no_departure_sentence(aar))}</p>"
    rows = [
        (
            _e(d.get("round") if d.get("round") is not None else "—"),
            f"<b>{_e(d.get('state') or '—')}</b>",
            _stance(d.get("human")),
            _stance(d.get("model")),
            _e(d.get("reason") or "—"),
            _list(_reasons(d.get("model_reasons"))),
        )
        for d in deps
    ]
    n = len(deps)
    intro = (
        f"<p>{n} vote{'s' if n != 1 else ''} from human-held seats differed from what the model expected of "
        "that seat. Each is a place where the people at the table judged otherwise than the model.</p>"
    )
    return intro + _table(
        ["Round", "State", "Human voted", "Model expected", "Human's reason", "Model's reasons"],
        rows,
        numeric=(0,),
    )


def _troops_html(aar: Mapping[str, Any], png: bytes) -> str:
    start = _start(aar)
    summary = _troop_summary(aar)
    img = (
        f"<figure><img alt='{_e(summary)}' src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>"
        f"<figcaption>{_e(summary)}</figcaption></figure>"
    )
    troops = _items(aar, "troops")
    if not troops:
        return img
    rows = [
        (
            _e(_hours(_hours_of(t, start))),
            _e(_date(t.get("at")) if t.get("at") else "—"),
            _e(t.get("state") or "—"),
            _e(f"{_int(t.get('arrived')):,}"),
            _e(f"{_int(t.get('on_ground')):,}" if _float(t.get("on_ground")) is not None else "—"),
        )
        for t in troops
    ]
    return img + _table(["Since start", "At", "State", "Arrived", "On the ground"], rows, numeric=(0, 3, 4))


def _refusals_html(aar: Mapping[str, Any]) -> str:
    start = _start(aar)
    rows = [
        (
            _e(_hours(_since(r.get("at"), start))),
            _e(r.get("actor") or "—"),
            _e(_words(r.get("action")) or "—"),
            f"<b>{_e(r.get('article') or '—')}</b>",
            _e(r.get("reason") or ""),
        )
        for r in _items(aar, "refusals")
    ]
    if not rows:
        return "<p>Nothing was refused: every action taken was allowed under the treaties.</p>"
    return _table(["Since start", "Actor", "Action", "Article", "Reason"], rows, numeric=(0,))


def render_html(aar: dict[str, Any]) -> str:
    """The after-action report as one self-contained, printable HTML page (CSS inline, the curve a data URI)."""
    ex = _get(aar, "exercise")
    title = _text(_get(ex, "title") or _get(ex, "scenario_title") or _get(ex, "id") or "Exercise")
    sub = " · ".join(
        p
        for p in (
            "After-action report",
            _text(_get(ex, "scenario_title") or _get(ex, "scenario")),
            _text(_get(ex, "alliance")).upper(),
        )
        if p
    )
    body = f"""<main>
<h1>{_e(title)}</h1>
<p class=sub>{_e(sub)}</p>
{_header_html(aar)}
<h2>Seats</h2>
{_seats_html(aar)}
<h2>Timeline</h2>
{_timeline_html(aar)}
<h2>Council rounds</h2>
<p>Each vote with its reason, who held the seat, and what the model expected of that seat with its reasons.
A <span class=dep-mark>⚑ {_e(DEPARTED)}</span> marks a human vote that differs from the model's.</p>
{_rounds_html(aar)}
<h2>Where the humans departed from the model</h2>
{_departures_html(aar)}
<h2>Troops on the ground</h2>
{_troops_html(aar, troop_curve_png(aar))}
<h2>What was refused</h2>
{_refusals_html(aar)}
<footer>
<p>Built from the exercise's ledger. The ledger head is the hash of its last event; a verified ledger is one
whose hash chain was recomputed and found intact.</p>
</footer>
</main>"""
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{_e(title)} — after-action report</title><style>{CSS}</style></head><body>\n{body}\n"
        "</body></html>\n"
    )


# ---------------------------------------------------------------------------------------------- PDF
_FOLD = {
    "−": "-",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "―": "-",
    "…": "...",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "‛": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "′": "'",
    "″": '"',
    "•": "*",
    "→": "->",
    "←": "<-",
    "↔": "<->",
    "⇒": "=>",
    "✓": "yes",
    "✗": "no",
    "⚑": "!",
    "€": "EUR",
    "₽": "RUB",
    "™": "(TM)",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\ufeff": "",
    "\t": " ",
}
# Cyrillic as plain Latin letters, so that names stay readable in a core-font PDF.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєўғқңөұүһә",
        (
            *("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r"),
            *("s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"),
            *("i", "yi", "ye", "u", "g", "q", "n", "o", "u", "u", "h", "a"),
        ),
        strict=True,
    )
)


def _latin1(text: Any) -> str:
    """``text`` in latin-1 only, for fpdf2's core fonts: known signs folded, Cyrillic spelt out, else '?'."""
    out = []
    for ch in _text(text):
        if ch in _FOLD:
            out.append(_FOLD[ch])
        elif ch == "\n" or (ord(ch) < 256 and ch.isprintable()):
            out.append(ch)
        elif ch.lower() in _CYRILLIC:
            lat = _CYRILLIC[ch.lower()]
            out.append(lat.capitalize() if ch.isupper() else lat)
        elif unicodedata.category(ch)[0] == "C":
            continue  # control and format characters: nothing to print
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(base if base and all(ord(c) < 256 and c.isprintable() for c in base) else "?")
    return "".join(out)


def _cell(text: Any) -> str:
    t = _latin1(text)
    return t if len(t) <= MAX_CELL else t[: MAX_CELL - 3] + "..."


def render_pdf(aar: dict[str, Any]) -> bytes:
    """The after-action report as a PDF (A4, Helvetica): the same sections as the HTML page, the curve embedded."""
    from fpdf import FPDF
    from fpdf.enums import MethodReturnValue, XPos, YPos
    from fpdf.fonts import FontFace

    ex = _get(aar, "exercise")
    title = _latin1(_get(ex, "title") or _get(ex, "scenario_title") or _get(ex, "id") or "Exercise")
    ident = _latin1(_get(ex, "id") or "")

    class Report(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.set_text_color(110, 110, 110)
            name = title if len(title) <= 60 else title[:57] + "..."
            self.cell(0, 6, f"{name} - after-action report {ident[:30]}".strip(), align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, f"page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0, 0, 0)

    pdf = Report(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(title)
    pdf.set_subject("After-action report")
    pdf.set_creator("csto")
    pdf.add_page()
    width = pdf.epw
    head_style = FontFace(emphasis="BOLD", fill_color=(241, 244, 247))
    dep_style = FontFace(emphasis="BOLD", color=(230, 81, 0), fill_color=(255, 244, 229))
    dep_row = FontFace(fill_color=(255, 244, 229))

    def heading(text: str, size: float = 13) -> None:
        if pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, size * 0.5, _cell(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if size >= 13:
            pdf.set_draw_color(31, 95, 139)
            pdf.set_line_width(0.5)
            pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + width, pdf.get_y() + 0.5)
            pdf.set_line_width(0.2)
            pdf.set_draw_color(0, 0, 0)
        pdf.ln(2)

    def para(text: str, size: float = 9.5, style: str = "") -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, size * 0.5, _cell(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def fit(text: Any, w: float) -> str:
        """The cell's text cut to MAX_LINES lines of a column ``w`` mm wide (fpdf2 refuses a row over a page)."""
        t = _cell(text)
        lines = pdf.multi_cell(w - 3, 3.8, t, dry_run=True, output=MethodReturnValue.LINES)
        if not isinstance(lines, list) or len(lines) <= MAX_LINES:
            return t
        return "\n".join(lines[: MAX_LINES - 1]) + "\n[... cut; the HTML report has it all]"

    def table(
        head: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        marked: Iterable[int] = (),
    ) -> None:
        mark = set(marked)
        pdf.set_font("Helvetica", size=8)
        with pdf.table(
            col_widths=tuple(widths),
            width=width,
            text_align="LEFT",
            line_height=3.8,
            headings_style=head_style,
            padding=1,
        ) as tbl:
            top = tbl.row()
            for h in head:
                top.cell(_cell(h))
            for k, row in enumerate(rows):
                r = tbl.row()
                for i, (c, w) in enumerate(zip(row, widths, strict=True)):
                    style = (dep_style if i == len(row) - 1 else dep_row) if k in mark else None
                    r.cell(fit(c, w), style=style)
        pdf.ln(2)

    # Header
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(width, 8, _cell(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    para("After-action report", 11, "I")
    verified = _get(ex, "verified")
    ended, dur = _get(ex, "ended"), _duration(ex)
    kv = [
        ("Exercise", _text(_get(ex, "id")) or "-"),
        (
            "Scenario",
            _text(_get(ex, "scenario_title") or "-")
            + (f" ({_text(_get(ex, 'scenario'))})" if _get(ex, "scenario") else ""),
        ),
        ("Alliance", _text(_get(ex, "alliance")).upper() or "-"),
        ("Started", _date(_get(ex, "started")) if _get(ex, "started") else "-"),
        (
            "Ended",
            _date(ended) + (f" ({dur:,.1f} h after the start)" if dur is not None else "")
            if ended
            else "not ended: the exercise was still open",
        ),
        ("Outcome", _outcome(_get(aar, "outcome"))),
        ("Ledger head", _text(_get(ex, "ledger_head")) or "none"),
        ("Ledger check", _verified(verified)),
    ]
    pdf.set_font("Helvetica", size=9)
    with pdf.table(
        col_widths=(30, width - 30),
        width=width,
        text_align="LEFT",
        first_row_as_headings=False,
        padding=1,
        line_height=4.4,
    ) as tbl:
        for key, value in kv:
            r = tbl.row()
            r.cell(_cell(key), style=head_style)
            bad = key == "Ledger check" and verified is False
            r.cell(
                fit(value, width - 30), style=FontFace(emphasis="BOLD", color=(198, 40, 40)) if bad else None
            )
    pdf.ln(2)

    # Seats
    heading("Seats")
    seats = _items(aar, "seats")
    if seats:
        table(
            ["State", "Name", "Held by", "User"],
            [
                [
                    _text(s.get("state")) or "-",
                    _text(s.get("name")) or "-",
                    _text(s.get("holder")) or "-",
                    _text(s.get("user")) or "-",
                ]
                for s in seats
            ],
            (20, 70, 40, 50),
        )
    else:
        para("No seats were recorded.")

    # Timeline
    heading("Timeline")
    start = _start(aar)
    events = _items(aar, "timeline")
    if events:
        table(
            ["Since start", "At", "Actor", "Event", "What happened"],
            [
                [
                    _hours(_hours_of(t, start)),
                    _date(t.get("at")) if t.get("at") else "-",
                    _text(t.get("actor")) or "-",
                    _text(t.get("kind")),
                    _text(t.get("text")),
                ]
                for t in events
            ],
            (20, 27, 14, 29, 90),
        )
    else:
        para("No events were recorded.")

    # Rounds
    heading("Council rounds")
    rounds = _items(aar, "rounds")
    if not rounds:
        para("No Council round was held: nothing was put to a vote.")
    users = _users(aar)
    for k, rnd in enumerate(rounds, 1):
        heading(_round_title(rnd, k), 11)
        votes = _items(rnd, "votes")
        if not votes:
            para("No vote was cast in this round.")
            continue
        para(f"Votes: {_tally(votes)}.", 8.5)
        marked = [i for i, v in enumerate(votes) if _departed(v)]
        table(
            ["State", "Position", "Reason", "Seat held by", "Model expected", "Model's reasons", "Departure"],
            [
                [
                    _text(v.get("state")) or "-",
                    _position(v.get("position")) if v.get("position") else "-",
                    _text(v.get("reason")) or "-",
                    _holder(v, users),
                    _position(v.get("model_position")) if v.get("model_position") else "-",
                    "\n".join(_reasons(v.get("model_reasons"))) or "-",
                    "DEPARTED from the model" if i in marked else "",
                ]
                for i, v in enumerate(votes)
            ],
            (13, 17, 44, 22, 18, 42, 24),
            marked,
        )

    # Departures
    heading("Where the humans departed from the model")
    deps = _departures(aar)
    if deps:
        n = len(deps)
        para(
            f"{n} vote{'s' if n != 1 else ''} from human-held seats differed from what the model expected of "
            "that seat. Each is a place where the people at the table judged otherwise than the model."
        )
        table(
            ["Round", "State", "Human voted", "Model expected", "Human's reason", "Model's reasons"],
            [
                [
                    _text(d.get("round")) or "-",
                    _text(d.get("state")) or "-",
                    _position(d.get("human")) if d.get("human") else "-",
                    _position(d.get("model")) if d.get("model") else "-",
                    _text(d.get("reason")) or "-",
                    "\n".join(_reasons(d.get("model_reasons"))) or "-",
                ]
                for d in deps
            ],
            (13, 14, 22, 22, 59, 50),
        )
    else:
        para(_no_departure_sentence(aar))

    # Troops
    heading("Troops on the ground")
    png = troop_curve_png(aar)
    if pdf.get_y() > pdf.h - 100:
        pdf.add_page()
    # At its own size (pixels at DPI), never wider than the text: the "no troops" figure stays small.
    natural = int.from_bytes(png[16:20], "big") / DPI * 25.4 if png[12:16] == b"IHDR" else width
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=min(width, natural))
    pdf.ln(2)
    para(_troop_summary(aar), 9, "I")
    troops = _items(aar, "troops")
    if troops:
        table(
            ["Since start", "At", "State", "Arrived", "On the ground"],
            [
                [
                    _hours(_hours_of(t, start)),
                    _date(t.get("at")) if t.get("at") else "-",
                    _text(t.get("state")) or "-",
                    f"{_int(t.get('arrived')):,}",
                    f"{_int(t.get('on_ground')):,}" if _float(t.get("on_ground")) is not None else "-",
                ]
                for t in troops
            ],
            (30, 45, 30, 35, 40),
        )

    # Refusals
    heading("What was refused")
    refusals = _items(aar, "refusals")
    if refusals:
        table(
            ["Since start", "Actor", "Action", "Article", "Reason"],
            [
                [
                    _hours(_since(r.get("at"), start)),
                    _text(r.get("actor")) or "-",
                    _words(r.get("action")) or "-",
                    _text(r.get("article")) or "-",
                    _text(r.get("reason")),
                ]
                for r in refusals
            ],
            (20, 16, 22, 32, 90),
        )
    else:
        para("Nothing was refused: every action taken was allowed under the treaties.")

    return bytes(pdf.output())
