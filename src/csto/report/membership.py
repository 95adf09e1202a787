"""The membership timeline as rows, as a Gantt chart in the terminal and as a Matplotlib PNG.

Rows are plain dicts so they can go straight to JSON. Plotting imports Matplotlib lazily and
writes the file atomically (a temporary file renamed into place).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from csto.model import Dataset

STATUS_CHARS = {
    "signatory": "░",
    "member": "█",
    "frozen": "▒",
    "suspended": "▓",
    "withdrawn": "·",
    "observer": "o",
    "partner": "p",
}
STATUS_COLOURS = {
    "signatory": "#9ecae1",
    "member": "#08519c",
    "frozen": "#fdae6b",
    "suspended": "#e6550d",
    "withdrawn": "#d9d9d9",
    "observer": "#74c476",
    "partner": "#31a354",
}


def membership_rows(ds: Dataset, until: dt.date) -> list[dict[str, Any]]:
    """One row per state: its intervals with status, dates, basis, source and confidence."""
    rows = []
    for s in ds.states:
        rows.append(
            {
                "iso3": s.iso3,
                "name": s.name,
                "intervals": [
                    {
                        "status": m.status,
                        "start": m.start.isoformat(),
                        "end": m.end.isoformat() if m.end else None,
                        "basis": m.basis,
                        "source": list(m.source),
                        "confidence": m.confidence,
                    }
                    for m in s.memberships
                ],
                "until": until.isoformat(),
            }
        )
    return rows


def _span(ds: Dataset, until: dt.date) -> tuple[dt.date, dt.date]:
    return ds.info.founded.replace(month=1, day=1), until


def render_gantt_text(ds: Dataset, rows: list[dict[str, Any]], width: int = 80) -> str:
    """A text Gantt chart: one line per state, one character per slice of time."""
    until = dt.date.fromisoformat(rows[0]["until"]) if rows else dt.date.today()
    start, end = _span(ds, until)
    total = (end - start).days or 1
    lines = []
    years = list(range(start.year, end.year + 1, 4))
    axis = [" "] * width
    for y in years:
        pos = int((dt.date(y, 1, 1) - start).days / total * width)
        label = str(y)
        for i, ch in enumerate(label):
            if 0 <= pos + i < width:
                axis[pos + i] = ch
    lines.append(f"{'':16} " + "".join(axis))
    for row in rows:
        cells = [" "] * width
        for iv in row["intervals"]:
            a = dt.date.fromisoformat(iv["start"])
            b = dt.date.fromisoformat(iv["end"]) if iv["end"] else end
            i0 = max(0, int((a - start).days / total * width))
            i1 = min(width, max(i0 + 1, int((b - start).days / total * width)))
            for i in range(i0, i1):
                cells[i] = STATUS_CHARS[iv["status"]]
        lines.append(f"{row['iso3']} {row['name'][:12]:<12} " + "".join(cells))
    legend = "  ".join(f"{ch} {name}" for name, ch in STATUS_CHARS.items())
    lines.append("")
    lines.append(legend)
    lines.append("Dates and sources: csto members --history --json")
    return "\n".join(lines)


def plot_gantt(ds: Dataset, rows: list[dict[str, Any]], path: Path) -> Path:
    """Write the membership Gantt chart as a PNG at ``path`` and return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    until = dt.date.fromisoformat(rows[0]["until"]) if rows else dt.date.today()
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(rows) + 1.8))
    for y, row in enumerate(reversed(rows)):
        for iv in row["intervals"]:
            a = dt.date.fromisoformat(iv["start"])
            b = dt.date.fromisoformat(iv["end"]) if iv["end"] else until
            x0 = float(mdates.date2num(a))
            ax.barh(
                y,
                float(mdates.date2num(b)) - x0,
                left=x0,
                height=0.6,
                color=STATUS_COLOURS[iv["status"]],
                edgecolor="white",
                hatch="//" if iv.get("confidence") in ("low", "medium", "unverified") else None,
            )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r['name']} ({r['iso3']})" for r in reversed(rows)])
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.YearLocator(4))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_title(f"{ds.info.full_name}: membership over time")
    used = sorted({iv["status"] for r in rows for iv in r["intervals"]}, key=list(STATUS_COLOURS).index)
    handles = [Patch(color=STATUS_COLOURS[s], label=s) for s in used]
    handles.append(Patch(facecolor="white", edgecolor="grey", hatch="//", label="date or status disputed"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.text(0.01, 0.01, "Sources: csto members --history --json", fontsize=8, color="grey")
    fig.tight_layout()
    from csto.report.files import save_png

    try:
        return save_png(fig, path, dpi=120)
    finally:
        plt.close(fig)
