"""The crisis report as one self-contained HTML page: the scenario, the odds, the central run's decision with
every vote and reason, forces, timeline, refusals and, for a historical episode, the comparison with the record.

Works from a ``CrisisResult`` (and the PNGs of ``crisis_plots``, embedded as data URIs); every text is escaped
through ``markup``. Nothing here plots or writes files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csto.model import RESPONSE_LADDER
from csto.report.crisis_common import TIMING_CAPTION, absent_members, signed, voting_order
from csto.report.markup import (
    CSS_BODY,
    CSS_FIGURES,
    CSS_FOOTER,
    CSS_STANCES,
    CSS_TABLES,
    e,
    figure,
    page,
    stance,
    table,
)
from csto.report.text import hours, stance_label, words
from csto.sim.montecarlo import CrisisResult

IMAGES = ("odds.png", "votes.png", "timeline.png")
CSS = (
    CSS_BODY
    + """main{max-width:1040px;margin:0 auto;padding:24px 28px 40px;background:white}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #1f5f8b;
 padding-bottom:3px}
.sub{color:#555;margin:0 0 16px}.tag{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;
 font-weight:600}
.hyp{background:#fff3cd;color:#7a5a00}.hist{background:#dcebf7;color:#1f5f8b}
"""
    + CSS_TABLES
    + """tr.top td{background:#eef5fb;font-weight:600}
"""
    + CSS_STANCES
    + """.assumed{color:#8a6100;font-style:italic}.src{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
"""
    + CSS_FIGURES
    + """.ok{color:#2e7d32;font-weight:600}.no{color:#c62828;font-weight:600}
"""
    + CSS_FOOTER
    + """code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
"""
)


def _pct(p: float) -> str:
    return f"{100 * p:.1f} %"


def _num(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace("-", "−")


def _assumed_factors(result: CrisisResult) -> list[str]:
    return sorted({r.factor for v in result.central.votes for r in v.reasons if r.assumed or not r.source})


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
        asked = f"{req.state} under {req.article}, to {words(req.addressed_to)}, at {hours(req.t_hours)} after the start"
    else:
        asked = "no request"
    rows = [
        ("Kind", words(sc.kind)),
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
            f"lead state at war elsewhere: {_yes(ctx.lead_state_at_war)}; session: {words(ctx.session_format)}",
        ),
    ]
    if sc.injects:
        rows.append(("Injects", "; ".join(f"{hours(i.t_hours)} {i.kind}: {i.text}" for i in sc.injects)))
    if sc.description:
        rows.append(("Description", sc.description))
    return table(["Feature", "Value"], [(e(k), e(v)) for k, v in rows])


def _odds(result: CrisisResult) -> str:
    probs, ci = result.probabilities, result.ci95
    recorded = result.record.get("level") if result.record else None
    rows = []
    for lv in RESPONSE_LADDER:
        lo, hi = ci[lv]
        notes = [n for n, on in (("most likely", lv == result.level), ("recorded", lv == recorded)) if on]
        rows.append(
            (
                e(lv),
                e(f"{result.counts.get(lv, 0):,}"),
                e(f"{probs[lv]:.3f}"),
                e(f"{lo:.3f} – {hi:.3f}"),
                e(", ".join(notes)),
            )
        )
    return table(
        ["Response", "Trials", "Probability", "95 % interval (Wilson)", ""],
        rows,
        numeric=(1, 2, 3),
        row_class={RESPONSE_LADDER.index(result.level): "top"},
    )


def _source(r: Any) -> str:
    if r.assumed or not r.source:
        return "<span class=assumed>assumed</span>"
    return "<span class=src>" + ", ".join(e(k) for k in r.source) + "</span>"


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
    out = ["<table><thead><tr>", *(f"<th>{e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for v in c.votes:
        reasons = v.reasons or ()
        span = max(len(reasons), 1)
        lead = (
            f"<td rowspan={span}><b>{e(v.iso3)}</b></td><td rowspan={span}>{stance(v.stance)}</td>"
            f"<td rowspan={span} class=n>{e(signed(v.score))}</td>"
            f"<td rowspan={span} class=n>{e(f'{v.offer:,}' if v.offer else '—')}</td>"
        )
        if not reasons:
            out.append(f"<tr>{lead}<td colspan=5>no factor applied</td></tr>")
            continue
        for k, r in enumerate(reasons):
            out.append(
                "<tr>"
                + (lead if k == 0 else "")
                + f"<td title='{e(r.basis)}'>{e(words(r.factor))}</td><td class=n>{e(_num(r.value, 3))}</td>"
                f"<td class=n>{e(f'{r.weight:.2f}')}</td><td class=n>{e(signed(r.contribution))}</td>"
                f"<td>{_source(r)}</td></tr>"
            )
    out.append("</tbody></table>")
    return "".join(out)


def _rounds(result: CrisisResult) -> str:
    rows = []
    rounds = result.central.rounds
    absentees = absent_members(result, voting_order(result))
    for i, rnd in enumerate(rounds, 1):
        by: dict[str, list[str]] = {}
        for iso3, s in rnd.get("votes", {}).items():
            by.setdefault(s, []).append(iso3)
        if absentees:
            by["absent"] = [f"{k} ({v})" for k, v in absentees.items()]
        tally = "; ".join(f"{stance_label(s)}: {', '.join(v)}" for s, v in by.items())
        rows.append((e(i), e(rnd.get("level", "")), e(_yes(bool(rnd.get("adopted")))), e(tally)))
    if not rows:
        return "<p>No Council round was held.</p>"
    return table(["Round", "Proposal", "Adopted", "Votes"], rows, numeric=(0,))


def _forces(result: CrisisResult) -> str:
    c = result.central
    if not c.forces:
        return "<p>No forces were tasked in the central run.</p>"
    rows = [
        (e(k), e(f"{n:,}"), e(f"{c.vehicles.get(k, 0):,}"))
        for k, n in sorted(c.forces.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    rows.append(
        (
            "<b>total</b>",
            f"<b>{e(f'{sum(c.forces.values()):,}')}</b>",
            f"<b>{e(f'{sum(c.vehicles.values()):,}')}</b>",
        )
    )
    return f"<p>Force (id): <b>{e(c.force or '—')}</b></p>" + table(
        ["State", "Personnel", "Vehicles"], rows, numeric=(1, 2)
    )


def _timeline(result: CrisisResult) -> str:
    rows = [(e(hours(t)), e(text)) for t, text in result.central.timeline]
    if not rows:
        return "<p>Nothing happened in the central run.</p>"
    return table(["When (after the request)", "Event"], rows, numeric=(0,))


def _refusals(result: CrisisResult) -> str:
    rows = [
        (
            e(words(r.get("action", ""))),
            e(r.get("actor", "")),
            e(r.get("article", "")),
            e(r.get("reason", "")),
        )
        for r in result.central.refusals
    ]
    if not rows:
        return "<p>The engine refused nothing in the central run.</p>"
    return table(["Action", "Actor", "Article", "Reason"], rows)


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
        return f"{hours(central)} in the central run; {_range(q)} over trials (5–95 %)"

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
            hours(rec.get("hours_to_decision")),
            mark(within(timing.get("hours_to_decision"), rec.get("hours_to_decision"))),
        ),
        (
            "Hours to first units",
            timed(c.first_units_hours, timing.get("first_units_hours")),
            hours(rec.get("hours_to_first_units")),
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
    tbl = table(
        ["", "Model", "Record", "Agrees"], [(e(a), e(b), e(r), m) for a, b, r, m in rows], numeric=(2,)
    )
    src = ", ".join(e(k) for k in rec.get("source") or [])
    return (
        f"<h2>Against the record (episode {e(rec.get('episode', ''))})</h2>"
        "<p>“Agrees” means the model's most likely response is the recorded one, or that the recorded time falls "
        "within the model's 5–95 % range over trials. Personnel and vehicles are those of the central run.</p>"
        + tbl
        + (f"<p>{e(rec['summary'])}</p>" if rec.get("summary") else "")
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
    rows = [(e(words(f)), e(f"{r.weight:.2f}"), e(r.basis), _source(r)) for f, r in sorted(seen.items())]
    return "<h3>The weights and their basis</h3>" + table(
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
        + (f" — episode {e(sc.episode)}" if sc.episode else "")
        + "</span>"
    )
    captions = {
        "odds.png": "Odds of each rung of the response ladder over the trials, with 95 % Wilson intervals.",
        "votes.png": "Each member's vote on every rung the Council tried in the central run, and the three "
        "largest contributions to its final vote.",
        "timeline.png": "The central run's events. " + TIMING_CAPTION,
    }
    figures = "".join(figure(images[name], captions[name]) for name in IMAGES if name in images)
    c = result.central
    decision = (
        f"Adopted: <b>{e(c.level)}</b>, {e(hours(c.hours_to_decision))} after the request."
        if c.adopted
        else "No decision was adopted in the central run."
    )
    assumed = _assumed_factors(result)
    assumed_txt = ", ".join(words(f) for f in assumed) if assumed else "none of those used here"
    body = f"""<main>
<h1>{e(sc.title)}</h1>
<p class=sub>{status} · crisis run of {e(f"{result.trials:,}")} trials, seed {e(result.seed)} ·
 scenario <code>{e(sc.id)}</code></p>
<h2>The scenario</h2>
{_features(result)}
<h2>Odds</h2>
<p>Most likely response: <b>{e(result.level)}</b> ({e(_pct(result.probabilities[result.level]))}).</p>
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
<p><small>{e(TIMING_CAPTION)}</small></p>
<h2>What the engine refused</h2>
{_refusals(result)}
{_record(result)}
<footer>
<p>Every figure on this page comes from a model, not from the record (except where marked “Record”). The
decision models weigh situation features; weights without a source are <span class=assumed>assumed</span>:
{e(assumed_txt)}. Timing follows a provisional model until the airlift planner replaces it.</p>
<p>Reproduce: <code>csto crisis run {e(sc.id)} --trials {e(result.trials)} --seed {e(result.seed)}</code>
 (seed {e(result.seed)}, {e(f"{result.trials:,}")} trials); the same seed gives the same figures.</p>
</footer>
</main>"""
    return page(f"{sc.title} — csto crisis report", CSS, body)
