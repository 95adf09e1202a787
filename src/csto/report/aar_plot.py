"""The after-action report's one figure: personnel on the ground against hours since the exercise started,
with the tasked force as a dashed line, as PNG bytes.

Matplotlib drives the Agg canvas directly (no pyplot state); nothing here writes files.
"""

from __future__ import annotations

from csto.report.aar_record import AarRecord
from csto.report.files import png_bytes
from csto.report.text import hours


def _mpl(x: str) -> str:
    """Text safe for a Matplotlib label: dollar signs would switch on mathtext (and can fail to parse)."""
    return x.replace("\\", "/").replace("$", r"\$")


def troop_curve_png(aar: AarRecord) -> bytes:
    """Step plot of personnel on the ground against hours since the exercise start; tasked as a dashed line.

    With no troops it is a small figure saying so (and how many were tasked), never an empty axis.
    """
    from matplotlib.figure import Figure

    ex = aar.exercise
    title = _mpl(ex.name)
    pts = aar.curve()
    tasked = aar.tasked
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
        return png_bytes(fig)
    fig = Figure(figsize=(8, 3.8))
    ax = fig.add_subplot()
    end = ex.duration_hours
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
        ax.axvline(end, color="#777777", linestyle=":", linewidth=1, label=f"exercise ended ({hours(end)})")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(0, max(top, 1) * 1.12)
    ax.set_xlabel("hours since the exercise started")
    ax.set_ylabel("personnel on the ground")
    ax.set_title(f"{title}\npersonnel on the ground", fontsize=11)
    ax.grid(color="#eeeeee")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    return png_bytes(fig)
