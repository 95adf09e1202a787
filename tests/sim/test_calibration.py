"""Calibration, leave-one-out and the posterior: reproducible fits, baselines fitted on their own folds, a
posterior that must match the policy's factors, odds over the posterior, and counterfactuals."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from csto.errors import DataError
from csto.model import RESPONSE_LADDER, load_dataset
from csto.policy import FACTORS, load_policy
from csto.policy.posterior import Posterior, load_posterior, parameter_names, save_posterior
from csto.sim.calibrate import cases_of, fit, prior_of, rung_probabilities
from csto.sim.catalog import find
from csto.sim.loo import METHODS, baselines, run_loo
from csto.sim.montecarlo import run_crisis

PARAMS = load_policy(load_dataset("csto"))


@pytest.fixture(scope="module")
def cases():  # type: ignore[no-untyped-def]
    return cases_of(("csto",), 60, 0)


def test_the_same_seed_gives_the_same_posterior(cases) -> None:  # type: ignore[no-untyped-def]
    few = cases[:4]
    a = fit(few, prior_of(PARAMS), seed=3, walkers=32, steps=40, burn=10, keep=20)
    b = fit(few, prior_of(PARAMS), seed=3, walkers=32, steps=40, burn=10, keep=20)
    assert np.array_equal(a.draws, b.draws)
    assert a.summary() == b.summary()
    c = fit(few, prior_of(PARAMS), seed=4, walkers=32, steps=40, burn=10, keep=20)
    assert not np.array_equal(a.draws, c.draws)


def test_the_likelihood_is_the_kernels_probability_of_the_recorded_rung(cases) -> None:  # type: ignore[no-untyped-def]
    kz = next(c for c in cases if c.episode == "kazakhstan-2022")
    theta = prior_of(PARAMS).mean[None, :]
    p = rung_probabilities(kz, theta)[0]
    assert p.sum() == pytest.approx(1.0)
    assert RESPONSE_LADDER[int(np.argmax(p))] == "deployment"
    # nothing is keyed by the episode: a case is its kernel set-up, its numbers and its record
    assert not any("kazakhstan" in f for f in FACTORS)


def test_baselines_are_fitted_on_the_training_fold_only(cases) -> None:  # type: ignore[no-untyped-def]
    held = next(c for c in cases if c.episode == "kazakhstan-2022")
    train = [c for c in cases if c is not held]
    b = baselines(held, train)
    assert set(b) == {"majority", "ceiling", "uncalibrated"}
    for p in b.values():
        assert p.sum() == pytest.approx(1.0) and (p > 0).all()
    counts = np.bincount([c.recorded for c in train], minlength=len(RESPONSE_LADDER))
    assert int(np.argmax(b["majority"])) == int(np.argmax(counts))
    assert RESPONSE_LADDER[int(np.argmax(b["ceiling"]))] == held.ceiling == "deployment"


def test_leave_one_out_scores_every_method_on_every_fold(cases) -> None:  # type: ignore[no-untyped-def]
    few = cases[:3]
    result = run_loo(few, prior_of(PARAMS), seed=0, walkers=32, steps=30, burn=10, predict_draws=10)
    doc = result.to_dict()
    assert [r["episode"] for r in doc["episodes"]] == [c.episode for c in few]
    for m in METHODS:
        total = doc["total"][m]
        assert 0 <= total["accuracy"] <= 1 and total["mean_log_score"] <= 0 and total["mean_brier"] >= 0
        for row in doc["episodes"]:
            assert sum(row[m]["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)


def _posterior_file(tmp_path: Path, names: list[str]) -> Path:
    draws = np.tile(prior_of(PARAMS).mean, (12, 1))
    post = Posterior(draws, {}, {"episodes": []}, names=parameter_names())
    path = save_posterior(post, tmp_path / "post.json")
    doc = json.loads(path.read_text())
    doc["parameters"] = names
    doc["draws"] = [row[: len(names)] for row in doc["draws"]]
    path.write_text(json.dumps(doc))
    return path


def test_a_posterior_that_does_not_match_the_factors_is_refused_naming_them(tmp_path: Path) -> None:
    names = list(parameter_names())
    names.remove("weight.chair_duty")
    path = _posterior_file(tmp_path, [*names, "weight.moon_phase"])
    with pytest.raises(DataError) as info:
        load_posterior(path)
    assert "missing chair_duty" in str(info.value) and "extra moon_phase" in str(info.value)


def test_a_run_over_a_posterior_gives_credible_intervals(tmp_path: Path) -> None:
    draws = prior_of(PARAMS).mean + 0.3 * np.random.default_rng(0).standard_normal(
        (40, len(parameter_names()))
    )
    draws[:, : len(FACTORS)] = np.abs(draws[:, : len(FACTORS)])
    post = Posterior(draws, {}, {"episodes": []})
    ds = load_dataset("csto")
    res = run_crisis(ds, find(ds, "armenia-2022"), trials=8000, seed=0, posterior=post)
    cred = res.credible90
    assert cred is not None and res.per_draw is not None and res.per_draw.shape[0] == 32
    lo, hi = cred["mission"]
    assert lo <= res.probabilities["mission"] <= hi and hi > lo
    same = run_crisis(ds, find(ds, "armenia-2022"), trials=8000, seed=0, posterior=post, workers=2)
    assert same.counts == res.counts
