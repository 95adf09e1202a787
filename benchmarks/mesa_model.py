"""An idiomatic Mesa 3 model of the crisis decision: the honest baseline the vectorized kernel must beat.

Member states are ``mesa.Agent``s that score a proposal from the policy's own factor values and the trial's
weights and noise, and cast a stance; ``CouncilModel.step()`` runs one trial's vote down the ladder (the lead
first, then the others), deciding as ``csto.sim.kernel`` does. Benchmark-only: nothing in ``src/`` imports
Mesa, and nothing here is vectorized; it is the model an analyst would write.
"""

from __future__ import annotations

import mesa
import numpy as np

from csto.game.scenario import Scenario
from csto.model import Dataset
from csto.policy import FACTORS, PolicyParams, nominal_draw
from csto.policy.model import Draw, draw_at, factor_values
from csto.sim.runner import prepare

# rungs tabled only with a provider besides the parties and with the lead state's backing
HELP = ("assistance", "deployment")


class MemberState(mesa.Agent):
    """A member state with a seat in the Council: it scores each proposal and takes a stance on it."""

    def __init__(self, model: CouncilModel, iso3: str, party: bool) -> None:
        super().__init__(model)
        self.iso3 = iso3
        self.party = party  # requester, attacked state or member aggressor: cannot provide help
        self.stance = "stand_aside"
        self.values: dict[tuple[str, str | None], dict[str, float]] = {}  # used when the model caches them

    def vote(self, level: str, lead_stance: str | None = None) -> None:
        """Score the proposal at ``level`` (Σ weight · value + noise) and cast a stance."""
        model: CouncilModel = self.model  # type: ignore[assignment]
        draw = model.draw
        if model.cache_values:
            key = (level, lead_stance)
            if key not in self.values:
                self.values[key] = factor_values(self.iso3, level, model.feats, model.params, lead_stance)
            values = self.values[key]
        else:
            values = factor_values(self.iso3, level, model.feats, model.params, lead_stance)
        score = sum(draw.weights[f] * values[f] for f in FACTORS) + draw.noise.get(self.iso3, 0.0)
        th = model.params.thresholds
        self.stance = "support" if score > th.support else "object" if score < th.object else "stand_aside"


class CouncilModel(mesa.Model):
    """The Collective Security Council deciding one scenario; each ``step()`` is one trial's decision.

    ``arrays`` are the pre-drawn (weights, noise, timing) of ``csto.policy.model.sample_draws``: step ``k``
    uses row ``k - 1``, so the model decides the same trials as the kernel. Seed through ``rng``/``seed``
    only (it orders the non-lead votes, which cannot change the outcome). By default each vote computes its
    factor values afresh, as the engine's ``member_vote`` does; ``cache_values=True`` keeps them per member,
    rung and lead stance (they do not change within a scenario): a quicker variant, shown beside the baseline.
    """

    def __init__(
        self,
        ds: Dataset,
        params: PolicyParams,
        sc: Scenario,
        arrays: tuple[np.ndarray, np.ndarray, np.ndarray],
        members: list[str],
        *,
        rng: int | np.random.Generator | None = None,
        seed: int | None = None,
        cache_values: bool = False,
    ) -> None:
        super().__init__(rng=rng, seed=seed)
        self.cache_values = cache_values
        self.params = params
        self.arrays = arrays
        self.members = members
        self.levels: list[str] = []
        self.level = "none"
        self.draw: Draw = nominal_draw(params)
        self.lead: MemberState | None = None
        self.others = self.agents
        # The set-up before the first proposal is the engine's own, as in the kernel.
        prep = prepare(ds, params, sc, nominal_draw(params))
        self.ladder = prep.ladder if prep is not None else []
        if prep is None:
            return  # nothing reaches the Council: every trial ends at "none"
        self.feats = prep.feats
        self.lead_is_party = params.lead_state in prep.parties
        for iso3 in prep.entitled:
            MemberState(self, iso3, iso3 in prep.parties)
        self.lead = next((a for a in self.agents if a.iso3 == params.lead_state), None)
        self.others = self.agents.select(lambda a: a is not self.lead)

    def step(self) -> None:
        """One trial: proposals down the ladder until one is adopted by consensus."""
        self.draw = draw_at(self.arrays, self.members, self.steps - 1)
        self.level = "none"
        for level in self.ladder:
            lead_stance = None
            if self.lead is not None:
                self.lead.vote(level)  # the lead state decides first ...
                lead_stance = self.lead.stance
            self.others.shuffle_do("vote", level, lead_stance)  # ... the others then, in any order
            if level in HELP:
                providers = any(a.stance == "support" and not a.party for a in self.agents)
                lead_backs = self.lead_is_party or (self.lead is not None and self.lead.stance == "support")
                if not (providers and lead_backs):
                    continue  # not tabled
            stances = [a.stance for a in self.agents]
            if "support" in stances and "object" not in stances:
                self.level = level
                break
        self.levels.append(self.level)
