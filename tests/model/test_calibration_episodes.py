"""The six episodes added to the calibration set (issue 14): each is recorded with its rung and confidence, is
sourced line by line, and has a bundled scenario that holds the situation only, never the response."""

from __future__ import annotations

import pytest
import yaml

from csto.game.scenario import load_scenario
from csto.model import load_dataset
from csto.model.alliance import package_data_root

#: id -> (recorded rung, its confidence, scenario kind), as the record was read.
ADDED = {
    "batken-1999": ("assistance", "low", "incursion"),
    "zhanaozen-2011": ("statement", "medium", "internal_unrest"),
    "crimea-2014": ("statement", "medium", "external_attack"),
    "ukraine-2022": ("none", "medium", "external_attack"),
    "gbao-2022": ("none", "medium", "internal_unrest"),
    "crocus-2024": ("statement", "high", "terrorist_attack"),
}
SCENARIOS = package_data_root() / "csto" / "scenarios"


@pytest.fixture(scope="module")
def ds():  # type: ignore[no-untyped-def]
    return load_dataset("csto")


@pytest.mark.parametrize("eid", sorted(ADDED))
def test_each_episode_has_its_rung_a_confidence_and_a_source_per_timeline_line(ds, eid: str) -> None:  # type: ignore[no-untyped-def]
    ep = ds.episode(eid)
    assert ep is not None
    level, confidence, _ = ADDED[eid]
    assert (ep.response.level, ep.response.confidence) == (level, confidence)
    assert ep.response.source and ep.request.source and ep.timeline
    assert all(line.source for line in ep.timeline)


@pytest.mark.parametrize("eid", sorted(ADDED))
def test_each_scenario_holds_the_situation_and_never_the_response(ds, eid: str) -> None:  # type: ignore[no-untyped-def]
    path = SCENARIOS / f"{eid}.yaml"
    raw = yaml.safe_load(path.read_text())
    assert "response" not in raw and "level" not in raw
    text = path.read_text().lower()
    # the scenario must not leak the organization's recorded answer
    for word in ("bordyuzha", "zemsky", "tasmagambetov", "zas ", "decision on collective"):
        assert word not in text, (eid, word)
    sc = load_scenario(path, ds)
    assert sc.episode == eid and sc.kind == ADDED[eid][2]
    assert set(sc.sources) <= set(ds.sources)


def test_no_request_to_the_organization_in_any_added_scenario(ds) -> None:  # type: ignore[no-untyped-def]
    """The record shows no request to the treaty's bodies in any of the six: none opens its procedure."""
    for eid in ADDED:
        sc = load_scenario(SCENARIOS / f"{eid}.yaml", ds)
        assert not sc.request.to_organization, eid


def test_member_aggressors_against_a_non_member(ds) -> None:  # type: ignore[no-untyped-def]
    for eid in ("crimea-2014", "ukraine-2022"):
        sc = load_scenario(SCENARIOS / f"{eid}.yaml", ds)
        assert sc.aggressor.member and sc.aggressor.state == "RUS" and sc.location.state == "UKR"
        assert sc.request.addressed_to == "un" and sc.request.state == "UKR"
    ukr = load_scenario(SCENARIOS / "ukraine-2022.yaml", ds)
    assert [(p.state, p.role) for p in ukr.parties] == [("BLR", "aggressor")]


def test_the_added_corrections_cite_sources_that_resolve(ds) -> None:  # type: ignore[no-untyped-def]
    ids = {c.id: c for c in ds.corrections}
    for cid in ("cst-signed-by-nine-in-1993", "crocus-death-toll-134"):
        assert cid in ids and set(ids[cid].source) <= set(ds.sources)
