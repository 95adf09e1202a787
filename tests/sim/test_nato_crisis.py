"""The same engine and models on NATO: a hypothetical Art. 5 case through NATO's own coded rules."""

from __future__ import annotations


def test_an_art5_case_runs_through_natos_rules_with_every_members_vote(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "crisis", "run", "estonia-attacked", "--alliance", "nato", "--trials", "300", "--seed", "1", "--json"
    )
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["level"] in ("none", "statement", "mission", "assistance", "deployment")
    votes = doc["decision"]["votes"]
    members = cli("info", "--alliance", "nato", "--at", "2026-06-01", "--json").json()["members"]
    assert {v["iso3"] for v in votes} == {m["iso3"] for m in members}
    for v in votes:
        assert v["reasons"] and all(x["factor"] and isinstance(x["weight"], float) for x in v["reasons"])
    request = doc["timeline"][0]["event"]
    assert "NAT Art. 5" in request


def test_nato_kernel_equals_engine() -> None:
    import numpy as np

    from csto.model import load_dataset
    from csto.policy import load_policy
    from csto.policy.model import draw_at, sample_draws
    from csto.sim.catalog import find
    from csto.sim.kernel import run_kernel
    from csto.sim.runner import run_trial

    ds = load_dataset("nato")
    params = load_policy(ds)
    members = sorted(s.iso3 for s in ds.states)
    sc = find(ds, "estonia-attacked")
    arrays = sample_draws(np.random.default_rng(11), params, members, 200)
    k = run_kernel(ds, params, sc, arrays, members)
    for i in range(200):
        if k.fallback[i]:
            continue
        assert k.levels()[i] == run_trial(ds, params, sc, draw_at(arrays, members, i)).level, i
