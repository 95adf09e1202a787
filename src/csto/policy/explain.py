"""Explanations in words: a member's stance on a proposal, said as an analyst would say it, from its strongest
factors (each factor's contribution, in the situation's own terms).

It reads the model's ``MemberVote`` and the crisis' features and writes sentences; it computes no score and
decides nothing.
"""

from __future__ import annotations

from csto.policy.model import CrisisFeatures, MemberVote, Reason

STANCES = {"support": "supports", "stand_aside": "stands aside from", "object": "objects to"}


def _phrase(r: Reason, iso3: str, f: CrisisFeatures) -> str:
    affected = f.requester or f.location_state
    aggressor = ", ".join(sorted(f.aggressors)) or (f.aggressor_state or "the attacker")
    plus = r.contribution > 0
    match r.factor:
        case "treaty_coverage":
            return (
                "the collective-defence article covers the situation"
                if plus
                else ("the collective-defence article does not cover the situation")
            )
        case "article_invoked":
            named = {"art4": "the collective-defence article", "art2": "the consultation article"}
            return (
                f"the request invokes {named[f.article]}" if plus else "no article of the treaty was invoked"
            )
        case "self_interest":
            return "it asked for the help itself" if plus else "the step would be aimed at its own forces"
        case "own_request":
            return (
                "it sought help elsewhere and welcomes support"
                if plus
                else "it asked no one and wants no outside step on its own affairs"
            )
        case "alignment":
            return f"it is close to {affected}" if plus else f"it is estranged from {affected}"
        case "lead_state":
            return "the lead state backs the step" if plus else "the lead state does not back the step"
        case "ties_to_aggressor":
            return f"its ties to {aggressor}"
        case "regime_solidarity":
            return "solidarity with a government facing unrest"
        case "severity":
            return f"the gravity of the crisis (intensity {f.intensity:.2f})"
        case "domestic_constraint":
            return "its parliament must approve sending troops abroad"
        case "capacity_cost":
            return "the cost of the step to its armed forces"
        case "commitments_elsewhere":
            return "its forces and attention are taken by a war elsewhere"
        case "chair_duty":
            return "as chair it carries the decision"
    return r.factor.replace("_", " ")


def in_words(v: MemberVote, f: CrisisFeatures, n: int = 2) -> str:
    """One sentence: who takes which stance on which rung, and the decisive factors for and against."""
    top = [r for r in v.reasons if abs(r.contribution) >= 0.05][: max(n, 1) + 1]
    pro = [_phrase(r, v.iso3, f) for r in top if r.contribution > 0][:n]
    con = [_phrase(r, v.iso3, f) for r in top if r.contribution < 0][:n]
    head = f"{v.iso3} {STANCES.get(v.stance, v.stance)} a {v.level}"
    if v.stance == "support":
        why = " and ".join(pro) or "no strong factor against it"
        rest = f", despite {' and '.join(con)}" if con else ""
        return f"{head}: {why}{rest} (score {v.score:+.2f})."
    if v.stance == "object":
        why = " and ".join(con) or "no strong factor for it"
        rest = f", though {' and '.join(pro)}" if pro else ""
        return f"{head}: {why}{rest} (score {v.score:+.2f})."
    parts = [p for p in (" and ".join(pro), " and ".join(con)) if p]
    return (
        f"{head}: {' weighed against '.join(parts) or 'nothing moves it either way'} (score {v.score:+.2f})."
    )
