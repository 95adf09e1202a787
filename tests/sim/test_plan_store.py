"""Airlift plans on disk: a second process reads the plan the first one made, and a changed data file, a
changed planner or a damaged entry is never served (a miss, then the plan is made again)."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto.game import arrivals
from csto.model import diskcache, load_dataset
from csto.sim import plan_store

TASKING = (("KAZ", 100), ("RUS", 2000))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CSTO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(arrivals, "_PLANS", {})
    return tmp_path / "cache"


def _plan(ds):  # type: ignore[no-untyped-def]
    return plan_store.stored_plan(ds, TASKING, "almaty", "peacekeeping")


def test_a_plan_is_stored_and_read_back_by_a_fresh_process(cache: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ds = load_dataset("csto")
    made = _plan(ds)
    assert made, "the tasking should plan"
    assert len(list((cache / "plans").iterdir())) == 1
    monkeypatch.setattr(arrivals, "_PLANS", {})  # a new process: nothing in memory

    def refuse(*a, **k):  # type: ignore[no-untyped-def]
        raise AssertionError("planned again although the disk has it")

    monkeypatch.setattr(arrivals, "cached_plan", refuse)
    assert _plan(ds) == made


def test_a_changed_data_file_is_a_miss_never_a_stale_plan(
    cache: Path, dataset_copy: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    ds = load_dataset(data_dir=dataset_copy)
    before = _plan(ds)
    monkeypatch.setattr(arrivals, "_PLANS", {})
    f = dataset_copy / "logistics.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    calls = []
    real = arrivals.cached_plan

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(a)
        return real(*a, **k)

    monkeypatch.setattr(arrivals, "cached_plan", counting)
    assert _plan(ds) == before
    assert len(calls) == 1 and len(list((cache / "plans").iterdir())) == 2


def test_a_changed_planner_changes_the_key(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a = diskcache.code_digest("csto.logistics", "csto.game.arrivals")
    diskcache.code_digest.cache_clear()
    monkeypatch.setattr(diskcache, "files_digest", lambda paths: "other source")
    assert diskcache.code_digest("csto.logistics", "csto.game.arrivals") != a
    diskcache.code_digest.cache_clear()


def test_a_damaged_entry_is_planned_again(cache: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ds = load_dataset("csto")
    made = _plan(ds)
    (entry,) = (cache / "plans").iterdir()
    entry.write_bytes(b'[[1.0, "RUS"')
    monkeypatch.setattr(arrivals, "_PLANS", {})
    assert _plan(ds) == made


def test_the_cache_can_be_turned_off(cache: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CSTO_CACHE", "off")
    assert diskcache.cache_dir() is None
    _plan(load_dataset("csto"))
    assert not cache.exists()
