"""Getting there: supply (units, fleets, airfields), demand (a tasking to a destination) and the airlift
planner with its lower bound.

Layer: logistics. It may import the model only. ``load_logistics(dataset)`` reads ``logistics.yaml`` beside
the dataset; ``plan_airlift`` turns loads into sorties and a curve of troops on the ground.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from csto.errors import DataError
from csto.logistics.data import LogisticsFile
from csto.logistics.demand import Load, loads_for
from csto.logistics.planner import plan_airlift
from csto.logistics.result import Plan, Sortie
from csto.model import Dataset
from csto.model.yamlio import read_yaml, validate


@lru_cache(maxsize=8)
def _load(directory: str, sources: frozenset[str], airfields: frozenset[str]) -> LogisticsFile:
    from csto.model.alliance import check_source_keys

    path = Path(directory) / "logistics.yaml"
    if not path.is_file():
        raise DataError("missing file logistics.yaml", file=str(path), expected="the airlift supply data")
    doc = read_yaml(path, display_name=f"{Path(directory).name}/logistics.yaml")
    lg: LogisticsFile = validate(LogisticsFile, doc)
    check_source_keys(doc, sources)
    refs = [("fleets", i, "base", f.base) for i, f in enumerate(lg.fleets)]
    refs += [("units", i, "home_airfield", u.home_airfield) for i, u in enumerate(lg.units)]
    refs += [("airfields", i, "airfield", a.airfield) for i, a in enumerate(lg.airfields)]
    for top, i, fld, ref in refs:
        if ref not in airfields:
            raise DataError(
                f"unknown airfield '{ref}'",
                file=str(doc.file),
                line=doc.line_of((top, i, fld)),
                field=f"{top}[{i}].{fld}",
                expected="an id from airfields.yaml",
            )
    types = {t.id for t in lg.aircraft}
    for i, f in enumerate(lg.fleets):
        if f.type not in types:
            raise DataError(
                f"unknown aircraft type '{f.type}'",
                file=str(doc.file),
                line=doc.line_of(("fleets", i, "type")),
                field=f"fleets[{i}].type",
                expected="an id under aircraft",
            )
    return lg


def load_logistics(ds: Dataset) -> LogisticsFile:
    """The supply data beside the dataset, checked (sources, airfields, aircraft types)."""
    return _load(ds.directory, frozenset(ds.sources), frozenset(a.id for a in ds.airfields))


__all__ = ["Load", "LogisticsFile", "Plan", "Sortie", "load_logistics", "loads_for", "plan_airlift"]
