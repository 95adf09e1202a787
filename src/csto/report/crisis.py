"""The crisis report for a run, the entry point: the odds, vote matrix and timeline plots and one self-contained
HTML page, written into a folder.

Works from a ``CrisisResult`` only (layer report: model and sim below it, never web or cli). The plots live in
``crisis_plots``, the page in ``crisis_html``, what both read in ``crisis_common``; every file is written to a
temporary name and moved into place.
"""

from __future__ import annotations

from pathlib import Path

from csto.report.crisis_common import on_ground
from csto.report.crisis_html import report_html
from csto.report.crisis_plots import odds_png, timeline_png, votes_png
from csto.report.files import write_atomic
from csto.sim.montecarlo import CrisisResult


def write_report(result: CrisisResult, directory: Path) -> Path:
    """Write odds.png, votes.png, timeline.png and report.html into ``directory``; return report.html's path.

    Each file is written to a temporary name and moved into place, so a reader never sees half a file and a
    second report into the same directory replaces the first.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    images = {
        "odds.png": odds_png(result),
        "votes.png": votes_png(result),
        "timeline.png": timeline_png(result),
    }
    for name, data in images.items():
        write_atomic(directory / name, data)
    page = directory / "report.html"
    write_atomic(page, report_html(result, images).encode("utf-8"))
    return page


__all__ = ["odds_png", "on_ground", "report_html", "timeline_png", "votes_png", "write_report"]
