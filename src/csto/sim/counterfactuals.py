"""Counterfactuals: the smallest changes to one feature of the situation that change the most likely response,
each with its new odds, run on the kernel with the same seed and posterior as the original run.

The candidates are single edits of the scenario that an analyst would try: another article (or a request to
the organization where there was none), the request addressed to the organization, the lead state at war
elsewhere or not, the unrest presented as an armed attack or not, the request lodged 48 hours later, and
the intensity moved by the smallest step that changes the answer. It edits scenarios and compares runs; it
decides nothing itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from csto.errors import CstoError
from csto.game.scenario import INTERNAL_KINDS, Scenario, contradiction
from csto.model import Dataset
from csto.sim.montecarlo import CrisisResult, most_likely, odds


@dataclass(frozen=True)
class Counterfactual:
    """One edit of the situation and what the model then expects."""

    change: str
    field: str
    level: str
    probabilities: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "field": self.field,
            "level": self.level,
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
        }


def _edit(sc: Scenario, **changes: Any) -> Scenario:
    return sc.model_copy(update=changes)


def _request(sc: Scenario, **changes: Any) -> Scenario:
    return _edit(sc, request=sc.request.model_copy(update=changes))


def candidates(sc: Scenario) -> Iterator[tuple[str, str, Scenario]]:
    """(what changed, the field, the edited scenario) for every one-feature edit worth trying."""
    r = sc.request
    articles = {"none": "no article", "art2": "Art. 2 (consultations)", "art4": "Art. 4 (collective defence)"}
    if r.state is not None and r.to_organization:
        for art, name in articles.items():
            if art != r.article:
                yield (
                    f"the request cites {name} instead of {articles[r.article]}",
                    "request.article",
                    _request(sc, article=art),
                )
    elif r.state is not None:
        for art in ("art2", "art4"):
            yield (
                f"{r.state} asks the organization itself under {articles[art]} (not {r.addressed_to})",
                "request.addressed_to",
                _request(sc, addressed_to="csto", to_state=None, article=art),
            )
    else:
        for art in ("art2", "art4"):
            yield (
                f"{sc.location.state} asks the organization under {articles[art]} (no request was made)",
                "request.state",
                _request(sc, state=sc.location.state, addressed_to="csto", article=art),
            )
    war = sc.context.lead_state_at_war
    yield (
        "the lead state is not at war elsewhere" if war else "the lead state is at war elsewhere",
        "context.lead_state_at_war",
        _edit(sc, context=sc.context.model_copy(update={"lead_state_at_war": not war})),
    )
    if sc.kind in INTERNAL_KINDS:
        framed = sc.framed_as_armed_attack
        yield (
            "the unrest is not presented as an armed attack"
            if framed
            else "the unrest is presented as an armed attack from abroad",
            "framed_as_armed_attack",
            _edit(sc, framed_as_armed_attack=not framed),
        )
    if r.state is not None:
        yield (
            "the request is lodged 48 hours later",
            "request.t_hours",
            _request(sc, t_hours=r.t_hours + 48),
        )
    for step in (0.1, 0.2, 0.3, 0.5):
        for sign in (-1, 1):
            value = round(sc.intensity + sign * step, 2)
            if 0.0 <= value <= 1.0:
                yield (
                    f"intensity {value:.2f} instead of {sc.intensity:.2f}",
                    "intensity",
                    _edit(sc, intensity=value, deaths=None),
                )


def counterfactuals(
    ds: Dataset, sc: Scenario, base: CrisisResult, *, trials: int = 20_000, limit: int = 6
) -> list[Counterfactual]:
    """The one-feature edits of ``sc`` that change ``base``'s most likely rung, smallest first (an intensity
    edit counts only at the smallest step that changes the answer, in each direction)."""
    out: list[Counterfactual] = []
    intensity_done: set[int] = set()
    for change, field, edited in candidates(sc):
        if contradiction(edited) is not None:
            continue
        if field == "intensity":
            direction = 1 if edited.intensity > sc.intensity else -1
            if direction in intensity_done:
                continue
        try:
            probs = odds(ds, edited, trials=trials, seed=base.seed, posterior=base.posterior_used)
        except CstoError:
            continue  # an edit the rules or the data cannot take (e.g. a date outside the data)
        level = most_likely(probs)
        if level == base.level:
            continue
        if field == "intensity":
            intensity_done.add(1 if edited.intensity > sc.intensity else -1)
        out.append(Counterfactual(change, field, level, probs))
        if len(out) >= limit:
            break
    return out


def why(ds: Dataset, result: CrisisResult, *, trials: int = 20_000) -> dict[str, Any]:
    """The explanation an analyst reads: each member's decisive factors in words (central run), how the
    Council's rule turned the stances into the outcome, and the counterfactuals."""
    from csto.game import CrisisGame, ModelPlayer, play
    from csto.policy import load_policy, nominal_draw
    from csto.policy.explain import in_words

    post = result.posterior_used
    base = load_policy(ds)
    params = post.mean_params(base) if post is not None else base
    draw = nominal_draw(params)
    state = CrisisGame(ds, result.scenario, params).new_initial_state(draw)
    player = ModelPlayer(params, draw)
    play(state, player)
    feats = state.features()
    members = [in_words(v, feats) for v in result.central.votes if v.stance != "stand_aside" or v.reasons]
    decision = _decision_sentence(state)
    if not members and player.initiatives:
        last = player.initiatives[-1]
        members = [in_words(v, feats) for v in last.votes]
        decision = (
            f"Nobody asked the organization, and no one took the initiative: soundings found no rung that "
            f"would pass (a {last.level} would not)."
        )
    return {
        "members": members,
        "decision": decision,
        "counterfactuals": [c.to_dict() for c in counterfactuals(ds, result.scenario, result, trials=trials)],
        "counterfactual_trials": trials,
    }


def _decision_sentence(state: Any) -> str:
    c = state.case
    if c is None:
        return "Nothing was lodged: nobody asked the organization, and no one took the initiative."
    ev = next((e for e in reversed(c.history) if e.type in ("DecisionAdopted", "DecisionFailed")), None)
    if ev is None:
        return "The Council met, but no proposal came to a decision."
    d = ev.data
    level = d.get("level") or (d.get("proposal") or {}).get("level") or "statement"
    verb = "adopted" if ev.type == "DecisionAdopted" else "not adopted"
    counts = f"{len(d.get('support', []))} in support, {len(d.get('stand_aside', []))} standing aside, " + (
        f"{len(d.get('object', []))} objecting"
    )
    return f"A {level} was {verb} ({counts}): {d.get('reason')}, under {d.get('article')}."
