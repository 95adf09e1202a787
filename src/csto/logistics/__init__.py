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
    Ref = tuple[tuple[str | int, ...], str]
    air: list[Ref] = [(("fleets", i, "base"), f.base) for i, f in enumerate(lg.fleets)]
    air += [(("units", i, "home_airfield"), u.home_airfield) for i, u in enumerate(lg.units)]
    air += [(("airfields", i, "airfield"), a.airfield) for i, a in enumerate(lg.airfields)]
    kinds: list[tuple[str, list[Ref], frozenset[str], str]] = [
        ("airfield", air, airfields, "an id from airfields.yaml"),
        (
            "aircraft type",
            [(("fleets", i, "type"), f.type) for i, f in enumerate(lg.fleets)],
            frozenset(t.id for t in lg.aircraft),
            "an id under aircraft",
        ),
    ]
    if lg.expected is not None:
        m = lg.expected
        air += _expected_airfields(lg)
        kinds.append(
            (
                "state",
                [(("expected", "decisions", i, "state"), d.state) for i, d in enumerate(m.decisions)],
                states,
                "a member's ISO3 code from members.yaml",
            )
        )
        kinds.append(
            (
                "episode",
                [(("expected", "records", i, "episode"), r.episode) for i, r in enumerate(m.records)],
                episodes,
                "an episode id from episodes.yaml",
            )
        )
    for what, refs, known, expected in kinds:
        for at, ref in refs:
            if ref not in known:
                raise DataError(
                    f"unknown {what} '{ref}'",
                    file=str(doc.file),
                    line=doc.line_of(at),
                    field="".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in at).lstrip("."),
                    expected=expected,
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
