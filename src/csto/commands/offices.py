"""The dated offices and practices of ``csto info`` (the chair of each body, its office-holders and the
practices attested on the view's date, as JSON and as Rich rows) and the coding notes of ``members --history``.

A chair the sources do not give reads "unknown"; a low-confidence or unverified value carries the shared mark
(``csto.model.common.marked``). It renders only; dating is done by ``csto.model``.
"""

from __future__ import annotations

from typing import Any

from csto.model.bodies import UNKNOWN
from csto.model.common import MARK_LEGEND, marked


def chair_doc(a: Any, body_id: str = "csc") -> dict[str, Any]:
    """The chair of ``body_id`` on the view's date: state (or "unknown"), period, confidence, source, note."""
    b = a.body(body_id)
    period = b.chair.period_on(a.at) if b is not None and b.chair is not None else None
    if period is None:
        return {"state": UNKNOWN, "note": "no chair period covers this date in the data"}
    out: dict[str, Any] = {
        "state": period.state,
        "from": period.start.isoformat(),
        "until": period.end.isoformat(),
        "source": list(period.source),
    }
    if period.confidence:
        out["confidence"] = period.confidence
    if period.note:
        out["note"] = period.note
    return out


def body_doc(a: Any, b: Any) -> dict[str, Any]:
    """One body on the view's date: decision rule, founding date, chair (state, "unknown", or None if the body
    has no chair) and office-holders, each with its confidence."""
    period = b.chair.period_on(a.at) if b.chair is not None else None
    chair = None if b.chair is None else (b.chair_on(a.at) or UNKNOWN)
    return {
        "id": b.id,
        "name": b.name,
        "short": b.short,
        "decision_rule": b.decision_rule.rule,
        "stand_aside": b.decision_rule.stand_aside,
        "established": b.established.date.isoformat(),
        "chair": chair,
        "chair_confidence": period.confidence if period is not None and chair != UNKNOWN else None,
        "officers": [
            {
                "role": o.role,
                "name": o.name,
                "state": o.state,
                "acting": o.acting,
                "start": o.start.isoformat(),
                "confidence": o.confidence or "high",
            }
            for o in b.officers_on(a.at)
        ],
        "source": list(b.source),
    }


def holders_text(bd: dict[str, Any]) -> str:
    """The Bodies table's cell: the chair, or the office-holders, each with the shared confidence mark."""
    if bd["chair"]:
        return marked(bd["chair"], bd["chair_confidence"])
    return ", ".join(
        marked(f"{o['role']}: {o['name']} ({o['state']})", o["confidence"]) for o in bd["officers"]
    )


def practices_doc(a: Any) -> list[dict[str, Any]]:
    """The practices attested on the view's date; ``uncertain`` where the covering period is low or unverified."""
    out = []
    for pr, period in a.practices():
        out.append(
            {
                "id": pr.id,
                "name": pr.name,
                "description": pr.description,
                "bodies": list(pr.bodies),
                "attested_from": period.start.isoformat(),
                "attested_until": period.end.isoformat() if period.end else None,
                "confidence": period.confidence or "high",
                "uncertain": period.confidence in ("low", "unverified"),
                "source": list(period.source),
                **({"note": period.note} if period.note else {}),
            }
        )
    return out


def chair_text(chair: dict[str, Any]) -> str:
    """``RUS chairs the Council`` (marked when uncertain) or ``the Council's chair is unknown``."""
    if chair["state"] == UNKNOWN:
        return "the Council's chair is unknown"
    return marked(f"{chair['state']} chairs the Council", chair.get("confidence"))


def practice_lines(practices: list[dict[str, Any]]) -> list[str]:
    """The lines to print for the attested practices: one sentence listing them, and the mark legend if any is
    uncertain; no lines when none is attested."""
    if not practices:
        return []
    items = [
        marked(
            f"{p['name']} (attested {p['attested_from']} to {p['attested_until'] or 'now'})", p["confidence"]
        )
        for p in practices
    ]
    lines = ["Practices attested on this date: " + "; ".join(items)]
    if any(p["uncertain"] for p in practices):
        lines.append(f"[dim]{MARK_LEGEND}[/dim]")
    return lines


def coding_notes(rows: list[dict[str, Any]]) -> list[str]:
    """Under the membership timeline: each interval coded with less than high confidence, with its basis (e.g.
    Uzbekistan's 2012 suspension, coded withdrawn because it ended in practice as a departure)."""
    lines = []
    for row in rows:
        for iv in row["intervals"]:
            if iv["confidence"] not in (None, "high"):
                lines.append(
                    marked(f"{row['iso3']} {iv['status']} from {iv['start']}", iv["confidence"])
                    + f" ({iv['confidence']}): {iv['basis']}"
                )
    if lines:
        lines.insert(0, "Coded with less than high confidence:")
    return lines
