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
from csto.logistics.planner import expected_for, plan_airlift
from csto.logistics.result import Plan, Sortie
from csto.model import Dataset
from csto.model.yamlio import read_yaml, validate


@lru_cache(maxsize=8)
def _load(
    directory: str,
    sources: frozenset[str],
    airfields: frozenset[str],
    states: frozenset[str],
    episodes: frozenset[str],
) -> LogisticsFile:
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
    paths: list[tuple[str | int, ...]] = [(top, i, fld) for top, i, fld, _ in refs]
    names = [ref for *_, ref in refs]
    if lg.expected is not None:
        for where, ref in _expected_airfields(lg):
            paths.append(where)
            names.append(ref)
        for i, dn in enumerate(lg.expected.decisions):
            if dn.state not in states:
                raise DataError(
                    f"unknown state '{dn.state}'",
                    file=str(doc.file),
                    line=doc.line_of(("expected", "decisions", i, "state")),
                    field=f"expected.decisions[{i}].state",
                    expected="a member's ISO3 code from members.yaml",
                )
        for i, rec in enumerate(lg.expected.records):
            if rec.episode not in episodes:
                raise DataError(
                    f"unknown episode '{rec.episode}'",
                    file=str(doc.file),
                    line=doc.line_of(("expected", "records", i, "episode")),
                    field=f"expected.records[{i}].episode",
                    expected="an episode id from episodes.yaml",
                )
    for at, ref in zip(paths, names, strict=True):
        if ref not in airfields:
            raise DataError(
                f"unknown airfield '{ref}'",
                file=str(doc.file),
                line=doc.line_of(at),
                field=".".join(f"[{p}]" if isinstance(p, int) else p for p in at).replace(".[", "["),
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
    return _load(
        ds.directory,
        frozenset(ds.sources),
        frozenset(a.id for a in ds.airfields),
        frozenset(s.iso3 for s in ds.states),
        frozenset(e.id for e in ds.episodes),
    )


def _expected_airfields(lg: LogisticsFile) -> list[tuple[tuple[str | int, ...], str]]:
    """Every airfield the ``expected:`` section names, with its path in the file."""
    m = lg.expected
    assert m is not None
    out: list[tuple[tuple[str | int, ...], str]] = []
    out += [(("expected", "generation", i, "base"), g.base) for i, g in enumerate(m.generation)]
    out += [(("expected", "loading", i, "airfield"), x.airfield) for i, x in enumerate(m.loading)]
    for i, a in enumerate(m.arrivals):
        out.append((("expected", "arrivals", i, "airfield"), a.airfield))
        out += [(("expected", "arrivals", i, "alternates", j), alt) for j, alt in enumerate(a.alternates)]
    out.append((("expected", "sustainment", "origin"), m.sustainment.origin))
    return out


__all__ = [
    "Load",
    "LogisticsFile",
    "Plan",
    "Sortie",
    "expected_for",
    "load_logistics",
    "loads_for",
    "plan_airlift",
]
