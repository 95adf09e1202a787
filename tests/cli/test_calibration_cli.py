"""The calibration's commands: a refused posterior, a fit that does not converge, and --why."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from csto.model import load_dataset
from csto.policy import load_policy
from csto.policy.posterior import Posterior, parameter_names, save_posterior
from csto.sim.calibrate import prior_of
from tests.cli.conftest import Result


def test_a_posterior_for_other_factors_is_refused_with_exit_2(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    mean = prior_of(load_policy(load_dataset("csto"))).mean
    path = save_posterior(Posterior(np.tile(mean, (12, 1)), {}, {}), tmp_path / "post.json")
    doc = json.loads(path.read_text())
    doc["parameters"] = [n for n in parameter_names() if n != "weight.chair_duty"]
    doc["draws"] = [row[:-1] for row in doc["draws"]]
    path.write_text(json.dumps(doc))
    r = cli("crisis", "run", "kazakhstan-2022", "--posterior", str(path), "--trials", "100")
    assert r.code == 2 and "missing chair_duty" in r.err and "Traceback" not in r.err


def test_calibrate_that_does_not_converge_exits_non_zero_and_writes_nothing(
    tmp_path: Path, cli: Callable[..., Result]
) -> None:
    out = tmp_path / "p.json"
    r = cli("calibrate", "--alliance", "csto", "--steps", "50", "--out", str(out))
    assert r.code != 0 and "did not converge" in r.err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_why_lists_a_counterfactual_that_changes_the_level(cli: Callable[..., Result]) -> None:
    r = cli("crisis", "run", "kazakhstan-2022", "--why", "--json", "--trials", "2000")
    assert r.code == 0, r.err
    doc = r.json()
    assert "credible90" in doc
    w = doc["why"]
    assert w["members"] and w["decision"]
    assert any(cf["level"] != doc["level"] for cf in w["counterfactuals"])
