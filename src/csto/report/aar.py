"""The after-action report of a tabletop exercise, the entry point: the troop curve (PNG), one self-contained
HTML page, a PDF, each from an ``AarRecord``.

Each also takes the room's dict of today, read through ``AarRecord.from_dict``. The work lives in
``aar_record`` (the input), ``aar_text`` (words both formats share), ``aar_plot``, ``aar_html`` and ``aar_pdf``;
nothing here reads the ledger, the database or the engine, or writes a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csto.report import aar_html, aar_pdf, aar_plot
from csto.report.aar_record import AarRecord

Aar = AarRecord | Mapping[str, Any]


def troop_curve_png(aar: Aar) -> bytes:
    """Personnel on the ground against hours since the exercise started, the tasked force dashed (PNG)."""
    return aar_plot.troop_curve_png(AarRecord.coerce(aar))


def render_html(aar: Aar) -> str:
    """The report as one self-contained, printable HTML page (CSS inline, the curve a data URI)."""
    return aar_html.render_html(AarRecord.coerce(aar))


def render_pdf(aar: Aar) -> bytes:
    """The report as a PDF (A4, Helvetica): the same sections as the HTML page, the curve embedded."""
    return aar_pdf.render_pdf(AarRecord.coerce(aar))


__all__ = ["AarRecord", "render_html", "render_pdf", "troop_curve_png"]
