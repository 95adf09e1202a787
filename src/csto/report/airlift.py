"""The airlift plan as a picture: a Gantt chart of the sorties and the curve of troops on the ground.

Takes the plan's plain dict (``Plan.to_dict()``) so it needs nothing from the planner; Matplotlib is
imported inside the function and the PNG is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_plan(plan: dict[str, Any], path: Path, title: str) -> Path:
    """Write the Gantt chart and the on-ground curve to ``path`` (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    sorties = plan["sorties"]
    aircraft = sorted({s["aircraft"] for s in sorties})
    rows = {a: i for i, a in enumerate(aircraft)}
    states = sorted({s["state"] for s in sorties} | {r["state"] for r in plan["road_moves"]})
    palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
    colour = {st: palette[i % len(palette)] for i, st in enumerate(states)}
    height = min(14.0, 3.0 + 0.12 * max(len(aircraft), 1))
    fig = Figure(figsize=(12, height + 3))
    FigureCanvasAgg(fig)
    gs = fig.add_gridspec(2, 1, height_ratios=[height, 3], hspace=0.25)
    ax = fig.add_subplot(gs[0])
    for s in sorties:
        ax.barh(
            rows[s["aircraft"]],
            s["arrive_h"] - s["depart_h"],
            left=s["depart_h"],
            height=0.7,
            color=colour[s["state"]],
            edgecolor="none",
        )
    for i, r in enumerate(plan["road_moves"]):
        y = len(aircraft) + i
        ax.barh(
            y,
            r["arrive_h"] - r["depart_h"],
            left=r["depart_h"],
            height=0.7,
            color=colour[r["state"]],
            hatch="//",
            edgecolor="white",
        )
        rows[f"road: {r['unit']}"] = y
    labels = [*aircraft, *(f"road: {r['unit']}" for r in plan["road_moves"])]
    if len(labels) <= 40:
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels, fontsize=6)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{len(aircraft)} aircraft (one row each)")
    ax.invert_yaxis()
    ax.set_xlabel("hours after the order to deploy")
    ax.set_title(
        f"{title}: {len(sorties)} sorties by {len(aircraft)} aircraft — all in at {plan['makespan_hours']:.1f} h "
        f"(lower bound {plan['lower_bound_hours']:.1f} h, gap {plan['gap'] * 100:.1f} %)",
        fontsize=10,
    )
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=colour[s], label=s) for s in states], fontsize=7, loc="lower right")
    ax.axvline(plan["lower_bound_hours"], color="grey", linestyle=":", linewidth=1)
    ax2 = fig.add_subplot(gs[1], sharex=ax)
    ts = [p["t_hours"] for p in plan["on_ground"]]
    ax2.step(
        ts, [p["personnel"] for p in plan["on_ground"]], where="post", color="#08519c", label="personnel"
    )
    ax2.step(ts, [p["vehicles"] for p in plan["on_ground"]], where="post", color="#e6550d", label="vehicles")
    ax2.set_ylabel("on the ground")
    ax2.legend(fontsize=7, loc="lower right")
    ax2.grid(alpha=0.3)
    from csto.report.files import save_png

    return save_png(fig, path, dpi=110, bbox_inches="tight")
