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
from typing import Any

import numpy as np

from csto.game.features import belligerents
from csto.game.scenario import Scenario
from csto.game.tasking import force_for, personnel_needed, standing_offer
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import FACTORS, PolicyParams, nominal_draw
from csto.policy.model import HOSTILE_BASE, crisis_day, factor_values, split_force
from csto.rules.defence import tasking_within_strength
from csto.sim.plan_store import stored_plan
from csto.sim.runner import Prepared, prepare

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


@dataclass
class KernelSetup:
    """What every chunk of a scenario shares: the engine's set-up, each voter's factor values per rung,
    the lead's pull, and (filled as chunks meet them) each distinct tasking's check and airlift plan."""

    prep: Prepared | None
    order: list[str]
    ladder: list[str]
    V: np.ndarray  # (voters, rungs, factors)
    pull: np.ndarray  # (voters,)
    noise_cols: list[int]  # each voter's column in the members' noise
    factors: list[int]  # the factor columns some trial reads (non-zero value, or the lead's pull)
    h: np.ndarray
    lead_in: bool
    taskings: dict[int, tuple[bool, float, bool, float, float]]
    deploy: Any = None  # the force, its size and offers, the world on the request day: built on first use


def setup_kernel(ds: Dataset, params: PolicyParams, sc: Scenario, members: list[str]) -> KernelSetup:
    """The kernel's per-scenario set-up (computed once, shared by every chunk of a run)."""
    prep = prepare(ds, params, sc, nominal_draw(params))
    if prep is None:
        return KernelSetup(
            None, [], [], np.zeros((0, 0, len(FACTORS))), np.zeros(0), [], [], np.zeros(0), False, {}
        )
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
        if m != lead and lead_in and m not in feats.parties and m != feats.requester:
            pull[i] = prof.lead_pull.on(crisis_day(feats)) if prof is not None else 0.5
    used = set(np.flatnonzero(np.any(V != 0.0, axis=(0, 1))).tolist())
    if lead_in and np.any(pull != 0.0):
        used.add(FACTORS.index("lead_state"))
    h = np.array([max(params.level(lv).hostility, HOSTILE_BASE) for lv in ladder])
    return KernelSetup(
        prep, order, ladder, V, pull, [members.index(m) for m in order], sorted(used), h, lead_in, {}
    )


def run_kernel(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
    members: list[str],
    setup: KernelSetup | None = None,
    deploy: bool = True,
) -> KernelResult:
    """Decide every trial of ``arrays`` (``sample_draws``'s shapes); ``setup`` from ``setup_kernel`` spares
    repeating the per-scenario work (a run's chunks share one). ``deploy=False`` leaves the deployments'
    arrivals and personnel out (the rung alone: no airlift is planned)."""
    weights, noise_all, timing = arrays
    T = weights.shape[0]
    nan = np.full(T, np.nan)
    none = np.zeros(T, dtype=np.int64)
    ks = setup if setup is not None else setup_kernel(ds, params, sc, members)
    prep = ks.prep
    if prep is None:
        return KernelResult(none, nan.copy(), nan.copy(), nan.copy(), np.zeros(T), np.zeros(T, dtype=bool))
    tm = params.timing
    th = params.thresholds
    L = len(ks.ladder)
    noise_t = noise_all.T[ks.noise_cols]  # (M, T), each voter's row contiguous whatever the input's layout
    level, first, rounds, chosen = decide(ks, weights, noise_t, th.support, th.object, params.lead_state)
    any_adopted = first < L
    session = np.maximum(tm.session_hours + tm.session_hours_sd * timing[:, 0], 0.05)
    per_round = np.maximum(np.maximum(tm.decision_hours + tm.decision_hours_sd * timing[:, 1], 0.2) / L, 0.05)
    decided = session + rounds * per_round
    decision_h = np.where(any_adopted, _r2(decided), np.nan)
    # injects that would change the situation before the decision: let the engine run those trials
    fallback = inject_fallback(sc, decided)
    first_units = np.full(T, np.nan)
    all_in = np.full(T, np.nan)
    personnel = np.zeros(T)
    dep = np.where(level == LEVEL_INDEX["deployment"])[0]
    if dep.size and deploy:
        _deploy(ds, params, sc, ks, chosen, dep, decided, timing, first_units, all_in, personnel, fallback)
    return KernelResult(level, decision_h, first_units, all_in, personnel, fallback)


def decide(
    ks: KernelSetup,
    weights: np.ndarray,
    noise_t: np.ndarray,
    support: float | np.ndarray,
    objection: float | np.ndarray,
    lead: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The Council's decision in every trial: each trial's rung (index on the ladder of RESPONSE_LADDER), the
    position of the rung adopted on the scenario's ladder (``len(ladder)`` when none), the rounds tabled,
    and each voter's support on the deployment rung. ``weights`` is (trials, factors), ``noise_t`` (voters,
    trials) in ``ks.order``; the thresholds are scalars or one per trial (a calibration's walkers)."""
    T = weights.shape[0]
    assert ks.prep is not None
    order, ladder, V, pull, h = ks.order, ks.ladder, ks.V, ks.pull, ks.h
    L, M = len(ladder), len(order)
    lead_in = ks.lead_in
    sup_t = np.broadcast_to(np.asarray(support, dtype=np.float64), (T,))
    obj_t = np.broadcast_to(np.asarray(objection, dtype=np.float64), (T,))
    per_trial = np.ndim(support) > 0 or np.ndim(objection) > 0
    # Rung by rung, down the ladder, only for the trials still undecided (a trial stops at the first rung
    # adopted, as the engine does); member by member in a (member, trial) layout so slices are contiguous.
    wt = weights.T  # (F, T), a transposed view: the matrix product reads it without a copy
    wl = weights[:, FACTORS.index("lead_state")]
    parties = ks.prep.parties
    nonparty = np.flatnonzero([m not in parties for m in order])
    lookup = [LEVEL_INDEX[lv] for lv in ladder]
    level = np.zeros(T, dtype=np.int64)
    first = np.full(T, L, dtype=np.int64)
    rounds = np.zeros(T, dtype=np.int64)
    chosen = np.zeros((M, T), dtype=bool)  # each member's support, for the trials that deploy
    pulled = [int(i) for i in np.flatnonzero(pull)]
    pending = np.arange(T)
    for j, lv in enumerate(ladder):
        if pending.size == 0:
            break
        P = pending.size
        # gather the pending trials' draws when few remain; otherwise score every trial and pick after
        gather = P < T // 2
        w_sub = wt[:, pending] if gather else wt
        n_sub = noise_t[:, pending] if gather else noise_t
        wl_sub = wl[pending] if gather else wl
        scores = V[:, j] @ w_sub  # (M, trials): every member at once
        scores += n_sub
        if not gather and P < T:
            scores = scores[:, pending]
        s_sup = sup_t[pending] if per_trial else sup_t[0]
        s_obj = obj_t[pending] if per_trial else obj_t[0]
        if lead_in:
            # the lead votes first; its stance pulls the others (pull is 0 for the lead and the parties)
            s0 = scores[0]
            lead_val = np.where(s0 > s_sup, 1.0, np.where(s0 < s_obj, -1.0, -0.5 * h[j]))
            wl_eff = (wl_sub if gather or P == T else wl_sub[pending]) * lead_val
            for i in pulled:  # row by row, only the members the lead pulls (no (M, P) temporary)
                scores[i] += pull[i] * wl_eff
        sup = scores > s_sup
        obj = scores < s_obj
        tabled = np.ones(P, dtype=bool)
        if lv in ("assistance", "deployment"):
            providers = sup[nonparty].any(axis=0)
            if lead in parties:
                lead_backs = np.ones(P, dtype=bool)
            else:
                lead_backs = sup[0] if lead_in else np.zeros(P, dtype=bool)
            tabled = providers & lead_backs
        some_support = sup.any(axis=0)
        some_object = obj.any(axis=0)
        rounds[pending] += tabled
        adopted_now = tabled & some_support & ~some_object
        if ks.prep.unanimous:  # no standing aside and no silence procedure: every entitled member supports
            adopted_now &= sup.all(axis=0) if not ks.prep.frozen else np.zeros(P, dtype=bool)
        done = pending[adopted_now]
        first[done] = j
        level[done] = lookup[j]
        if lv == "deployment":  # supporters matter only where troops are sent (the tasking)
            if done.size == T:
                chosen = sup
            else:
                chosen[:, done] = sup[:, adopted_now]
        pending = pending[~adopted_now]
    return level, first, rounds, chosen


def inject_fallback(sc: Scenario, decided: np.ndarray) -> np.ndarray:
    """The trials that an inject (other than a note) reaches before their decision: the engine runs those."""
    fallback = np.zeros(decided.shape[0], dtype=bool)
    for inj in sc.injects:
        if inj.kind != "note":
            fallback |= inj.t_hours <= decided + 1e-9
    return fallback


@dataclass(frozen=True)
class _Deployment:
    """The force a deployment tasks, its size, each voter's standing offer, the world on the request day."""

    force_id: str
    force: Any
    needed: int
    offer: np.ndarray
    can_offer: np.ndarray
    sit: Any
    by_state: dict[str, float]


def _deployment(ds: Dataset, params: PolicyParams, sc: Scenario, order: list[str]) -> _Deployment | None:
    force_id = force_for(params, sc)
    if force_id is None:
        return None
    from csto.model import view_at

    view = view_at(ds, sc.request_time.date())
    force = next((f for f in view.forces if f.id == force_id), None)
    needed = personnel_needed(params, sc, force)
    offer = np.array([standing_offer(params, m) for m in order])
    fighting = belligerents(sc)[0] | {sc.request.state}
    can_offer = np.array([m not in fighting for m in order])
    from csto.procedures import Engine

    eng = Engine(ds)
    eng.replay([eng.open(sc.request_time)])
    sit = eng.world.situation()
    by_state = force.registered_by_state(sit.day) if force else {}
    return _Deployment(force_id, force, needed, offer, can_offer, sit, by_state)


def _tasking(
    ds: Dataset, params: PolicyParams, sc: Scenario, order: list[str], d: _Deployment, code: int
) -> tuple[bool, float, bool, float, float]:
    """For the supporters in bit pattern ``code``: (rules allow it, personnel, planned, first, last landing)."""
    mask = [(code >> i) & 1 == 1 for i in range(len(order))]
    offers = {order[i]: int(d.offer[i]) for i in range(len(order)) if mask[i] and d.offer[i] > 0}
    contributions = split_force(offers, params.lead_state, d.needed)
    force = d.force
    ok = (
        bool(contributions)
        and tasking_within_strength(
            d.sit,
            d.force_id,
            contributions,
            registered_total=force.registered_total if force else None,
            registered_by_state=d.by_state,
        ).ok
    )
    plan = (
        stored_plan(ds, tuple(sorted(contributions.items())), sc.destination_airfield, d.force_id)
        if ok and sc.destination_airfield
        else None
    )
    if not plan:
        return ok, float(sum(contributions.values())), False, 0.0, 0.0
    return ok, float(sum(contributions.values())), True, plan[0][0], max(a for a, _, _ in plan)


def _deploy(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    ks: KernelSetup,
    chosen: np.ndarray,
    dep: np.ndarray,
    decided: np.ndarray,
    timing: np.ndarray,
    first_units: np.ndarray,
    all_in: np.ndarray,
    personnel: np.ndarray,
    fallback: np.ndarray,
) -> None:
    d = _deployment_of(ds, params, sc, ks)
    if d is None:
        return
    # each trial's set of supporters who can offer forces, as a bit pattern (members are few: < 2**M codes)
    codes = np.zeros(dep.size, dtype=np.int64)
    whole = dep.size == chosen.shape[1]
    for i in np.flatnonzero(d.can_offer):
        bits = chosen[int(i)] if whole else chosen[int(i), dep]
        codes |= bits.astype(np.int64) << int(i)
    deploy_codes(
        ds, params, sc, ks, codes, dep, decided, timing[:, 2], first_units, all_in, personnel, fallback
    )


def _deployment_of(ds: Dataset, params: PolicyParams, sc: Scenario, ks: KernelSetup) -> _Deployment | None:
    if ks.deploy is None:
        ks.deploy = _deployment(ds, params, sc, ks.order) or False
    return ks.deploy if isinstance(ks.deploy, _Deployment) else None


def deploy_codes(
    ds: Dataset,
    params: PolicyParams,
    sc: Scenario,
    ks: KernelSetup,
    codes: np.ndarray,
    dep: np.ndarray,
    decided: np.ndarray,
    readiness: np.ndarray,
    first_units: np.ndarray,
    all_in: np.ndarray,
    personnel: np.ndarray,
    fallback: np.ndarray,
) -> None:
    """Task the trials ``dep`` that deploy: ``codes`` is each one's supporters as a bit pattern over the
    voters (those who cannot offer forces are dropped here), ``readiness`` every trial's readiness term;
    fills their arrivals and personnel, and marks for the engine those the planner has no plan for."""
    tm = params.timing
    order = ks.order
    d = _deployment_of(ds, params, sc, ks)
    if d is None:
        return
    offer_bits = sum(1 << int(i) for i in np.flatnonzero(d.can_offer))
    if np.any(codes & ~offer_bits):  # the fused path's patterns hold every supporter
        codes = codes & offer_bits
    if len(order) <= 16:
        present = np.bincount(codes, minlength=1 << len(order)) > 0
        uniq = np.flatnonzero(present)
        position = np.zeros(1 << len(order), dtype=np.int64)
        position[uniq] = np.arange(uniq.size)
        inverse = position[codes] if uniq.size > 1 else np.zeros(codes.size, dtype=np.int64)
    else:  # many members (NATO): sort instead of counting every possible pattern
        uniq, inverse = np.unique(codes, return_inverse=True)
    for code in uniq.tolist():
        if code not in ks.taskings:
            ks.taskings[code] = _tasking(ds, params, sc, order, d, code)
    table = np.array([ks.taskings[code] for code in uniq.tolist()], dtype=np.float64).reshape(-1, 5)
    ok_u, total_u, planned = table[:, 0] > 0, table[:, 1], table[:, 2] > 0
    a_first, a_last = table[:, 3], table[:, 4]
    if uniq.size == 1 and dep.size == len(decided):
        # the common case: every trial deploys the same tasking (no gathers needed)
        if not ok_u[0]:
            return
        if not planned[0]:
            fallback[:] = True
            return
        shift = tm.readiness_hours_sd * readiness
        start = decided + 0.5
        firsts = start + np.maximum(0.5, a_first[0] + shift)
        last = start + np.maximum(0.5, a_last[0] + shift)
        first_units[:] = np.round(firsts, 2)
        all_in[:] = np.round(last, 2)
        personnel[:] = total_u[0]
        return
    ok_t, planned_t = ok_u[inverse], planned[inverse]
    fallback[dep[ok_t & ~planned_t]] = True
    go = dep[ok_t & planned_t]
    gi = inverse[ok_t & planned_t]
    shift = tm.readiness_hours_sd * readiness[go]
    start = decided[go] + 0.5
    firsts = start + np.maximum(0.5, a_first[gi] + shift)
    last = start + np.maximum(0.5, a_last[gi] + shift)
    first_units[go] = np.round(firsts, 2)
    all_in[go] = np.round(last, 2)
    personnel[go] = total_u[gi]
