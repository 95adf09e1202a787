"""Runs in one process do not leak into each other: the kernel's per-process set-up belongs to its own job.

The set-up was once cached by ``id(job)`` alone; a later job that reused a freed job's id ran with another
scenario's set-up (a backtest gave Kazakhstan 2022 the odds of the episode before it). Whether CPython reuses
an id is up to its allocator, so the test makes every job's id the same.
"""

from __future__ import annotations

import pytest

from csto.model import load_dataset
from csto.sim import montecarlo
from csto.sim.catalog import bundled
from csto.sim.montecarlo import run_crisis


def test_a_job_whose_id_was_used_before_runs_with_its_own_set_up(monkeypatch: pytest.MonkeyPatch) -> None:
    ds = load_dataset("csto")
    scenarios = bundled(ds)
    alone = {sc.id: run_crisis(ds, sc, trials=300, seed=0).to_dict() for sc in scenarios}
    monkeypatch.setattr(montecarlo, "id", lambda obj: 1, raising=False)  # every job has the same id
    for sc in scenarios:
        assert run_crisis(ds, sc, trials=300, seed=0).to_dict() == alone[sc.id], sc.id
