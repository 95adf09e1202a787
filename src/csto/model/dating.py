"""Checks that a dataset's dated offices and bodies are consistent: chair periods that do not overlap, and
bodies not dated before the instrument that founded them.

Each check raises a ``DataError`` naming the file, line and field. It reads validated records and their YAML
documents; it must not load files or cut a dataset to a date.
"""

from __future__ import annotations

from itertools import pairwise

from csto.errors import DataError
from csto.model.bodies import BodiesFile
from csto.model.treaty import TreatyFile
from csto.model.yamlio import YamlDoc, dotted


def _refuse(doc: YamlDoc, path: tuple[str | int, ...], message: str, expected: str) -> DataError:
    return DataError(
        message, file=str(doc.file), line=doc.line_of(path), field=dotted(path), expected=expected
    )


def check_chair_periods(doc: YamlDoc, bodies: BodiesFile) -> None:
    """A body's chair periods, taken in order of start, must not overlap."""
    for i, body in enumerate(bodies.bodies):
        if body.chair is None:
            continue
        periods = body.chair.periods
        order = sorted(range(len(periods)), key=lambda k: periods[k].start)
        for a, b in pairwise(order):
            first, second = periods[a], periods[b]
            if second.start < first.end:
                raise _refuse(
                    doc,
                    ("bodies", i, "chair", "periods", b, "start"),
                    f"chair period of {body.id} from {second.start} ({second.state}) overlaps the one from "
                    f"{first.start} to {first.end} ({first.state})",
                    f"a start on or after {first.end} (periods must not overlap)",
                )


def check_bodies_dated(doc: YamlDoc, bodies: BodiesFile, treaty: TreatyFile) -> None:
    """A body that names its founding instrument is not dated before that instrument was signed."""
    signed = {inst.id: inst.signed.date for inst in treaty.instruments}
    for i, body in enumerate(bodies.bodies):
        inst = body.established.instrument
        if inst is None:
            continue
        if inst not in signed:
            raise _refuse(
                doc,
                ("bodies", i, "established", "instrument"),
                f"body {body.id} names the founding instrument '{inst}', which treaty.yaml does not list",
                "one of: " + ", ".join(sorted(signed)),
            )
        if body.established.date < signed[inst]:
            raise _refuse(
                doc,
                ("bodies", i, "established", "date"),
                f"body {body.id} is dated {body.established.date}, before its founding instrument '{inst}' "
                f"was signed on {signed[inst]}",
                f"a date on or after {signed[inst]}",
            )
