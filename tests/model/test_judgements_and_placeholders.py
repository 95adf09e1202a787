"""Judgements are marked as judgements (issue 15): every member attribute that is a judgement (lead_pull,
alignment, ties) carries ``assumed: true`` with its source kept as the basis, in both alliances; and an
instrument whose entry into force is a placeholder (the signing date) says so with low confidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csto.model import load_dataset
from csto.model.alliance import package_data_root

JUDGEMENTS = ("lead_pull", "alignment", "ties")


def _judgements(alliance: str) -> list[tuple[str, str, dict[str, Any]]]:
    doc = yaml.safe_load((package_data_root() / alliance / "policy_members.yaml").read_text())
    out = []
    for m in doc["members"]:
        for key in JUDGEMENTS:
            node = m.get(key)
            if not isinstance(node, dict):
                continue
            if "value" in node:
                out.append((m["iso3"], key, node))
            else:
                out.extend((m["iso3"], f"{key}.{k}", v) for k, v in node.items() if isinstance(v, dict))
    return out


@pytest.mark.parametrize("alliance", ["csto", "nato"])
def test_every_judgement_is_assumed_and_keeps_its_basis(alliance: str) -> None:
    found = _judgements(alliance)
    assert found
    not_assumed = [(s, k) for s, k, v in found if not v.get("assumed")]
    assert not not_assumed, not_assumed
    assert all(v.get("rationale") for _, _, v in found)


def test_the_thirteen_sourced_csto_judgements_keep_their_sources() -> None:
    sourced = [(s, k) for s, k, v in _judgements("csto") if v.get("source") and v.get("assumed")]
    for pair in [("ARM", "alignment.BLR"), ("BLR", "ties.AZE"), ("TJK", "ties.AFG"), ("RUS", "ties.UKR")]:
        assert pair in sourced


def test_tokayev_visit_is_worded_as_the_first_official_visit() -> None:
    text = (Path(str(package_data_root())) / "csto" / "policy_members.yaml").read_text()
    assert "Tokayev's first visit" not in text
    assert "first official visit" in text


@pytest.mark.parametrize("alliance", ["csto", "nato"])
def test_placeholder_entry_into_force_is_low_confidence(alliance: str) -> None:
    placeholders = [i for i in load_dataset(alliance).instruments if i.in_force_placeholder]
    for inst in placeholders:
        assert inst.in_force_confidence in ("low", "unverified"), inst.id
    if alliance == "csto":
        ids = {i.id for i in placeholders}
        assert {"peacekeeping-agreement-2007", "forces-2010", "mtc-2000", "classified-2004"} <= ids


def test_a_placeholder_entry_into_force_claiming_high_confidence_is_refused() -> None:
    from pydantic import ValidationError

    from csto.model.treaty import Instrument

    inst = next(i for i in load_dataset("csto").instruments if i.id == "forces-2010")
    data = inst.model_dump(by_alias=True)
    data["in_force_confidence"] = "high"
    with pytest.raises(ValidationError, match="placeholder"):
        Instrument.model_validate(data)
