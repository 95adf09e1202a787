"""Plain-text labels shared by every report, HTML or PDF: how a stance reads, how hours read, snake_case as
words.

Text only: no markup, no escaping (``markup`` escapes for HTML, the PDF folds to latin-1).
"""

from __future__ import annotations

STANCE_LABEL = {"support": "support", "stand_aside": "stand aside", "object": "object", "absent": "absent"}


def words(x: object) -> str:
    """``snake_case`` as words (``None`` reads as nothing)."""
    return "" if x is None else str(x).replace("_", " ")


def stance_label(x: object) -> str:
    """A vote's stance as people read it ('stand aside'); an unknown one as its words; nothing as '—'."""
    s = "" if x is None else str(x)
    return STANCE_LABEL.get(s, words(s)) or "—"


def hours(h: float | None) -> str:
    """Signed hours, with the day once it is two days or more: '+5.0 h', '+64.0 h (day 2.7)', '—' for none."""
    if h is None:
        return "—"
    sign = "+" if h >= 0 else "-"
    txt = f"{sign}{abs(h):,.1f} h"
    return txt if abs(h) < 48 else f"{txt} (day {h / 24:.1f})"
