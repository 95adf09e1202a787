"""The vectorized kernel: the crisis decision and force generation for many trials at once, in NumPy.

It consumes the same pre-drawn arrays as the engine path (weights, member noise, timing) and takes over
from the first proposal: the set-up (which procedure the rules allow, who sits, the features) is the
engine's own, computed once. Scores are one matrix product; the ladder, the lead-first rule, the
providers rule and consensus are array operations; force tasking is checked with the rules' own function
once per distinct tasking, and arrival times come from the airlift plan. Trials the kernel cannot follow
exactly (no airlift plan, an inject that changes the situation before the decision) go to the engine.
A test holds it equal to the engine, trial by trial.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import FACTORS, PolicyParams, nominal_draw
from csto.policy.model import HOSTILE_BASE, factor_values, split_force
from csto.rules.defence import tasking_within_strength
from csto.sim.runner import cached_plan, prepare
from csto.sim.scenario import Scenario

LEVEL_INDEX = {lv: i for i, lv in enumerate(RESPONSE_LADDER)}


@dataclass
class KernelResult:
    """Per-trial outcomes: level index on the ladder, hours to a decision, first units, all in, personnel."""

    level: np.ndarray
    decision_h: np.ndarray
    first_units_h: np.ndarray
    all_in_h: np.ndarray
    personnel: np.ndarray
    fallback: np.ndarray  # trials to run through the engine instead

    def levels(self) -> list[str]:
        return [RESPONSE_LADDER[i] for i in self.level]


def _r2(x: np.ndarray) -> np.ndarray:
    return np.round(x, 2)


def run_kernel(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
    members: list[str],
) -> KernelResult:
    weights, noise_all, timing = arrays
    T = weights.shape[0]
    nan = np.full(T, np.nan)
    none = np.zeros(T, dtype=np.int64)
    prep = prepare(ds, params, sc, nominal_draw(params))
    if prep is None:
        return KernelResult(none, nan.copy(), nan.copy(), nan.copy(), np.zeros(T), np.zeros(T, dtype=bool))
    tm = params.timing
    feats = prep.feats
    lead = params.lead_state
    voters = list(prep.entitled)
    lead_in = lead in voters
    # order as the engine votes: the lead first, then the others in the Council's order
    order = ([lead] if lead_in else []) + [m for m in voters if m != lead]
    ladder = prep.ladder
    L, M, F = len(ladder), len(order), len(FACTORS)
    V = np.zeros((M, L, F))
    pull = np.zeros(M)
    for i, m in enumerate(order):
        for j, lv in enumerate(ladder):
            vals = factor_values(m, lv, feats, params, None)
            V[i, j] = [vals[f] for f in FACTORS]
        prof = params.member(m)
        if m != lead and lead_in and m not in (feats.requester, feats.location_state):
            pull[i] = prof.lead_pull.value if prof is not None else 0.5
    col = {m: members.index(m) for m in order}
    noise = noise_all[:, [col[m] for m in order]]  # (T, M)
    th = params.thresholds
    h = np.array([max(params.level(lv).hostility, HOSTILE_BASE) for lv in ladder])
    # member by member, in a (member, rung, trial) layout so every slice is contiguous
    wt = np.ascontiguousarray(weights.T)  # (F, T)
    wl = weights[:, FACTORS.index("lead_state")]
    support = np.empty((M, L, T), dtype=bool)
    objects = np.empty((M, L, T), dtype=bool)
    lead_val = np.zeros((L, T))
    for i in range(M):
        sc_i = V[i] @ wt  # (L, T)
        sc_i += noise[:, i][None, :]
        if lead_in and i > 0 and pull[i] != 0.0:
            sc_i += (wl * pull[i])[None, :] * lead_val
        np.greater(sc_i, th.support, out=support[i])
        np.less(sc_i, th.object, out=objects[i])
        if lead_in and i == 0:
            lead_val = np.where(support[0], 1.0, np.where(objects[0], -1.0, -0.5 * h[:, None]))
    parties = prep.parties
    nonparty = np.array([m not in parties for m in order])
    # the ladder, top down: tabled?, adopted?  (arrays are (rung, trial))
    tabled = np.ones((L, T), dtype=bool)
    for j, lv in enumerate(ladder):
        if lv in ("assistance", "deployment"):
            providers = np.zeros(T, dtype=bool)
            for k in np.flatnonzero(nonparty):
                providers |= support[int(k), j]
            if lead in parties:
                lead_backs = np.ones(T, dtype=bool)
            else:
                lead_backs = support[0, j] if lead_in else np.zeros(T, dtype=bool)
            tabled[j] = providers & lead_backs
    some_support = np.zeros((L, T), dtype=bool)
    some_object = np.zeros((L, T), dtype=bool)
    for i in range(M):
        some_support |= support[i]
        some_object |= objects[i]
    adopted = (tabled & some_support & ~some_object).T  # (T, L)
    any_adopted = adopted.any(axis=1)
    first = np.where(any_adopted, adopted.argmax(axis=1), L)
    lookup = np.array([LEVEL_INDEX[lv] for lv in ladder] + [0], dtype=np.int64)
    level = np.where(any_adopted, lookup[first], 0)
    cum = np.cumsum(tabled.T, axis=1)
    rounds = np.where(any_adopted, cum[np.arange(T), np.minimum(first, L - 1)], 0)
    session = np.maximum(tm.session_hours + tm.session_hours_sd * timing[:, 0], 0.05)
    per_round = np.maximum(np.maximum(tm.decision_hours + tm.decision_hours_sd * timing[:, 1], 0.2) / L, 0.05)
    decided = session + rounds * per_round
    decision_h = np.where(any_adopted, _r2(decided), np.nan)
    # injects that would change the situation before the decision: let the engine run those trials
    fallback = np.zeros(T, dtype=bool)
    for inj in sc.injects:
        if inj.kind != "note":
            fallback |= inj.t_hours <= decided + 1e-9
    first_units = np.full(T, np.nan)
    all_in = np.full(T, np.nan)
    personnel = np.zeros(T)
    dep = np.where(level == LEVEL_INDEX["deployment"])[0]
    if dep.size:
        _deploy(
            ds,
            params,
            sc,
            order,
            support,
            nonparty,
            first,
            dep,
            decided,
            timing,
            first_units,
            all_in,
            personnel,
            fallback,
        )
    return KernelResult(level, decision_h, first_units, all_in, personnel, fallback)


def _deploy(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    order: list[str],
    support: np.ndarray,
    nonparty: np.ndarray,
    first: np.ndarray,
    dep: np.ndarray,
    decided: np.ndarray,
    timing: np.ndarray,
    first_units: np.ndarray,
    all_in: np.ndarray,
    personnel: np.ndarray,
    fallback: np.ndarray,
) -> None:
    tm = params.timing
    choice = next((f for f in params.forces if f.kind == sc.kind), None)
    if choice is None:
        return
    force_id = choice.force
    if choice.central_asia_force and sc.location.state in params.central_asia:
        force_id = choice.central_asia_force
    from csto.model import view_at

    view = view_at(ds, sc.request_time.date())
    force = next((f for f in view.forces if f.id == force_id), None)
    strength = force.registered_strength.value if force and force.registered_strength else 2000.0
    needed = sc.force_size or max(
        100, int(round(choice.share_of_strength * sc.intensity * strength / 10) * 10)
    )
    offer = np.array([_offer(params, m) for m in order])
    feats_parties = {sc.request.state, sc.location.state}
    can_offer = np.array([m not in feats_parties for m in order])
    from csto.procedures import Engine

    eng = Engine(ds)
    eng.replay([eng.open(sc.request_time)])
    sit = eng.world.situation()
    by_state = (
        {
            c.state: c.personnel.value
            for c in force.contributions
            if c.personnel is not None and c.active_on(sit.day)
        }
        if force
        else {}
    )
    masks = support[:, first[dep], dep].T & can_offer[None, :]  # (D, M)
    codes = masks.astype(np.int64) @ (1 << np.arange(masks.shape[1], dtype=np.int64))
    uniq, inverse = np.unique(codes, return_inverse=True)
    ok_u = np.zeros(len(uniq), dtype=bool)
    total_u = np.zeros(len(uniq))
    a_first = np.zeros(len(uniq))
    a_last = np.zeros(len(uniq))
    planned = np.zeros(len(uniq), dtype=bool)
    for u, code in enumerate(uniq):
        mask = [(int(code) >> i) & 1 == 1 for i in range(len(order))]
        offers = {order[i]: int(offer[i]) for i in range(len(order)) if mask[i] and offer[i] > 0}
        contributions = split_force(offers, params.lead_state, needed)
        ok = (
            bool(contributions)
            and tasking_within_strength(
                sit,
                force_id,
                contributions,
                registered_total=force.registered_strength.value
                if force and force.registered_strength
                else None,
                registered_by_state=by_state,
            ).ok
        )
        plan = (
            cached_plan(ds, tuple(sorted(contributions.items())), sc.destination_airfield, force_id)
            if ok and sc.destination_airfield
            else None
        )
        ok_u[u], total_u[u] = ok, sum(contributions.values())
        if plan:
            planned[u] = True
            a_first[u] = plan[0][0]
            a_last[u] = max(a for a, _, _ in plan)
    ok_t, planned_t = ok_u[inverse], planned[inverse]
    fallback[dep[ok_t & ~planned_t]] = True
    go = dep[ok_t & planned_t]
    gi = inverse[ok_t & planned_t]
    shift = tm.readiness_hours_sd * timing[go, 2]
    start = decided[go] + 0.5
    firsts = start + np.maximum(0.5, a_first[gi] + shift)
    last = start + np.maximum(0.5, a_last[gi] + shift)
    first_units[go] = np.round(firsts, 2)
    all_in[go] = np.round(np.maximum(firsts + 1.0, last), 2)
    personnel[go] = total_u[gi]


def _offer(params: PolicyParams, iso3: str) -> int:
    prof = params.member(iso3)
    return int(prof.min_contingent.value) if prof else 100
