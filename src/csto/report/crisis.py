"""The crisis report: odds, vote matrix and timeline plots, and one self-contained HTML page for a run.

Works from a ``CrisisResult`` only (layer report: model and sim below it, never web or cli). Matplotlib is
imported inside the plotting functions and drives the Agg canvas directly (no pyplot, so no global figure
state to leak or close); every file is written to a temporary name and moved into place with ``os.replace``.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from csto.errors import CstoError
from csto.model import MEMBER_STATUSES, RESPONSE_LADDER, load_dataset
from csto.sim.montecarlo import CrisisResult

STANCE_LABEL = {"support": "support", "stand_aside": "stand aside", "object": "object", "absent": "absent"}
STANCE_COLOUR = {"support": "#2e7d32", "stand_aside": "#f2b632", "object": "#c62828", "absent": "#e3e3e3"}
STANCE_TEXT = {"support": "white", "stand_aside": "black", "object": "white", "absent": "#555555"}
TIMING_CAPTION = (
    "Personnel on the ground follow the provisional timing model (capitals to destination, average sortie "
    "load), drawn as a ramp from the first landing to all in; the airlift planner will replace it."
)
IMAGES = ("odds.png", "votes.png", "timeline.png")
DPI = 130


# ---------------------------------------------------------------------------------------------- helpers
def _words(name: str) -> str:
    return name.replace("_", " ")


def _hours(t: float | None) -> str:
    if t is None:
        return "—"
    return f"+{t:,.1f} h" if t < 48 else f"+{t:,.1f} h (day {t / 24:.1f})"


def _pct(p: float) -> str:
    return f"{100 * p:.1f} %"


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("-", "−")


def _num(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace("-", "−")


def _members(result: CrisisResult) -> list[str]:
    """Members in the order the Council heard them (lead state first), then any others seen in a round."""
    order: list[str] = [v.iso3 for v in result.central.votes]
    for rnd in result.central.rounds:
        for iso3 in rnd.get("votes", {}):
            if iso3 not in order:
                order.append(iso3)
    return order


def _absent(result: CrisisResult, voters: Sequence[str]) -> dict[str, str]:
    """Members that took no part in the vote (frozen, suspended), with their status on the scenario's start.

    The result does not carry the roster, so it is read from the bundled data; it is used only when every
    voter is a member there on that day (a run on other data then simply shows no absentees).
    """
    if not voters:
        return {}
    try:
        ds = load_dataset("csto")
    except CstoError:
        return {}
    day = result.scenario.start.date()
    status = {s.iso3: s.status_at(day) for s in ds.states}
    if any(status.get(v) not in MEMBER_STATUSES for v in voters):
        return {}
    return {k: str(v) for k, v in sorted(status.items()) if v in MEMBER_STATUSES and k not in voters}


def _assumed_factors(result: CrisisResult) -> list[str]:
    return sorted({r.factor for v in result.central.votes for r in v.reasons if r.assumed or not r.source})


def _render(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    fig.clear()
    return buf.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it into place."""
    from csto.report.files import write_atomic

    write_atomic(path, data)


def on_ground(result: CrisisResult) -> list[tuple[float, int]]:
    """Personnel on the ground over time in the central run, as (hours after request, personnel) points.

    Reconstructed from the run's fields (first landing, all in, forces) as a linear ramp, so it shows the
    provisional timing model, not each sortie. Empty when no force was deployed.
    """
    c = result.central
    total = sum(c.forces.values())
    if not total or c.first_units_hours is None:
        return []
    first = c.first_units_hours
    all_in = c.all_in_hours if c.all_in_hours is not None else first
    points = [(0.0, 0), (first, 0), (all_in, total)]
    begins = next((t for t, e in c.timeline if e.startswith("Withdrawal begins")), None)
    done = next((t for t, e in c.timeline if e.startswith("Withdrawal complete")), None)
    if begins is not None and done is not None and done >= begins >= all_in:
        points += [(begins, total), (done, 0)]
    return points


# ---------------------------------------------------------------------------------------------- plots
def odds_png(result: CrisisResult) -> bytes:
    """Bar chart of each rung's probability with its 95 % interval; the recorded rung marked."""
    from matplotlib.figure import Figure

    probs, ci = result.probabilities, result.ci95
    levels = list(RESPONSE_LADDER)
    p = [probs[lv] for lv in levels]
    # Clamped at 0: at p = 0 or 1 the Wilson bound can miss p by a rounding error.
    err = [
        [max(0.0, probs[lv] - ci[lv][0]) for lv in levels],
        [max(0.0, ci[lv][1] - probs[lv]) for lv in levels],
    ]
    recorded = result.record.get("level") if result.record else None
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.add_subplot()
    colours = ["#1f5f8b" if lv == result.level else "#8fb3cc" for lv in levels]
    bars = ax.bar(levels, p, color=colours, yerr=err, capsize=5, ecolor="#333333", zorder=2)
    for bar, lv in zip(bars, levels, strict=True):
        lo, hi = ci[lv]
        ax.annotate(
            f"{probs[lv]:.2f}\n[{lo:.2f}–{hi:.2f}]",
            (bar.get_x() + bar.get_width() / 2, hi),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
        if lv == recorded:
            bar.set_edgecolor("#c62828")
            bar.set_linewidth(2.5)
            ax.annotate(
                "recorded",
                (bar.get_x() + bar.get_width() / 2, 0),
                xytext=(0, -26),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=9,
                color="#c62828",
                fontweight="bold",
            )
    ax.set_ylim(0, 1.22)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_ylabel("probability (95 % Wilson interval)")
    ax.grid(axis="y", color="#dddddd", zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    sc = result.scenario
    kind = f" (episode {sc.episode})" if sc.episode else " (hypothetical)" if sc.hypothetical else ""
    if "hypothetical" in sc.title.lower() or (sc.episode and sc.episode in sc.title):
        kind = ""
    ax.set_title(
        f"{sc.title}{kind}\nodds of each response over {result.trials:,} trials, seed {result.seed}",
        fontsize=11,
    )
    key = "dark bar: the most likely response" + ("; red outline: the recorded response" if recorded else "")
    ax.text(1.0, -0.2, key, transform=ax.transAxes, ha="right", fontsize=8, color="#555555")
    return _render(fig)


def votes_png(result: CrisisResult) -> bytes:
    """The vote matrix (members × rungs tried) with the top three reasons for each member's final vote."""
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    c = result.central
    members = _members(result)
    rounds = c.rounds
    absentees = _absent(result, members)
    members += list(absentees)
    if not rounds or not members:
        fig = Figure(figsize=(8, 1.6))
        fig.text(0.5, 0.6, f"{result.scenario.title}: votes in the central run", ha="center", fontsize=11)
        fig.text(0.5, 0.3, "No Council round was held: nothing was put to a vote.", ha="center", fontsize=10)
        return _render(fig)
    stances = list(STANCE_COLOUR)
    absent = stances.index("absent")
    cells = [
        [stances.index(s) if (s := rnd["votes"].get(m)) in stances else absent for rnd in rounds]
        for m in members
    ]
    ncol, nrow = len(rounds), len(members)
    matrix_w, side_w = 1.15 * ncol + 0.7, 9.6
    height = 1.45 + 0.45 * nrow
    fig = Figure(figsize=(matrix_w + side_w, height))
    # Room above the matrix (in inches) for the two-line column labels, the reasons' header and the title.
    fig.subplots_adjust(top=1 - 1.2 / height, bottom=0.12 / height, left=0.02, right=0.99)
    grid = fig.add_gridspec(1, 2, width_ratios=[matrix_w, side_w], wspace=0.03)
    ax = fig.add_subplot(grid[0, 0])
    side = fig.add_subplot(grid[0, 1], sharey=ax)
    cmap = ListedColormap([STANCE_COLOUR[s] for s in stances])
    ax.imshow(cells, cmap=cmap, vmin=-0.5, vmax=len(stances) - 0.5, aspect="auto")
    for i, m in enumerate(members):
        for j, rnd in enumerate(rounds):
            s = rnd["votes"].get(m, "absent")
            ax.text(
                j,
                i,
                STANCE_LABEL.get(s, _words(s)),
                ha="center",
                va="center",
                fontsize=9,
                color=STANCE_TEXT.get(s, "black"),
            )
    ax.set_xticks(range(ncol))
    ax.set_xticklabels(
        [
            f"{i + 1}. {r['level']}\n{'adopted' if r.get('adopted') else 'not adopted'}"
            for i, r in enumerate(rounds)
        ],
        fontsize=9,
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(nrow))
    ax.set_yticklabels(members, fontsize=10, fontweight="bold")
    ax.set_xticks([x - 0.5 for x in range(1, ncol)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, nrow)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    # The reasons, in columns, one line per member, aligned with the matrix rows.
    side.set_axis_off()
    side.set_xlim(0, 1)
    by_member = {v.iso3: v for v in c.votes}
    final = c.votes[0].level if c.votes else rounds[-1]["level"]
    cols = (0.02, 0.10, 0.40, 0.70)
    top: dict[str, Any] = {
        "xycoords": ("axes fraction", "data"),
        "textcoords": "offset points",
        "va": "bottom",
    }
    side.annotate(
        f"Why each member voted as it did on {final} (largest contributions: weight × value)",
        (cols[0], -0.5),
        xytext=(0, 20),
        fontsize=9,
        fontweight="bold",
        **top,
    )
    for x, head in zip(cols, ("score", "1st reason", "2nd reason", "3rd reason"), strict=True):
        side.annotate(head, (x, -0.5), xytext=(0, 4), fontsize=8.5, color="#555555", **top)
    for i, m in enumerate(members):
        v = by_member.get(m)
        if v is None:
            why = f"took no part ({absentees[m]})" if m in absentees else "no vote in the final round"
            side.text(cols[0], i, why, fontsize=9, va="center", color="#555555")
            continue
        side.text(cols[0], i, _signed(v.score), fontsize=9, va="center", fontweight="bold")
        for x, r in zip(cols[1:], v.reasons[:3], strict=False):
            colour = "#2e7d32" if r.contribution > 0 else "#c62828" if r.contribution < 0 else "black"
            side.text(
                x, i, f"{_words(r.factor)} {_signed(r.contribution)}", fontsize=9, va="center", color=colour
            )
    fig.suptitle(
        f"{result.scenario.title}\nCouncil votes in the central run (mean weights, no noise)",
        fontsize=11,
        y=1 - 0.08 / height,
        va="top",
    )
    return _render(fig)


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def timeline_png(result: CrisisResult) -> bytes:
    """The central run's timeline, one event per row, and personnel on the ground when forces deployed."""
    from matplotlib.figure import Figure

    c = result.central
    events = c.timeline or [(0.0, "Nothing happened: no request, consultation or statement")]
    labels = [_wrap(text) for _, text in events]
    ys: list[float] = []
    y = 0.0
    for label in labels:
        lines = label.count("\n") + 1
        y += 0.3 * (lines - 1)
        ys.append(y)
        y += 1.0 + 0.3 * (lines - 1)
    rows = y
    curve = on_ground(result)
    top_h = 0.4 * rows + 0.7
    fig = Figure(figsize=(11, top_h + (3.3 if curve else 0.6)))
    if curve:
        grid = fig.add_gridspec(2, 1, height_ratios=[top_h, 2.3], hspace=0.28)
        ax = fig.add_subplot(grid[0, 0])
        ax2 = fig.add_subplot(grid[1, 0], sharex=ax)
    else:
        ax = fig.add_subplot()
        ax2 = None
    span = max(max(t for t, _ in events), 1.0)
    ax.set_xlim(-0.04 * span, span * 1.04)
    bottom = rows - 0.4
    for (t, text), label, yi in zip(events, labels, ys, strict=True):
        refused = " refused under " in text
        colour = "#c62828" if refused else "#1f5f8b"
        ax.plot([t, t], [yi, bottom], color="#cccccc", linewidth=0.8, zorder=1)
        ax.plot(t, yi, "o", color=colour, markersize=6, zorder=3)
        right = t <= span * 0.55
        when = _hours(t)
        label = f"{when}  {label}" if right else f"{label}  {when}"
        ax.annotate(
            label,
            (t, yi),
            xytext=(7 if right else -7, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=8.5,
            color=colour if refused else "black",
            linespacing=1.15,
        )
    ax.set_ylim(bottom, -0.7)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title(f"{result.scenario.title}\nthe central run, hour by hour after the request", fontsize=11)
    if ax2 is None:
        ax.set_xlabel("hours after the request")
        return _render(fig)
    ax.tick_params(labelbottom=False)
    xs = [t for t, _ in curve]
    ks = [k for _, k in curve]
    if xs[-1] < span * 1.04:
        xs.append(span * 1.04)
        ks.append(ks[-1])
    ax2.fill_between(xs, ks, color="#8fb3cc", alpha=0.6, linewidth=0)
    ax2.plot(xs, ks, color="#1f5f8b", linewidth=1.5, label="personnel on the ground (model, central run)")
    rec = result.record or {}
    if rec.get("personnel"):
        ax2.axhline(
            rec["personnel"],
            color="#c62828",
            linestyle="--",
            linewidth=1,
            label=f"recorded personnel ({rec['personnel']:,.0f})",
        )
    if rec.get("hours_to_first_units") is not None:
        ax2.axvline(
            rec["hours_to_first_units"],
            color="#c62828",
            linestyle=":",
            linewidth=1.2,
            label=f"recorded first units (+{rec['hours_to_first_units']:g} h)",
        )
    ax2.set_ylabel("personnel")
    ax2.set_xlabel("hours after the request")
    ax2.set_ylim(0, max(max(ks), rec.get("personnel") or 0) * 1.12)
    ax2.spines[["top", "right"]].set_visible(False)
    ax2.grid(color="#eeeeee")
    ax2.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=8, frameon=False, borderaxespad=0.2
    )
    ax2.text(
        0.5,
        -0.3,
        _wrap(TIMING_CAPTION, 150),
        transform=ax2.transAxes,
        ha="center",
        va="top",
        fontsize=7.5,
        color="#555555",
    )
    return _render(fig)


# ---------------------------------------------------------------------------------------------- HTML
CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1d1d;
 background:#fafafa;margin:0}
main{max-width:1040px;margin:0 auto;padding:24px 28px 40px;background:white}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #1f5f8b;
 padding-bottom:3px}
.sub{color:#555;margin:0 0 16px}.tag{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;
 font-weight:600}
.hyp{background:#fff3cd;color:#7a5a00}.hist{background:#dcebf7;color:#1f5f8b}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
th,td{border:1px solid #dcdcdc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f4f7}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.top td{background:#eef5fb;font-weight:600}
.s-support{color:#2e7d32;font-weight:600}.s-stand_aside{color:#8a6100;font-weight:600}
.s-object{color:#c62828;font-weight:600}.s-absent{color:#777}
.assumed{color:#8a6100;font-style:italic}.src{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
figure{margin:14px 0}figure img{max-width:100%;border:1px solid #e5e5e5}
figcaption{font-size:13px;color:#555}
.ok{color:#2e7d32;font-weight:600}.no{color:#c62828;font-weight:600}
footer{margin-top:36px;border-top:1px solid #ddd;padding-top:10px;font-size:13px;color:#444}
code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _table(
    head: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Iterable[int] = (), top: int | None = None
) -> str:
    """A table; cells are already-escaped HTML. ``top`` is the index of a row to highlight."""
    num = set(numeric)
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for k, row in enumerate(rows):
        out.append(
            ("<tr class=top>" if k == top else "<tr>")
            + "".join(f"<td{' class=n' if i in num else ''}>{c}</td>" for i, c in enumerate(row))
        )
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _yes(b: bool) -> str:
    return "yes" if b else "no"


def _features(result: CrisisResult) -> str:
    sc = result.scenario
    loc, agg, req, ctx = sc.location, sc.aggressor, sc.request, sc.context
    where = f"{loc.state}, {loc.region}"
    if loc.lat is not None and loc.lon is not None:
        where += f" ({loc.lat:.2f}, {loc.lon:.2f})"
    who = agg.name + (f" ({agg.state})" if agg.state else "")
    who += "; non-state" if agg.non_state else "; a state"
    who += ", a member" if agg.member else ", not a member"
    if req.state:
        asked = f"{req.state} under {req.article}, to {_words(req.addressed_to)}, at {_hours(req.t_hours)} after the start"
    else:
        asked = "no request"
    rows = [
        ("Kind", _words(sc.kind)),
        ("Start", sc.start.isoformat(sep=" ", timespec="minutes")),
        ("Location", where + ("" if loc.recognised_territory else " — not recognised territory")),
        ("Aggressor", who),
        ("Request and article", asked),
        (
            "Framing",
            (sc.framing or "—") + ("; framed as an armed attack" if sc.framed_as_armed_attack else ""),
        ),
        ("Intensity", f"{sc.intensity:.2f} (0 to 1)"),
        (
            "Force wanted",
            f"{sc.force_size:,} personnel" if sc.force_size else "from the force's strength and intensity",
        ),
        ("Destination airfield", sc.destination_airfield or "—"),
        (
            "Context",
            f"lead state at war elsewhere: {_yes(ctx.lead_state_at_war)}; session: {_words(ctx.session_format)}",
        ),
    ]
    if sc.injects:
        rows.append(("Injects", "; ".join(f"{_hours(i.t_hours)} {i.kind}: {i.text}" for i in sc.injects)))
    if sc.description:
        rows.append(("Description", sc.description))
    return _table(["Feature", "Value"], [(_e(k), _e(v)) for k, v in rows])


def _odds(result: CrisisResult) -> str:
    probs, ci = result.probabilities, result.ci95
    recorded = result.record.get("level") if result.record else None
    rows = []
    for lv in RESPONSE_LADDER:
        lo, hi = ci[lv]
        notes = [n for n, on in (("most likely", lv == result.level), ("recorded", lv == recorded)) if on]
        rows.append(
            (
                _e(lv),
                _e(f"{result.counts.get(lv, 0):,}"),
                _e(f"{probs[lv]:.3f}"),
                _e(f"{lo:.3f} – {hi:.3f}"),
                _e(", ".join(notes)),
            )
        )
    return _table(
        ["Response", "Trials", "Probability", "95 % interval (Wilson)", ""],
        rows,
        numeric=(1, 2, 3),
        top=RESPONSE_LADDER.index(result.level),
    )


def _stance(s: str) -> str:
    return f"<span class='s-{_e(s)}'>{_e(STANCE_LABEL.get(s, _words(s)))}</span>"


def _source(r: Any) -> str:
    if r.assumed or not r.source:
        return "<span class=assumed>assumed</span>"
    return "<span class=src>" + ", ".join(_e(k) for k in r.source) + "</span>"


def _votes(result: CrisisResult) -> str:
    c = result.central
    if not c.votes:
        return "<p>No member voted: nothing was put to the Council.</p>"
    head = [
        "Member",
        "Vote",
        "Score",
        "Offer",
        "Factor",
        "Value",
        "Weight",
        "Contribution",
        "Source of the weight",
    ]
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for v in c.votes:
        reasons = v.reasons or ()
        span = max(len(reasons), 1)
        lead = (
            f"<td rowspan={span}><b>{_e(v.iso3)}</b></td><td rowspan={span}>{_stance(v.stance)}</td>"
            f"<td rowspan={span} class=n>{_e(_signed(v.score))}</td>"
            f"<td rowspan={span} class=n>{_e(f'{v.offer:,}' if v.offer else '—')}</td>"
        )
        if not reasons:
            out.append(f"<tr>{lead}<td colspan=5>no factor applied</td></tr>")
            continue
        for k, r in enumerate(reasons):
            out.append(
                "<tr>"
                + (lead if k == 0 else "")
                + f"<td title='{_e(r.basis)}'>{_e(_words(r.factor))}</td><td class=n>{_e(_num(r.value, 3))}</td>"
                f"<td class=n>{_e(f'{r.weight:.2f}')}</td><td class=n>{_e(_signed(r.contribution))}</td>"
                f"<td>{_source(r)}</td></tr>"
            )
    out.append("</tbody></table>")
    return "".join(out)


def _rounds(result: CrisisResult) -> str:
    rows = []
    rounds = result.central.rounds
    absentees = _absent(result, _members(result))
    for i, rnd in enumerate(rounds, 1):
        by: dict[str, list[str]] = {}
        for iso3, s in rnd.get("votes", {}).items():
            by.setdefault(s, []).append(iso3)
        if absentees:
            by["absent"] = [f"{k} ({v})" for k, v in absentees.items()]
        tally = "; ".join(f"{STANCE_LABEL.get(s, _words(s))}: {', '.join(v)}" for s, v in by.items())
        rows.append((_e(i), _e(rnd.get("level", "")), _e(_yes(bool(rnd.get("adopted")))), _e(tally)))
    if not rows:
        return "<p>No Council round was held.</p>"
    return _table(["Round", "Proposal", "Adopted", "Votes"], rows, numeric=(0,))


def _forces(result: CrisisResult) -> str:
    c = result.central
    if not c.forces:
        return "<p>No forces were tasked in the central run.</p>"
    rows = [
        (_e(k), _e(f"{n:,}"), _e(f"{c.vehicles.get(k, 0):,}"))
        for k, n in sorted(c.forces.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    rows.append(
        (
            "<b>total</b>",
            f"<b>{_e(f'{sum(c.forces.values()):,}')}</b>",
            f"<b>{_e(f'{sum(c.vehicles.values()):,}')}</b>",
        )
    )
    return f"<p>Force (id): <b>{_e(c.force or '—')}</b></p>" + _table(
        ["State", "Personnel", "Vehicles"], rows, numeric=(1, 2)
    )


def _timeline(result: CrisisResult) -> str:
    rows = [(_e(_hours(t)), _e(text)) for t, text in result.central.timeline]
    if not rows:
        return "<p>Nothing happened in the central run.</p>"
    return _table(["When (after the request)", "Event"], rows, numeric=(0,))


def _refusals(result: CrisisResult) -> str:
    rows = [
        (
            _e(_words(r.get("action", ""))),
            _e(r.get("actor", "")),
            _e(r.get("article", "")),
            _e(r.get("reason", "")),
        )
        for r in result.central.refusals
    ]
    if not rows:
        return "<p>The engine refused nothing in the central run.</p>"
    return _table(["Action", "Actor", "Article", "Reason"], rows)


def _range(q: Mapping[str, float] | None) -> str:
    return f"{q['p05']:,.1f} – {q['p95']:,.1f} h" if q else "—"


def _record(result: CrisisResult) -> str:
    rec = result.record
    if not rec:
        return ""
    c, timing = result.central, result.timing
    probs, ci = result.probabilities, result.ci95

    def mark(ok: bool | None) -> str:
        if ok is None:
            return "—"
        return "<span class=ok>✓ yes</span>" if ok else "<span class=no>✗ no</span>"

    def within(q: Mapping[str, float] | None, x: Any) -> bool | None:
        if q is None or x is None:
            return None
        return bool(q["p05"] <= float(x) <= q["p95"])

    def timed(central: float | None, q: Mapping[str, float] | None) -> str:
        if central is None and q is None:
            return "—"
        return f"{_hours(central)} in the central run; {_range(q)} over trials (5–95 %)"

    def count(model: int, recorded: Any) -> str:
        if not model:
            return "none"
        if not recorded:
            return f"{model:,}"
        return f"{model:,} ({(model - float(recorded)) / float(recorded):+.0%} against the record)".replace(
            "-", "−"
        )

    rl = rec.get("level")
    p_rec = (
        f"; probability of the recorded {rl}: {probs[rl]:.3f} [{ci[rl][0]:.3f}–{ci[rl][1]:.3f}]"
        if rl in probs
        else ""
    )
    personnel, vehicles = sum(c.forces.values()), sum(c.vehicles.values())
    rows = [
        (
            "Response",
            f"most likely: {result.level} ({_pct(probs[result.level])}){p_rec}; central run: {c.level}",
            rl or "—",
            mark(result.level == rl if rl else None),
        ),
        (
            "Hours to decision",
            timed(c.hours_to_decision if c.adopted else None, timing.get("hours_to_decision")),
            _hours(rec.get("hours_to_decision")),
            mark(within(timing.get("hours_to_decision"), rec.get("hours_to_decision"))),
        ),
        (
            "Hours to first units",
            timed(c.first_units_hours, timing.get("first_units_hours")),
            _hours(rec.get("hours_to_first_units")),
            mark(within(timing.get("first_units_hours"), rec.get("hours_to_first_units"))),
        ),
        (
            "Personnel",
            count(personnel, rec.get("personnel")),
            f"{rec['personnel']:,.0f}" if rec.get("personnel") else "—",
            "",
        ),
        (
            "Vehicles",
            count(vehicles, rec.get("vehicles")),
            f"{rec['vehicles']:,.0f}" if rec.get("vehicles") else "—",
            "",
        ),
    ]
    tbl = _table(
        ["", "Model", "Record", "Agrees"], [(_e(a), _e(b), _e(r), m) for a, b, r, m in rows], numeric=(2,)
    )
    src = ", ".join(_e(k) for k in rec.get("source") or [])
    return (
        f"<h2>Against the record (episode {_e(rec.get('episode', ''))})</h2>"
        "<p>“Agrees” means the model's most likely response is the recorded one, or that the recorded time falls "
        "within the model's 5–95 % range over trials. Personnel and vehicles are those of the central run.</p>"
        + tbl
        + (f"<p>{_e(rec['summary'])}</p>" if rec.get("summary") else "")
        + (f"<p>Sources: <span class=src>{src}</span></p>" if src else "")
    )


def _weights(result: CrisisResult) -> str:
    """Each factor that weighed on a vote once: its weight, its basis, and its source or 'assumed'."""
    seen: dict[str, Any] = {}
    for v in result.central.votes:
        for r in v.reasons:
            seen.setdefault(r.factor, r)
    if not seen:
        return ""
    rows = [(_e(_words(f)), _e(f"{r.weight:.2f}"), _e(r.basis), _source(r)) for f, r in sorted(seen.items())]
    return "<h3>The weights and their basis</h3>" + _table(
        ["Factor", "Weight (mean)", "Basis", "Source"], rows, numeric=(1,)
    )


def report_html(result: CrisisResult, images: Mapping[str, bytes] | None = None) -> str:
    """The whole report as one HTML page; ``images`` (name → PNG bytes) are embedded as data URIs."""
    sc = result.scenario
    images = images or {}
    status = (
        "<span class='tag hyp'>hypothetical scenario</span>"
        if sc.hypothetical
        else "<span class='tag hist'>historical scenario"
        + (f" — episode {_e(sc.episode)}" if sc.episode else "")
        + "</span>"
    )
    captions = {
        "odds.png": "Odds of each rung of the response ladder over the trials, with 95 % Wilson intervals.",
        "votes.png": "Each member's vote on every rung the Council tried in the central run, and the three "
        "largest contributions to its final vote.",
        "timeline.png": "The central run's events. " + TIMING_CAPTION,
    }
    figures = "".join(
        f"<figure><img alt='{_e(captions[name])}' src='data:image/png;base64,"
        f"{base64.b64encode(images[name]).decode('ascii')}'><figcaption>{_e(captions[name])}</figcaption></figure>"
        for name in IMAGES
        if name in images
    )
    c = result.central
    decision = (
        f"Adopted: <b>{_e(c.level)}</b>, {_e(_hours(c.hours_to_decision))} after the request."
        if c.adopted
        else "No decision was adopted in the central run."
    )
    assumed = _assumed_factors(result)
    assumed_txt = ", ".join(_words(f) for f in assumed) if assumed else "none of those used here"
    body = f"""<main>
<h1>{_e(sc.title)}</h1>
<p class=sub>{status} · crisis run of {_e(f"{result.trials:,}")} trials, seed {_e(result.seed)} ·
 scenario <code>{_e(sc.id)}</code></p>
<h2>The scenario</h2>
{_features(result)}
<h2>Odds</h2>
<p>Most likely response: <b>{_e(result.level)}</b> ({_e(_pct(result.probabilities[result.level]))}).</p>
{_odds(result)}
{figures}
<h2>The decision in the central run</h2>
<p>The central run uses every weight's mean and no noise; it is the run the reasons explain. {decision}</p>
{_rounds(result)}
<h3>Votes and every reason</h3>
<p>Score = Σ weight × value (plus noise, zero in the central run). A score above the support threshold is
support, below the objection threshold an objection, in between standing aside. Contributions are sorted by size;
the basis of each weight follows the table (and shows when hovering over a factor).</p>
{_votes(result)}
{_weights(result)}
<h2>Forces by state</h2>
{_forces(result)}
<h2>Timeline</h2>
{_timeline(result)}
<p><small>{_e(TIMING_CAPTION)}</small></p>
<h2>What the engine refused</h2>
{_refusals(result)}
{_record(result)}
<footer>
<p>Every figure on this page comes from a model, not from the record (except where marked “Record”). The
decision models weigh situation features; weights without a source are <span class=assumed>assumed</span>:
{_e(assumed_txt)}. Timing follows a provisional model until the airlift planner replaces it.</p>
<p>Reproduce: <code>csto crisis run {_e(sc.id)} --trials {_e(result.trials)} --seed {_e(result.seed)}</code>
 (seed {_e(result.seed)}, {_e(f"{result.trials:,}")} trials); the same seed gives the same figures.</p>
</footer>
</main>"""
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{_e(sc.title)} — csto crisis report</title><style>{CSS}</style></head><body>\n{body}\n</body></html>\n"
    )


def write_report(result: CrisisResult, directory: Path) -> Path:
    """Write odds.png, votes.png, timeline.png and report.html into ``directory``; return report.html's path.

    Each file is written to a temporary name and moved into place, so a reader never sees half a file and a
    second report into the same directory replaces the first.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    images = {
        "odds.png": odds_png(result),
        "votes.png": votes_png(result),
        "timeline.png": timeline_png(result),
    }
    for name, data in images.items():
        _write_atomic(directory / name, data)
    page = directory / "report.html"
    _write_atomic(page, report_html(result, images).encode("utf-8"))
    return page


__all__ = ["odds_png", "on_ground", "report_html", "timeline_png", "votes_png", "write_report"]
