"""Every fact in the package data carries a source key, and every key resolves in sources.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from csto.model import available_alliances, load_dataset
from csto.model.alliance import package_data_root, source_refs
from csto.model.yamlio import read_yaml

STRUCTURAL = {
    "source",
    "confidence",
    "note",
    "id",
    "iso3",
    "number",
    "title",
    "name",
    "short",
    "assumed",
    "rationale",
    # settings of a computation (the airlift's expected timeline: how many seeded draws, which seed), not facts
    "draws",
    "seed",
}


def data_files() -> list[Path]:
    root = package_data_root()
    return sorted(
        p for a in available_alliances() for p in (root / a).glob("*.yaml") if p.name != "sources.yaml"
    )


def uncovered(node: Any, path: tuple[Any, ...] = (), covered: bool = False) -> list[tuple[Any, ...]]:
    """Paths of mappings that hold facts (scalar values) with no source on them or above them."""
    bad: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        here = covered or "source" in node or node.get("assumed") is True
        has_facts = any(
            not isinstance(v, (dict, list)) and k not in STRUCTURAL and v is not None for k, v in node.items()
        )
        if has_facts and not here:
            bad.append(path)
        for k, v in node.items():
            bad += uncovered(v, (*path, k), here)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            bad += uncovered(v, (*path, i), covered)
    return bad


@pytest.mark.parametrize("path", data_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fact_has_a_source(path: Path) -> None:
    doc = read_yaml(path)
    missing = uncovered(doc.data)
    assert not missing, f"{path.name}: facts without a source at " + ", ".join(
        f"line {doc.line_of(m)}" for m in missing[:10]
    )


@pytest.mark.parametrize("path", data_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_source_key_resolves(path: Path) -> None:
    sources = read_yaml(path.parent / "sources.yaml").data
    doc = read_yaml(path)
    refs = list(source_refs(doc))
    assert refs, f"{path.name} cites no source at all"
    unknown = [(doc.line_of(p), k) for p, k in refs if k not in sources]
    assert not unknown, f"{path.name}: unknown source keys {unknown[:10]}"


def test_the_whole_dataset_validates_and_every_source_is_used() -> None:
    ds = load_dataset("csto")
    used = {k for p in data_files() if p.parent.name == "csto" for _, k in source_refs(read_yaml(p))}
    for f in (package_data_root() / "csto" / "scenarios").glob("*.yaml"):
        used |= set(read_yaml(f).data.get("sources") or [])
    unused = set(ds.sources) - used
    assert not unused, f"sources never cited: {sorted(unused)}"


def test_the_source_walker_catches_an_unsourced_fact() -> None:
    assert uncovered({"states": [{"iso3": "XXX", "population": {"value": 1, "year": 2020}}]})
    assert not uncovered({"states": [{"population": {"value": 1, "year": 2020, "source": "k"}}]})


def test_disputed_facts_carry_a_confidence() -> None:
    ds = load_dataset("csto")
    arm = ds.state("ARM")
    assert arm is not None
    assert arm.memberships[-1].status == "frozen"
    assert arm.memberships[-1].confidence is not None


def test_assumptions_always_say_why() -> None:
    for path in data_files():
        for _, node in _walk_nodes(read_yaml(path).data):
            if isinstance(node, dict) and node.get("assumed") is True:
                assert str(node.get("rationale", "")).strip(), (
                    f"{path.name}: an assumption without a rationale"
                )


def _walk_nodes(node: Any, path: tuple[Any, ...] = ()) -> Any:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk_nodes(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk_nodes(v, (*path, i))


def test_scenario_sources_resolve_and_historical_scenarios_cite_some() -> None:
    root = package_data_root() / "csto"
    sources = read_yaml(root / "sources.yaml").data
    files = sorted((root / "scenarios").glob("*.yaml"))
    assert files
    for f in files:
        doc = read_yaml(f).data
        keys = doc.get("sources") or []
        assert all(k in sources for k in keys), (f.name, [k for k in keys if k not in sources])
        if not doc.get("hypothetical"):
            assert keys, f"{f.name} cites no source"
