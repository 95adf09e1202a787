"""The backtest: every episode, predicted from its features alone (in sample; the leave-one-out test of the
calibrated model is in test_loo.py)."""

from __future__ import annotations

from csto.crisis import backtest
from csto.model import load_dataset


def test_every_episode_is_predicted_from_its_scenario() -> None:
    result = backtest(trials=300, seed=0)
    ids = {e.id for e in load_dataset("csto").episodes}
    assert {r.episode for r in result.rows} == ids
    missing = [r.episode for r in result.rows if r.predicted is None]
    assert not missing, f"episodes without a bundled scenario: {missing}"
    assert all(abs(sum(r.result.probabilities.values()) - 1) < 1e-9 for r in result.rows if r.result)
    frame = result.to_frame()
    assert set(frame.index) == ids


def test_the_models_never_see_an_episodes_name() -> None:
    """The policy layer reads features only: no episode id or title appears in its code or parameters."""
    from pathlib import Path

    ds = load_dataset("csto")
    root = Path(__file__).resolve().parents[2] / "src" / "csto"
    texts = [p.read_text() for p in (root / "policy").rglob("*.py")]
    texts += [(root / "data" / "csto" / name).read_text() for name in ("policy.yaml", "policy_members.yaml")]
    texts.append((root / "sim" / "runner.py").read_text())
    for ep in ds.episodes:
        for text in texts:
            assert ep.id not in text, ep.id


def test_a_changed_feature_changes_the_prediction() -> None:
    """Generalisation check: the same crisis framed without an armed attack is not a deployment."""
    from csto.crisis import run, scenarios

    kz = next(s for s in scenarios() if s.id == "kazakhstan-2022")
    unframed = kz.model_copy(update={"framed_as_armed_attack": False, "id": "kz-unframed", "episode": None})
    assert run(unframed, trials=200, seed=3).level != "deployment"


def test_every_nato_invocation_is_predicted_from_its_scenario() -> None:
    """NATO's ten invocations run through the engine too (a deployment to an ally whose troops were hit
    abroad goes to the ally, who ends it)."""
    from csto.sim.backtest import run_backtest

    ds = load_dataset("nato")
    result = run_backtest(ds, trials=300, seed=0)
    assert len(result.rows) == len(ds.episodes) == 10
    assert all(r.predicted is not None for r in result.rows)
