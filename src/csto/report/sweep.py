"""A sweep as a picture: the Sobol indices S1 and ST with their 95 % bars, or each rung's probability along a
one-parameter grid, written as a PNG.

Figure objects only (no pyplot state); the file is written atomically. It runs no sweep.
"""

from __future__ import annotations

from pathlib import Path

from csto.model import RESPONSE_LADDER
from csto.report.files import save_png
from csto.sim.sweep import SweepResult


def write_plot(result: SweepResult, path: Path) -> Path:
    """A PNG: Sobol S1 and ST with their 95 % bars, or each rung's probability along a one-parameter grid.

    Figure objects only (no pyplot state); written to a temporary file and renamed into place."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 4.2), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if result.sobol is not None:
        s = result.sobol
        names = s.ranked()
        x = list(range(len(names)))
        w = 0.38

        def vals(d: dict[str, float | None]) -> list[float]:
            return [d[n] or 0.0 for n in names]

        ax.bar(
            [i - w / 2 for i in x], vals(s.S1), w, yerr=vals(s.S1_conf), capsize=3, label="S1 (first order)"
        )
        ax.bar([i + w / 2 for i in x], vals(s.ST), w, yerr=vals(s.ST_conf), capsize=3, label="ST (total)")
        ax.set_xticks(x, names, rotation=20, ha="right")
        ax.set_ylabel("share of the variance of the expected level")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.legend()
        ax.set_title(
            f"{result.scenario}: Sobol indices ({len(result.points):,} points × {result.trials:,} trials)"
        )
    else:
        (r,) = result.ranges
        xs = [p.values[r.name] for p in result.points]
        for lv in RESPONSE_LADDER:
            ax.plot(xs, [p.probabilities[lv] for p in result.points], marker="o", markersize=3, label=lv)
        ax.set_xlabel(r.name)
        ax.set_ylabel("probability")
        ax.set_ylim(-0.02, 1.02)
        ax.legend(title="rung")
        ax.set_title(f"{result.scenario}: odds along {r.name} ({result.trials:,} trials a point)")
    return save_png(fig, path)
