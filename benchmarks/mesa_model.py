"""The Mesa 3 model an analyst would write of the crisis decision: the honest baseline for the kernel.

Member states are ``mesa.Agent``s. The factor values of each member on each rung do not change within a
scenario, so the model computes them once, when it is built (``csto.policy.model.factor_values``); each
``step()`` is one trial: it draws that trial's weights, noise and timing from the model's own ``rng`` (or
reads row ``k`` of pre-drawn arrays, to be compared with the kernel trial by trial), lets the lead state vote
first and the others in ``shuffle_do`` order, goes down the ladder until a rung is adopted by consensus, and
records the same outputs as the kernel: the rung, the hours to the decision and, for a deployment, the first
and last landing of the airlift plan of the tasking (planned once per distinct tasking, as the kernel does).
Benchmark-only: nothing in ``src/`` imports Mesa, and nothing here is vectorized across trials.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from csto.game.scenario import Scenario
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import FACTORS, PolicyParams, nominal_draw
from csto.policy.model import HOSTILE_BASE, factor_values
from csto.sim.kernel import _deployment, _tasking
from csto.sim.runner import prepare

HELP = (
    "assistance",
    "deployment",
)  # rungs tabled only with a provider besides the parties and the lead's backing


class MemberState(mesa.Agent):
    """A member state with a seat in the Council: it scores each proposal and takes a stance on it."""

    def __init__(self, model: CouncilModel, iso3: str, index: int, party: bool, pull: float) -> None:
        super().__init__(model)
        self.iso3 = iso3
        self.index = index  # its position in the vote (the lead first)
        self.party = party  # requester or attacked state: cannot provide help
        self.pull = pull  # how much the lead state's stance moves it
        # its factor values on every rung, computed once: they do not change within the scenario
        self.values = [
            [v[f] for f in FACTORS]
            for v in (factor_values(iso3, lv, model.feats, model.params, None) for lv in model.ladder)
        ]
        self.stance = "stand_aside"

    def vote(self, rung: int, lead_value: float = 0.0) -> None:
        """Score the proposal on ``rung`` (Σ weight · value + noise, plus the lead's pull) and take a stance."""
        model: CouncilModel = self.model  # type: ignore[assignment]
        score = sum(w * v for w, v in zip(model.w, self.values[rung], strict=True)) + model.noise[self.index]
        if self.pull:
            score += self.pull * model.w_lead * lead_value
        th = model.params.thresholds
        self.stance = "support" if score > th.support else "object" if score < th.object else "stand_aside"


class CouncilModel(mesa.Model):
    """The Collective Security Council deciding one scenario; each ``step()`` is one trial.

    With ``arrays`` (``sample_draws``'s weights, noise and timing) step ``k`` reads row ``k - 1``, so the
    model decides the same trials as the kernel; without them it draws its own from ``self.rng``. Seed
    through ``rng`` only. Outputs per trial: ``levels``, ``decision_h``, ``first_units_h``, ``all_in_h``.
    """

    def __init__(
        self,
        ds: Dataset,
        params: PolicyParams,
        sc: Scenario,
        members: list[str],
        *,
        arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        rng: int | np.random.Generator | None = None,
    ) -> None:
        super().__init__(rng=rng)
        self.ds, self.params, self.sc, self.arrays = ds, params, sc, arrays
        self.levels: list[str] = []
        self.decision_h: list[float] = []
        self.first_units_h: list[float] = []
        self.all_in_h: list[float] = []
        self.mean = np.array([params.weight(f).weight for f in FACTORS])
        self.sd = np.array([params.weight(f).sd for f in FACTORS])
        self.lead_col = FACTORS.index("lead_state")
        self.taskings: dict[int, tuple[bool, float, bool, float, float]] = {}
        self.deployment = None
        prep = prepare(
            ds, params, sc, nominal_draw(params)
        )  # the set-up before the first proposal: the engine's
        self.prep = prep
        self.ladder = prep.ladder if prep is not None else []
        self.lead: MemberState | None = None
        self.others = self.agents
        if prep is None:
            return  # nothing reaches the Council: every trial ends at "none"
        self.feats = prep.feats
        lead = params.lead_state
        entitled = list(prep.entitled)
        self.order = ([lead] if lead in entitled else []) + [m for m in entitled if m != lead]
        self.noise_cols = [members.index(m) for m in self.order]
        lead_in = lead in entitled
        for i, iso3 in enumerate(self.order):
            prof = params.member(iso3)
            pulled = (
                iso3 != lead and lead_in and iso3 not in (self.feats.requester, self.feats.location_state)
            )
            pull = (prof.lead_pull.value if prof is not None else 0.5) if pulled else 0.0
            MemberState(self, iso3, i, iso3 in prep.parties, pull)
        self.lead = next((a for a in self.agents if a.iso3 == lead), None)
        self.others = self.agents.select(lambda a: a is not self.lead)
        self.lead_is_party = lead in prep.parties
        self.hostility = [max(params.level(lv).hostility, HOSTILE_BASE) for lv in self.ladder]

    def _draw(self) -> None:
        if self.arrays is not None:
            weights, noise, timing = self.arrays
            k = self.steps - 1
            self.w = weights[k].tolist()
            self.noise = noise[k, self.noise_cols].tolist()
            self.timing = timing[k].tolist()
        else:
            self.w = np.maximum(0.0, self.mean + self.sd * self.rng.standard_normal(len(FACTORS))).tolist()
            self.noise = (
                self.params.thresholds.noise_sd * self.rng.standard_normal(len(self.order))
            ).tolist()
            self.timing = self.rng.standard_normal(3).tolist()
        self.w_lead = self.w[self.lead_col]

    def step(self) -> None:
        """One trial: proposals down the ladder until one is adopted by consensus."""
        if self.prep is None:
            self._record("none", math.nan)
            return
        self._draw()
        level, rounds = "none", 0
        for j, lv in enumerate(self.ladder):
            lead_value = 0.0
            if self.lead is not None:
                self.lead.vote(j)  # the lead state decides first ...
                s = self.lead.stance
                lead_value = 1.0 if s == "support" else -1.0 if s == "object" else -0.5 * self.hostility[j]
            self.others.shuffle_do("vote", j, lead_value)  # ... the others then, in any order
            if lv in HELP:
                providers = any(a.stance == "support" and not a.party for a in self.agents)
                lead_backs = self.lead_is_party or (self.lead is not None and self.lead.stance == "support")
                if not (providers and lead_backs):
                    continue  # not tabled
            rounds += 1
            stances = [a.stance for a in self.agents]
            if "support" in stances and "object" not in stances:
                level = lv
                break
        tm = self.params.timing
        session = max(tm.session_hours + tm.session_hours_sd * self.timing[0], 0.05)
        per_round = max(
            max(tm.decision_hours + tm.decision_hours_sd * self.timing[1], 0.2) / len(self.ladder), 0.05
        )
        decided = session + rounds * per_round
        self._record(level, round(decided, 2) if level != "none" else math.nan, decided)

    def _record(self, level: str, decision_h: float, decided: float = 0.0) -> None:
        self.levels.append(level)
        self.decision_h.append(decision_h)
        first = last = math.nan
        if level == "deployment":
            first, last = self._landings(decided)
        self.first_units_h.append(first)
        self.all_in_h.append(last)

    def _landings(self, decided: float) -> tuple[float, float]:
        """First and last landing of the airlift plan of this trial's tasking (planned once per tasking)."""
        if self.deployment is None:
            self.deployment = _deployment(self.ds, self.params, self.sc, self.order) or False
        d = self.deployment
        if not d:
            return math.nan, math.nan
        code = sum(1 << a.index for a in self.agents if a.stance == "support" and d.can_offer[a.index])
        if code not in self.taskings:
            self.taskings[code] = _tasking(self.ds, self.params, self.sc, self.order, d, code)
        ok, _total, planned, a_first, a_last = self.taskings[code]
        if not (ok and planned):
            return math.nan, math.nan
        shift = self.params.timing.readiness_hours_sd * self.timing[2]
        start = decided + 0.5
        return round(start + max(0.5, a_first + shift), 2), round(start + max(0.5, a_last + shift), 2)

    def level_counts(self) -> np.ndarray:
        return np.array([self.levels.count(lv) for lv in RESPONSE_LADDER])
