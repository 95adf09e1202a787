"""The vectorized kernel equals the reference engine, trial by trial, on every bundled scenario."""

from __future__ import annotations

import numpy as np
import pytest

from csto.model import load_dataset
from csto.policy import load_policy
from csto.policy.model import draw_at, sample_draws
from csto.sim.catalog import bundled
from csto.sim.kernel import run_kernel
from csto.sim.runner import run_trial

DS = load_dataset("csto")
PARAMS = load_policy(DS)
MEMBERS = sorted(s.iso3 for s in DS.states)
TRIALS = 1000


@pytest.mark.parametrize("scenario", bundled(DS), ids=lambda s: s.id)
def test_kernel_equals_engine_trial_by_trial(scenario) -> None:  # type: ignore[no-untyped-def]
    arrays = sample_draws(np.random.default_rng(2024), PARAMS, MEMBERS, TRIALS)
    k = run_kernel(DS, PARAMS, scenario, arrays, MEMBERS)
    levels = k.levels()
    assert not k.fallback.any(), "every bundled scenario should run in the kernel"
    for i in range(TRIALS):
        o = run_trial(DS, PARAMS, scenario, draw_at(arrays, MEMBERS, i))
        assert levels[i] == o.level, (i, levels[i], o.level)
        if o.adopted:
            assert k.decision_h[i] == pytest.approx(o.hours_to_decision, abs=0.011), i
        else:
            assert np.isnan(k.decision_h[i])
        if o.first_units_hours is None:
            assert np.isnan(k.first_units_h[i]), i
        else:
            assert k.first_units_h[i] == pytest.approx(o.first_units_hours, abs=0.011), i
            assert k.all_in_h[i] == pytest.approx(o.all_in_hours, abs=0.011), i
            assert k.personnel[i] == sum(o.forces.values())


def test_crisis_run_gives_the_same_odds_with_kernel_and_engine() -> None:
    from csto.crisis import run

    a = run("armenia-2022", trials=500, seed=3).to_dict()
    b = run("armenia-2022", trials=500, seed=3, engine=True).to_dict()
    assert a["monte_carlo"] == "kernel" and b["monte_carlo"] == "engine"
    for key in ("probabilities", "ci95", "timing_over_trials", "decision", "timeline"):
        assert a[key] == b[key], key
