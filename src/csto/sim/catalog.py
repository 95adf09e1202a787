"""The bundled scenarios (``data/<alliance>/scenarios/*.yaml``) and lookup by id or by path.

A user names a bundled scenario by id (``kazakhstan-2022``) or passes a path to a YAML file of their own.
"""

from __future__ import annotations

from pathlib import Path

from csto.errors import InputError
from csto.game.scenario import Scenario, load_scenario
from csto.model import Dataset


def scenario_dir(ds: Dataset) -> Path:
    return Path(ds.directory) / "scenarios"


def bundled(ds: Dataset) -> list[Scenario]:
    """Every bundled scenario, historical first, then hypothetical, by id."""
    d = scenario_dir(ds)
    out = [load_scenario(p, ds) for p in sorted(d.glob("*.yaml"))] if d.is_dir() else []
    return sorted(out, key=lambda s: (s.hypothetical, s.start, s.id))


def find(ds: Dataset, name: str) -> Scenario:
    """A bundled scenario by id, or a scenario file by path."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or p.exists():
        if not p.is_file():
            raise InputError(
                f"no scenario file '{name}'", field="SCENARIO", expected="a bundled id or a YAML file"
            )
        return load_scenario(p, ds)
    f = scenario_dir(ds) / f"{name}.yaml"
    if f.is_file():
        return load_scenario(f, ds)
    ids = sorted(x.stem for x in scenario_dir(ds).glob("*.yaml")) if scenario_dir(ds).is_dir() else []
    raise InputError(f"unknown scenario '{name}'", field="SCENARIO", expected="one of: " + ", ".join(ids))
