"""Ledgers written before the typed event classes (csto at 9882021, tests/ledger/fixtures) still work.

Each fixture ledger verifies, every stored event reads through the registry and gives back the very
bytes stored, its JSON-lines export imports and verifies, and replaying it rebuilds the state that the
old code rebuilt (snapshots.json). The fixtures are copied before use: opening a ledger may write.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from csto.events import EVENT_TYPES, parse, serialise
from csto.ledger import canonical_json, open_ledger
from csto.model import load_dataset
from csto.report.events import describe
from csto.session import replay_snapshot

FIXTURES = Path(__file__).parent / "fixtures"
LEDGERS = sorted(p.stem for p in FIXTURES.glob("*.db"))


@pytest.fixture(params=LEDGERS)
def legacy(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    copy = tmp_path / f"{request.param}.db"
    shutil.copyfile(FIXTURES / f"{request.param}.db", copy)
    return copy


def test_there_are_legacy_ledgers_of_every_example_script() -> None:
    assert len(LEDGERS) == 5


def test_a_legacy_ledger_verifies(legacy: Path) -> None:
    with open_ledger(legacy, create=False) as ledger:
        report = ledger.verify()
    assert report.ok and report.count > 5, report


def test_every_legacy_event_reads_through_its_class_and_gives_back_the_stored_bytes(legacy: Path) -> None:
    with open_ledger(legacy, create=False) as ledger:
        events = list(ledger.read())
    for e in events:
        body = parse(e.type, e.data)
        assert type(body) is EVENT_TYPES[e.type]
        assert canonical_json(body.to_data()) == canonical_json(e.data), (e.seq, e.type)
        assert serialise(e.type, e.data) == e.data


def test_a_legacy_export_imports_and_verifies(legacy: Path, tmp_path: Path) -> None:
    export = FIXTURES / f"{legacy.stem}.jsonl"
    target = tmp_path / "imported.db"
    with export.open(encoding="utf-8") as fp, open_ledger(target) as ledger:
        count = ledger.import_jsonl(fp)
        assert ledger.verify().ok
        records = [e.to_record() for e in ledger.read()]
    with open_ledger(legacy, create=False) as original:
        assert records == [e.to_record() for e in original.read()]
    assert count == len(records)


def test_replaying_a_legacy_ledger_rebuilds_the_state_the_old_code_rebuilt(legacy: Path) -> None:
    expected = json.loads((FIXTURES / "snapshots.json").read_text(encoding="utf-8"))[legacy.name]
    with open_ledger(legacy, create=False) as ledger:
        snap = replay_snapshot(ledger, load_dataset("csto"))
    got = {
        "clock": str(snap["world"]["clock"]),
        "statuses": snap["world"]["statuses"],
        "cases": {k: {x: c[x] for x in ("kind", "step", "events")} for k, c in snap["cases"].items()},
    }
    assert got == expected


def test_every_shape_of_data_the_old_engine_recorded_round_trips_and_reads_as_it_did() -> None:
    rows = [json.loads(line) for line in (FIXTURES / "engine_events.jsonl").read_text("utf-8").splitlines()]
    assert len({r["type"] for r in rows}) >= 60
    for r in rows:
        body = parse(r["type"], r["data"])
        assert canonical_json(body.to_data()) == canonical_json(r["data"]), r["type"]
        assert describe(r["type"], r["data"]) == r["text"]


def test_a_stored_event_gives_its_typed_body(legacy: Path) -> None:
    with open_ledger(legacy, create=False) as ledger:
        first = next(iter(ledger.read()))
    body = first.body()
    assert body.type == "WorldOpened" and body.to_data() == first.data
