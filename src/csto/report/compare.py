"""Two alliances side by side, built from their data: provisions in ATOP-style codes, decision rules and
bodies, members with population, GDP and military spending (and the largest member's share), forces and
the history of invocations. Plain dicts out, so the CLI can print them and tests can read them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csto.model import Alliance
from csto.model.common import Quantity
from csto.model.figures import same_year, total_doc


def _largest(figures: dict[str, Quantity | None]) -> dict[str, Any]:
    """The total of the members' figures of the view's date, the largest member's share, and the figures' years."""
    values = {k: q.value for k, q in figures.items() if q is not None}
    facts = total_doc(list(figures.values()))
    total = sum(values.values())
    if not values or total <= 0:
        return {**facts, "total": total, "largest": None, "share": None}
    top = max(values, key=lambda k: values[k])
    return {**facts, "total": total, "largest": top, "share": round(values[top] / total, 4)}


def profile(a: Alliance) -> dict[str, Any]:
    """One alliance on its view's date, as plain data."""
    members = a.members
    pop = {m.iso3: m.state.population.at(a.at) for m in members}
    gdp = dict(
        zip((m.iso3 for m in members), same_year([m.state.gdp_usd for m in members], a.at), strict=True)
    )
    spend = {m.iso3: m.state.spending_usd(a.at) for m in members}
    pers = {m.iso3: m.state.military_personnel.at(a.at) for m in members}
    coded = [p for p in a.provisions if p.version.codes]
    return {
        "id": a.id,
        "name": a.name,
        "full_name": a.dataset.info.full_name,
        "founded": a.dataset.info.founded.isoformat(),
        "lead_state": a.dataset.info.lead_state,
        "members": [
            {
                "iso3": m.iso3,
                "name": m.state.name,
                "status": m.status,
                "since": m.membership.start.isoformat(),
            }
            for m in members
        ],
        "member_count": len(members),
        "population": _largest(pop),
        "gdp_usd": _largest(gdp),
        "military_spending_usd_derived": _largest(spend),
        "military_personnel": _largest(pers),
        "figures_note": "Each member's figure of the date's year or the latest earlier one, never a later one; "
        "'years' lists the years added, 'missing' the members with none by then; GDP adds one year for all members "
        "(the latest they all have), and spending is a share of GDP times the GDP of the same year.",
        "decision_rules": [
            {
                "body": b.id,
                "name": b.name,
                "rule": b.decision_rule.rule,
                "stand_aside": b.decision_rule.stand_aside,
                "quorum": b.decision_rule.quorum,
                "procedural": b.decision_rule.procedural,
                "source": list(b.decision_rule.source),
            }
            for b in a.bodies
            if b.decision_rule.rule != "none"
        ],
        "bodies": [{"id": b.id, "name": b.name, "kind": b.kind} for b in a.bodies],
        "coded_provisions": [
            {"citation": p.citation, "title": p.title, "codes": list(p.version.codes)} for p in coded
        ],
        "coded_provision_count": len(coded),
        "atop": {c.variable: c.value for c in a.dataset.atop.codes},
        "atop_id": a.dataset.atop.atop_id,
        "forces": [
            {
                "id": f.id,
                "name": f.name,
                "status": f.status,
                "strength": f.registered_total,
                "confidence": f.confidence,
            }
            for f in a.forces
        ],
        # An invocation is an episode in which a state invoked an article (consultation or collective defence);
        # every other episode is a crisis the alliance faced without one.
        "invocations": [
            _episode_row(e) for e in a.episodes if e.start <= a.at and e.request.article != "none"
        ],
        "crises": [_episode_row(e) for e in a.episodes if e.start <= a.at and e.request.article == "none"],
    }


def _episode_row(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "title": e.title,
        "start": e.start.isoformat(),
        "article": e.request.article,
        "response": e.response.level,
    }


def compare(left: Alliance, right: Alliance) -> dict[str, Any]:
    """Both alliances on the same date, and the side-by-side views."""
    lp, rp = profile(left), profile(right)
    variables = sorted(set(lp["atop"]) | set(rp["atop"]))
    codes: dict[str, dict[str, list[str]]] = {}
    for side, prof in ((left.id, lp), (right.id, rp)):
        for p in prof["coded_provisions"]:
            for c in p["codes"]:
                codes.setdefault(c, {left.id: [], right.id: []})[side].append(p["citation"])
    return {
        "at": left.at.isoformat(),
        "alliances": {left.id: lp, right.id: rp},
        "atop_side_by_side": [
            {"variable": v, left.id: lp["atop"].get(v), right.id: rp["atop"].get(v)} for v in variables
        ],
        "shared_codes": sorted(c for c, sides in codes.items() if all(sides.values())),
        "codes": codes,
    }


def plot_compare(doc: dict[str, Any], path: Path) -> Path:
    """Bar chart: the largest member's share of population, GDP, spending and personnel, per alliance."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    ids = list(doc["alliances"])
    measures = ["population", "gdp_usd", "military_spending_usd_derived", "military_personnel"]
    labels = ["population", "GDP", "military spending", "active personnel"]
    fig = Figure(figsize=(9, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.38
    for k, aid in enumerate(ids):
        prof = doc["alliances"][aid]
        shares = [prof[m]["share"] or 0.0 for m in measures]
        xs = [i + (k - 0.5) * width for i in range(len(measures))]
        bars = ax.bar(
            xs,
            shares,
            width,
            label=f"{prof['name']} (largest: "
            + ", ".join(sorted({str(prof[m]["largest"]) for m in measures}))
            + ")",
        )
        for b, v in zip(bars, shares, strict=True):
            ax.text(b.get_x() + b.get_width() / 2, v + 0.01, f"{v:.0%}", ha="center", fontsize=8)
    ax.set_xticks(range(len(measures)))
    ax.set_xticklabels(labels)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of the largest member")
    ax.set_title(f"How dominant is the largest member? ({doc['at']})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    from csto.report.files import save_png

    return save_png(fig, path, dpi=110)
