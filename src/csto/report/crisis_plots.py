"""The crisis report's plots, as PNG bytes: the odds of each rung, the vote matrix with each member's reasons,
and the central run's timeline with personnel on the ground.

Matplotlib is imported inside the functions and drives the Agg canvas directly (no pyplot state); nothing here
writes files or builds HTML.
"""

from __future__ import annotations

from typing import Any

from csto.model import RESPONSE_LADDER
from csto.report.crisis_common import TIMING_CAPTION, absent_members, on_ground, signed, voting_order
from csto.report.files import png_bytes
from csto.report.text import hours, stance_label, words
from csto.sim.montecarlo import CrisisResult

STANCE_COLOUR = {"support": "#2e7d32", "stand_aside": "#f2b632", "object": "#c62828", "absent": "#e3e3e3"}
STANCE_TEXT = {"support": "white", "stand_aside": "black", "object": "white", "absent": "#555555"}


def odds_png(result: CrisisResult) -> bytes:
    """Bar chart of each rung's probability with its 95 % interval; the recorded rung marked."""
    from matplotlib.figure import Figure

    probs, ci = result.probabilities, result.ci95
    levels = list(RESPONSE_LADDER)
    p = [probs[lv] for lv in levels]
    # Clamped at 0: at p = 0 or 1 the Wilson bound can miss p by a rounding error.
    err = [
        [max(0.0, probs[lv] - ci[lv][0]) for lv in levels],
        [max(0.0, ci[lv][1] - probs[lv]) for lv in levels],
    ]
    recorded = result.record.get("level") if result.record else None
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.add_subplot()
    colours = ["#1f5f8b" if lv == result.level else "#8fb3cc" for lv in levels]
    bars = ax.bar(levels, p, color=colours, yerr=err, capsize=5, ecolor="#333333", zorder=2)
    for bar, lv in zip(bars, levels, strict=True):
        lo, hi = ci[lv]
        ax.annotate(
            f"{probs[lv]:.2f}\n[{lo:.2f}–{hi:.2f}]",
            (bar.get_x() + bar.get_width() / 2, hi),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
        if lv == recorded:
            bar.set_edgecolor("#c62828")
            bar.set_linewidth(2.5)
            ax.annotate(
                "recorded",
                (bar.get_x() + bar.get_width() / 2, 0),
                xytext=(0, -26),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=9,
                color="#c62828",
                fontweight="bold",
            )
    ax.set_ylim(0, 1.22)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.set_ylabel("probability (95 % Wilson interval)")
    ax.grid(axis="y", color="#dddddd", zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    sc = result.scenario
    kind = f" (episode {sc.episode})" if sc.episode else " (hypothetical)" if sc.hypothetical else ""
    if "hypothetical" in sc.title.lower() or (sc.episode and sc.episode in sc.title):
        kind = ""
    ax.set_title(
        f"{sc.title}{kind}\nodds of each response over {result.trials:,} trials, seed {result.seed}",
        fontsize=11,
    )
    key = "dark bar: the most likely response" + ("; red outline: the recorded response" if recorded else "")
    ax.text(1.0, -0.2, key, transform=ax.transAxes, ha="right", fontsize=8, color="#555555")
    return png_bytes(fig)


def votes_png(result: CrisisResult) -> bytes:
    """The vote matrix (members × rungs tried) with the top three reasons for each member's final vote."""
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    c = result.central
    members = voting_order(result)
    rounds = c.rounds
    absentees = absent_members(result, members)
    members += list(absentees)
    if not rounds or not members:
        fig = Figure(figsize=(8, 1.6))
        fig.text(0.5, 0.6, f"{result.scenario.title}: votes in the central run", ha="center", fontsize=11)
        fig.text(0.5, 0.3, "No Council round was held: nothing was put to a vote.", ha="center", fontsize=10)
        return png_bytes(fig)
    stances = list(STANCE_COLOUR)
    absent = stances.index("absent")
    cells = [
        [stances.index(s) if (s := rnd["votes"].get(m)) in stances else absent for rnd in rounds]
        for m in members
    ]
    ncol, nrow = len(rounds), len(members)
    matrix_w, side_w = 1.15 * ncol + 0.7, 9.6
    height = 1.45 + 0.45 * nrow
    fig = Figure(figsize=(matrix_w + side_w, height))
    # Room above the matrix (in inches) for the two-line column labels, the reasons' header and the title.
    fig.subplots_adjust(top=1 - 1.2 / height, bottom=0.12 / height, left=0.02, right=0.99)
    grid = fig.add_gridspec(1, 2, width_ratios=[matrix_w, side_w], wspace=0.03)
    ax = fig.add_subplot(grid[0, 0])
    side = fig.add_subplot(grid[0, 1], sharey=ax)
    cmap = ListedColormap([STANCE_COLOUR[s] for s in stances])
    ax.imshow(cells, cmap=cmap, vmin=-0.5, vmax=len(stances) - 0.5, aspect="auto")
    for i, m in enumerate(members):
        for j, rnd in enumerate(rounds):
            s = rnd["votes"].get(m, "absent")
            ax.text(
                j,
                i,
                stance_label(s),
                ha="center",
                va="center",
                fontsize=9,
                color=STANCE_TEXT.get(s, "black"),
            )
    ax.set_xticks(range(ncol))
    ax.set_xticklabels(
        [
            f"{i + 1}. {r['level']}\n{'adopted' if r.get('adopted') else 'not adopted'}"
            for i, r in enumerate(rounds)
        ],
        fontsize=9,
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(nrow))
    ax.set_yticklabels(members, fontsize=10, fontweight="bold")
    ax.set_xticks([x - 0.5 for x in range(1, ncol)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, nrow)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    # The reasons, in columns, one line per member, aligned with the matrix rows.
    side.set_axis_off()
    side.set_xlim(0, 1)
    by_member = {v.iso3: v for v in c.votes}
    final = c.votes[0].level if c.votes else rounds[-1]["level"]
    cols = (0.02, 0.10, 0.40, 0.70)
    top: dict[str, Any] = {
        "xycoords": ("axes fraction", "data"),
        "textcoords": "offset points",
        "va": "bottom",
    }
    side.annotate(
        f"Why each member voted as it did on {final} (largest contributions: weight × value)",
        (cols[0], -0.5),
        xytext=(0, 20),
        fontsize=9,
        fontweight="bold",
        **top,
    )
    for x, head in zip(cols, ("score", "1st reason", "2nd reason", "3rd reason"), strict=True):
        side.annotate(head, (x, -0.5), xytext=(0, 4), fontsize=8.5, color="#555555", **top)
    for i, m in enumerate(members):
        v = by_member.get(m)
        if v is None:
            why = f"took no part ({absentees[m]})" if m in absentees else "no vote in the final round"
            side.text(cols[0], i, why, fontsize=9, va="center", color="#555555")
            continue
        side.text(cols[0], i, signed(v.score), fontsize=9, va="center", fontweight="bold")
        for x, r in zip(cols[1:], v.reasons[:3], strict=False):
            colour = "#2e7d32" if r.contribution > 0 else "#c62828" if r.contribution < 0 else "black"
            side.text(
                x, i, f"{words(r.factor)} {signed(r.contribution)}", fontsize=9, va="center", color=colour
            )
    fig.suptitle(
        f"{result.scenario.title}\nCouncil votes in the central run (mean weights, no noise)",
        fontsize=11,
        y=1 - 0.08 / height,
        va="top",
    )
    return png_bytes(fig)


def _wrap(text: str, width: int = 100) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def timeline_png(result: CrisisResult) -> bytes:
    """The central run's timeline, one event per row, and personnel on the ground when forces deployed."""
    from matplotlib.figure import Figure

    c = result.central
    events = c.timeline or [(0.0, "Nothing happened: no request, consultation or statement")]
    labels = [_wrap(text) for _, text in events]
    ys: list[float] = []
    y = 0.0
    for label in labels:
        lines = label.count("\n") + 1
        y += 0.3 * (lines - 1)
        ys.append(y)
        y += 1.0 + 0.3 * (lines - 1)
    rows = y
    curve = on_ground(result)
    top_h = 0.4 * rows + 0.7
    fig = Figure(figsize=(11, top_h + (3.3 if curve else 0.6)))
    if curve:
        grid = fig.add_gridspec(2, 1, height_ratios=[top_h, 2.3], hspace=0.28)
        ax = fig.add_subplot(grid[0, 0])
        ax2 = fig.add_subplot(grid[1, 0], sharex=ax)
    else:
        ax = fig.add_subplot()
        ax2 = None
    span = max(max(t for t, _ in events), 1.0)
    ax.set_xlim(-0.04 * span, span * 1.04)
    bottom = rows - 0.4
    for (t, text), label, yi in zip(events, labels, ys, strict=True):
        refused = " refused under " in text
        colour = "#c62828" if refused else "#1f5f8b"
        ax.plot([t, t], [yi, bottom], color="#cccccc", linewidth=0.8, zorder=1)
        ax.plot(t, yi, "o", color=colour, markersize=6, zorder=3)
        right = t <= span * 0.55
        when = hours(t)
        label = f"{when}  {label}" if right else f"{label}  {when}"
        ax.annotate(
            label,
            (t, yi),
            xytext=(7 if right else -7, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=8.5,
            color=colour if refused else "black",
            linespacing=1.15,
        )
    ax.set_ylim(bottom, -0.7)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title(f"{result.scenario.title}\nthe central run, hour by hour after the request", fontsize=11)
    if ax2 is None:
        ax.set_xlabel("hours after the request")
        return png_bytes(fig)
    ax.tick_params(labelbottom=False)
    xs = [t for t, _ in curve]
    ks = [k for _, k in curve]
    if xs[-1] < span * 1.04:
        xs.append(span * 1.04)
        ks.append(ks[-1])
    ax2.fill_between(xs, ks, color="#8fb3cc", alpha=0.6, linewidth=0)
    ax2.plot(xs, ks, color="#1f5f8b", linewidth=1.5, label="personnel on the ground (model, central run)")
    rec = result.record or {}
    if rec.get("personnel"):
        ax2.axhline(
            rec["personnel"],
            color="#c62828",
            linestyle="--",
            linewidth=1,
            label=f"recorded personnel ({rec['personnel']:,.0f})",
        )
    if rec.get("hours_to_first_units") is not None:
        ax2.axvline(
            rec["hours_to_first_units"],
            color="#c62828",
            linestyle=":",
            linewidth=1.2,
            label=f"recorded first units (+{rec['hours_to_first_units']:g} h)",
        )
    ax2.set_ylabel("personnel")
    ax2.set_xlabel("hours after the request")
    ax2.set_ylim(0, max(max(ks), rec.get("personnel") or 0) * 1.12)
    ax2.spines[["top", "right"]].set_visible(False)
    ax2.grid(color="#eeeeee")
    ax2.legend(
        loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=8, frameon=False, borderaxespad=0.2
    )
    ax2.text(
        0.5,
        -0.3,
        _wrap(TIMING_CAPTION, 150),
        transform=ax2.transAxes,
        ha="center",
        va="top",
        fontsize=7.5,
        color="#555555",
    )
    return png_bytes(fig)
