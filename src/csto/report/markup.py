"""HTML building blocks shared by the crisis report and the after-action report: escaping, tables, stance
spans, bullet lists, embedded figures, the page shell and the CSS rules both pages use.

Every piece returns HTML with all untrusted text escaped; it knows nothing of crises or exercises.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping, Sequence

from csto.report.text import STANCE_LABEL, stance_label

# CSS rules both pages share, in the order each page places them among its own.
CSS_BODY = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1d1d;
 background:#fafafa;margin:0}
"""
CSS_TABLES = """table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:14px}
th,td{border:1px solid #dcdcdc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f4f7}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
"""
CSS_STANCES = """.s-support{color:#2e7d32;font-weight:600}.s-stand_aside{color:#8a6100;font-weight:600}
.s-object{color:#c62828;font-weight:600}.s-absent{color:#777}
"""
CSS_FIGURES = """figure{margin:14px 0}figure img{max-width:100%;border:1px solid #e5e5e5}
figcaption{font-size:13px;color:#555}
"""
CSS_FOOTER = """footer{margin-top:36px;border-top:1px solid #ddd;padding-top:10px;font-size:13px;color:#444}
"""


def e(x: object) -> str:
    """``x`` as escaped HTML text (quotes too); ``None`` reads as nothing."""
    return html.escape("" if x is None else str(x), quote=True)


def table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    row_class: Mapping[int, str] | None = None,
) -> str:
    """A table; cells are already-escaped HTML. ``numeric`` columns align right; ``row_class`` gives some rows
    (by index) a class, such as the departure colour or the highlighted row."""
    num, cls = set(numeric), row_class or {}
    out = ["<table><thead><tr>", *(f"<th>{e(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for k, row in enumerate(rows):
        out.append(f"<tr class={cls[k]}>" if k in cls else "<tr>")
        out.extend(f"<td{' class=n' if i in num else ''}>{c}</td>" for i, c in enumerate(row))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def stance(x: object) -> str:
    """A stance in its colour (a known stance only, so that no text reaches the class attribute); '—' for none."""
    s = "" if x is None else str(x)
    if not s:
        return "—"
    cls = f" class='s-{s}'" if s in STANCE_LABEL else ""
    return f"<span{cls}>{e(stance_label(s))}</span>"


def bullets(xs: Sequence[str]) -> str:
    """A compact bullet list, or '—' for none."""
    if not xs:
        return "—"
    return "<ul class=r>" + "".join(f"<li>{e(x)}</li>" for x in xs) + "</ul>"


def figure(png: bytes, caption: str) -> str:
    """A PNG embedded as a data URI, the caption as its alt text and below it."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f"<figure><img alt='{e(caption)}' src='data:image/png;base64,{data}'>"
        f"<figcaption>{e(caption)}</figcaption></figure>"
    )


def page(title: str, css: str, body: str) -> str:
    """A whole self-contained HTML document: the CSS inline, nothing fetched."""
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{e(title)}</title><style>{css}</style></head><body>\n{body}\n</body></html>\n"
    )
