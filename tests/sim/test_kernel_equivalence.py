"""The vectorized kernel equals the reference engine, trial by trial, on every bundled scenario."""

from __future__ import annotations

import numpy as np
import pytest

from csto.model import load_dataset
from csto.policy import load_policy
from csto.policy.model import draw_at, sample_draws
from csto.sim.catalog import bundled
from csto.sim.draws import chunk_normals, chunk_streams, draw_chunk
from csto.sim.kernel import run_kernel, setup_kernel
from csto.sim.runner import run_trial

DS = load_dataset("csto")
PARAMS = load_policy(DS)
MEMBERS = sorted(s.iso3 for s in DS.states)
TRIALS = 1000
CHUNK_TRIALS = 300


@pytest.mark.parametrize("scenario", bundled(DS), ids=lambda s: s.id)
def test_kernel_equals_engine_trial_by_trial(scenario) -> None:  # type: ignore[no-untyped-def]
    arrays = sample_draws(np.random.default_rng(2024), PARAMS, MEMBERS, TRIALS)
    k = run_kernel(DS, PARAMS, scenario, arrays, MEMBERS)
    _assert_equal_to_engine(scenario, arrays, k, TRIALS)


@pytest.mark.parametrize("scenario", bundled(DS), ids=lambda s: s.id)
def test_the_monte_carlos_chunks_equal_the_engine_trial_by_trial(scenario) -> None:  # type: ignore[no-untyped-def]
    """The path ``run_crisis`` takes: a set-up shared by the chunks, each chunk's own float32 SFC64 draws of
    only the columns the scenario reads."""
    ks = setup_kernel(DS, PARAMS, scenario, MEMBERS)
    streams = chunk_streams(7, 3)
    for c in (0, 2):
        arrays = draw_chunk(streams[c], PARAMS, MEMBERS, ks.factors, ks.noise_cols, CHUNK_TRIALS)
        k = run_kernel(DS, PARAMS, scenario, arrays, MEMBERS, setup=ks)
        _assert_equal_to_engine(scenario, arrays, k, CHUNK_TRIALS)


def _assert_equal_to_engine(scenario, arrays, k, trials: int) -> None:  # type: ignore[no-untyped-def]
    levels = k.levels()
    assert not k.fallback.any(), "every bundled scenario should run in the kernel"
    for i in range(trials):
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


NATO = load_dataset("nato")
NATO_PARAMS = load_policy(NATO)
NATO_MEMBERS = sorted(s.iso3 for s in NATO.states)
NATO_TRIALS = 60  # 32 members through the engine cost about a tenth of a second a trial


@pytest.mark.parametrize("scenario", bundled(NATO), ids=lambda s: s.id)
def test_the_kernel_equals_the_engine_on_natos_scenarios(scenario) -> None:  # type: ignore[no-untyped-def]
    """NATO's Council decides by the silence procedure (an ally that neither supports nor objects consents);
    the kernel and the engine read the same rule."""
    arrays = sample_draws(np.random.default_rng(11), NATO_PARAMS, NATO_MEMBERS, NATO_TRIALS)
    k = run_kernel(NATO, NATO_PARAMS, scenario, arrays, NATO_MEMBERS, deploy=False)
    levels = k.levels()
    for i in range(NATO_TRIALS):
        o = run_trial(NATO, NATO_PARAMS, scenario, draw_at(arrays, NATO_MEMBERS, i), narrate=False)
        assert levels[i] == o.level, (i, levels[i], o.level)


def test_crisis_run_gives_the_same_odds_with_kernel_and_engine() -> None:
    from csto.crisis import run

    a = run("armenia-2022", trials=500, seed=3).to_dict()
    b = run("armenia-2022", trials=500, seed=3, engine=True).to_dict()
    assert a["monte_carlo"] == "kernel" and b["monte_carlo"] == "engine"
    for key in ("probabilities", "ci95", "timing_over_trials", "decision", "timeline"):
        assert a[key] == b[key], key


# The fused path (csto.sim.fused, with Numba): the same SFC64 stream and float32 ziggurat as NumPy, drawn
# trial by trial as it decides; held equal to the NumPy generator bit for bit, and to the engine trial by trial.


def test_the_fused_generator_draws_numpys_normals_bit_for_bit() -> None:
    fused = pytest.importorskip("csto.sim.fused")
    if not fused.available():
        pytest.skip("numba is not installed")
    for seed, index, n, k in ((7, 0, 1000, 13), (7, 2, 40_001, 5), (123, 5, 300_000, 1)):
        stream = chunk_streams(seed, index + 1)[index]
        assert np.array_equal(fused.normals(stream, n, k), chunk_normals(stream, n, k)), (seed, index, n, k)


@pytest.mark.parametrize("scenario", bundled(DS), ids=lambda s: s.id)
def test_the_fused_path_equals_the_engine_and_the_numpy_kernel_trial_by_trial(scenario) -> None:  # type: ignore[no-untyped-def]
    """The engine gets the arrays ``draw_chunk`` builds from the chunk's stream (the draws the fused path
    makes inside its loop); the NumPy kernel gets them too, on more trials."""
    fused = pytest.importorskip("csto.sim.fused")
    if not fused.available():
        pytest.skip("numba is not installed")
    ks = setup_kernel(DS, PARAMS, scenario, MEMBERS)
    if ks.prep is None:
        pytest.skip("no procedure: the kernel decides nothing here")
    streams = chunk_streams(11, 3)
    for c, n in ((0, CHUNK_TRIALS), (2, 20_000)):
        arrays = draw_chunk(streams[c], PARAMS, MEMBERS, ks.factors, ks.noise_cols, n)
        f = fused.run_fused(DS, PARAMS, scenario, ks, streams[c], n)
        if n == CHUNK_TRIALS:
            _assert_equal_to_engine(scenario, arrays, f, n)
        k = run_kernel(DS, PARAMS, scenario, arrays, MEMBERS, setup=ks)
        assert np.array_equal(f.level, k.level)
        assert np.array_equal(f.fallback, k.fallback)
        for a, b in (
            (f.decision_h, k.decision_h),
            (f.first_units_h, k.first_units_h),
            (f.all_in_h, k.all_in_h),
        ):
            assert np.allclose(a, b, rtol=0, atol=0.011, equal_nan=True)
            same = a[np.isfinite(a)] == b[np.isfinite(b)]
            assert same.size == 0 or np.mean(same) > 0.999  # equal but for the order of a sum
        assert np.array_equal(f.personnel, k.personnel)


@pytest.mark.parametrize("scenario_id", ["kazakhstan-2022", "armenia-2022"])
def test_a_seed_gives_the_same_run_with_the_fused_path_and_without_it(scenario_id: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from csto.crisis import run

    fused = pytest.importorskip("csto.sim.fused")
    if not fused.available():
        pytest.skip("numba is not installed")
    monkeypatch.setenv("CSTO_FUSED", "on")
    on = run(scenario_id, trials=30_000, seed=9).to_dict()
    monkeypatch.setenv("CSTO_FUSED", "off")
    off = run(scenario_id, trials=30_000, seed=9).to_dict()
    for key in ("probabilities", "ci95", "timing_over_trials"):
        assert on[key] == off[key], key
