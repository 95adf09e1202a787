"""The after-action report as a PDF (A4, fpdf2's core Helvetica): the same sections as the HTML page, the
troop curve embedded.

Reads an ``AarRecord`` only. Core fonts hold latin-1 alone, so every string is folded here (known signs to
ASCII, Cyrillic spelt out, anything else '?'); a cell too tall for a page is cut. It writes no file.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from csto.report import aar_text as t
from csto.report.aar_plot import troop_curve_png
from csto.report.aar_record import AarRecord
from csto.report.files import DPI
from csto.report.text import hours, stance_label, words

MAX_CELL = 5000  # characters of one table cell in the PDF; a longer text is cut (the HTML keeps it whole)
MAX_LINES = 40  # lines of one table cell in the PDF, so that a row always fits on a page

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


def latin1(text: Any) -> str:
    """``text`` in latin-1 only, for fpdf2's core fonts: known signs folded, Cyrillic spelt out, else '?'."""
    out = []
    for ch in "" if text is None else str(text):
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
    s = latin1(text)
    return s if len(s) <= MAX_CELL else s[: MAX_CELL - 3] + "..."


class _Writer:
    """fpdf2's document with the report's few moves: a heading, a paragraph, a table, the key-value header."""

    def __init__(self, title: str, ident: str) -> None:
        from fpdf import FPDF
        from fpdf.fonts import FontFace

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
        self.pdf = pdf
        self.width = pdf.epw
        self.head_style = FontFace(emphasis="BOLD", fill_color=(241, 244, 247))
        self.dep_style = FontFace(emphasis="BOLD", color=(230, 81, 0), fill_color=(255, 244, 229))
        self.dep_row = FontFace(fill_color=(255, 244, 229))
        self.bad_style = FontFace(emphasis="BOLD", color=(198, 40, 40))

    def heading(self, text: str, size: float = 13) -> None:
        from fpdf.enums import XPos, YPos

        pdf = self.pdf
        if pdf.get_y() > pdf.h - 45:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(self.width, size * 0.5, _cell(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if size >= 13:
            pdf.set_draw_color(31, 95, 139)
            pdf.set_line_width(0.5)
            pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + self.width, pdf.get_y() + 0.5)
            pdf.set_line_width(0.2)
            pdf.set_draw_color(0, 0, 0)
        pdf.ln(2)

    def para(self, text: str, size: float = 9.5, style: str = "") -> None:
        from fpdf.enums import XPos, YPos

        self.pdf.set_font("Helvetica", style, size)
        self.pdf.multi_cell(
            self.width, size * 0.5, _cell(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.pdf.ln(1.5)

    def fit(self, text: Any, w: float) -> str:
        """The cell's text cut to MAX_LINES lines of a column ``w`` mm wide (fpdf2 refuses a row over a page)."""
        from fpdf.enums import MethodReturnValue

        s = _cell(text)
        lines = self.pdf.multi_cell(w - 3, 3.8, s, dry_run=True, output=MethodReturnValue.LINES)
        if not isinstance(lines, list) or len(lines) <= MAX_LINES:
            return s
        return "\n".join(lines[: MAX_LINES - 1]) + "\n[... cut; the HTML report has it all]"

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        marked: Iterable[int] = (),
    ) -> None:
        mark = set(marked)
        self.pdf.set_font("Helvetica", size=8)
        with self.pdf.table(
            col_widths=tuple(widths),
            width=self.width,
            text_align="LEFT",
            line_height=3.8,
            headings_style=self.head_style,
            padding=1,
        ) as tbl:
            top = tbl.row()
            for h in head:
                top.cell(_cell(h))
            for k, row in enumerate(rows):
                r = tbl.row()
                for i, (c, w) in enumerate(zip(row, widths, strict=True)):
                    style = (self.dep_style if i == len(row) - 1 else self.dep_row) if k in mark else None
                    r.cell(self.fit(c, w), style=style)
        self.pdf.ln(2)

    def key_values(self, rows: Sequence[tuple[str, str, bool]]) -> None:
        """A two-column table of (key, value, shown as bad) rows."""
        self.pdf.set_font("Helvetica", size=9)
        with self.pdf.table(
            col_widths=(30, self.width - 30),
            width=self.width,
            text_align="LEFT",
            first_row_as_headings=False,
            padding=1,
            line_height=4.4,
        ) as tbl:
            for key, value, bad in rows:
                r = tbl.row()
                r.cell(_cell(key), style=self.head_style)
                r.cell(self.fit(value, self.width - 30), style=self.bad_style if bad else None)
        self.pdf.ln(2)

    def image(self, png: bytes) -> None:
        """The PNG at its own size (pixels at DPI), never wider than the text: the "no troops" figure stays small."""
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 100:
            pdf.add_page()
        natural = int.from_bytes(png[16:20], "big") / DPI * 25.4 if png[12:16] == b"IHDR" else self.width
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=min(self.width, natural))
        pdf.ln(2)


def _header(w: _Writer, aar: AarRecord) -> None:
    from fpdf.enums import XPos, YPos

    ex = aar.exercise
    w.pdf.set_font("Helvetica", "B", 18)
    w.pdf.multi_cell(w.width, 8, _cell(ex.name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    w.para("After-action report", 11, "I")
    w.key_values(
        [
            ("Exercise", ex.id or "-", False),
            ("Scenario", (ex.scenario_title or "-") + (f" ({ex.scenario})" if ex.scenario else ""), False),
            ("Alliance", ex.alliance.upper() or "-", False),
            ("Started", t.date(ex.started), False),
            ("Ended", t.ended(ex) or t.NOT_ENDED, False),
            ("Outcome", t.outcome(aar.outcome), False),
            ("Ledger head", ex.ledger_head or "none", False),
            ("Ledger check", t.verified(ex.verified), ex.verified is False),
            ("Checkpoint", t.checkpoint(ex), False),
        ]
    )


def _seats(w: _Writer, aar: AarRecord) -> None:
    w.heading("Seats")
    if not aar.seats:
        w.para(t.NO_SEATS)
        return
    w.table(
        ["State", "Name", "Held by", "User"],
        [[s.state or "-", s.name or "-", s.holder or "-", s.user or "-"] for s in aar.seats],
        (20, 70, 40, 50),
    )


def _timeline(w: _Writer, aar: AarRecord) -> None:
    w.heading("Timeline")
    if not aar.timeline:
        w.para(t.NO_EVENTS)
        return
    w.table(
        ["Since start", "At", "Actor", "Event", "What happened"],
        [[hours(aar.hours_of(r)), t.date(r.at), r.actor or "-", r.kind, r.text] for r in aar.timeline],
        (20, 27, 14, 29, 90),
    )


def _rounds(w: _Writer, aar: AarRecord) -> None:
    w.heading("Council rounds")
    if not aar.rounds:
        w.para(t.NO_ROUNDS)
    users = aar.users()
    for k, rnd in enumerate(aar.rounds, 1):
        w.heading(t.round_title(rnd, k), 11)
        if not rnd.votes:
            w.para(t.NO_VOTES)
            continue
        w.para(f"Votes: {t.tally(rnd.votes)}.", 8.5)
        w.table(
            ["State", "Position", "Reason", "Seat held by", "Model expected", "Model's reasons", "Departure"],
            [
                [
                    v.state or "-",
                    stance_label(v.position),
                    v.reason or "-",
                    t.holder(v, users),
                    stance_label(v.model_position),
                    "\n".join(v.model_reasons) or "-",
                    "DEPARTED from the model" if v.departed else "",
                ]
                for v in rnd.votes
            ],
            (13, 17, 44, 22, 18, 42, 24),
            [i for i, v in enumerate(rnd.votes) if v.departed],
        )


def _departures(w: _Writer, aar: AarRecord) -> None:
    w.heading("Where the humans departed from the model")
    deps = aar.departures
    if not deps:
        w.para(t.no_departure(aar))
        return
    w.para(t.departures_intro(len(deps)))
    w.table(
        ["Round", "State", "Human voted", "Model expected", "Human's reason", "Model's reasons"],
        [
            [
                str(d.round) if d.round is not None else "-",
                d.state or "-",
                stance_label(d.human),
                stance_label(d.model),
                d.reason or "-",
                "\n".join(d.model_reasons) or "-",
            ]
            for d in deps
        ],
        (13, 14, 22, 22, 59, 50),
    )


def _troops(w: _Writer, aar: AarRecord) -> None:
    w.heading("Troops on the ground")
    w.image(troop_curve_png(aar))
    w.para(t.troop_summary(aar), 9, "I")
    if not aar.troops:
        return
    rows = [
        [hours(h), t.date(p.at), p.state or "-", f"{p.arrived:,}", f"{n:,}" if n is not None else "-"]
        for p, h, n in aar.troop_rows()
    ]
    w.table(["Since start", "At", "State", "Arrived", "On the ground"], rows, (30, 45, 30, 35, 40))


def _refusals(w: _Writer, aar: AarRecord) -> None:
    w.heading("What was refused")
    if not aar.refusals:
        w.para(t.NO_REFUSALS)
        return
    w.table(
        ["Since start", "Actor", "Action", "Article", "Reason"],
        [
            [hours(aar.since_start(r.at)), r.actor or "-", words(r.action) or "-", r.article or "-", r.reason]
            for r in aar.refusals
        ],
        (20, 16, 22, 32, 90),
    )


def render_pdf(aar: AarRecord) -> bytes:
    """The after-action report as a PDF (A4, Helvetica): the same sections as the HTML page, the curve embedded."""
    w = _Writer(latin1(aar.exercise.name), latin1(aar.exercise.id))
    for section in (_header, _seats, _timeline, _rounds, _departures, _troops, _refusals):
        section(w, aar)
    return bytes(w.pdf.output())
