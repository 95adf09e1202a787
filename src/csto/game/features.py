"""The crisis as the member models see it: features of the situation, never the episode's name.

``request_params`` is what the requester lodges (the same in a trial and in the room);
``crisis_features`` reads the played world (statuses, the day's treaty text through the rules) and
the injects played so far. It computes nothing the rules decide: coverage is the rules' verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from csto.game.scenario import INTERNAL_KINDS, Scenario
from csto.policy import CrisisFeatures
from csto.policy.model import personnel_of
from csto.procedures import DomainEvent, Engine
from csto.rules.defence import art4_scope


def request_params(sc: Scenario) -> dict[str, Any]:
    """The parameters of the scenario's request for assistance."""
    return {
        "article": sc.request.article,
        "attacked": sc.location.state,
        "kind": sc.kind,
        "aggressor": sc.aggressor.state or sc.aggressor.name,
        "aggressor_is_member": sc.aggressor.member,
        "recognised_territory": sc.location.recognised_territory,
        "framed_as_armed_attack": sc.framed_as_armed_attack,
        "region": sc.location.region,
        "framing": sc.framing,
    }


def belligerents(sc: Scenario) -> tuple[frozenset[str], frozenset[str]]:
    """The states fighting in the scenario, and of them the aggressors: the location's state, the requester
    (when it asks for itself), a member aggressor, and the scenario's listed parties."""
    parties = {sc.location.state}
    aggressors: set[str] = set()
    if sc.request.state is not None and sc.request.to_organization:
        parties.add(sc.request.state)
    if sc.aggressor.member and sc.aggressor.state:
        parties.add(sc.aggressor.state)
        aggressors.add(sc.aggressor.state)
    for p in sc.parties:
        parties.add(p.state)
        if p.role == "aggressor":
            aggressors.add(p.state)
    return frozenset(parties), frozenset(aggressors)


def crisis_features(
    engine: Engine, sc: Scenario, at: dt.datetime, article: str, chair: str | None
) -> CrisisFeatures:
    """The features on ``engine``'s world at ``at``, before any inject."""
    sit = engine.world.situation(at)
    covered = art4_scope(
        sit,
        sc.kind,
        aggressor_is_member=sc.aggressor.member,
        recognised_territory=sc.location.recognised_territory,
        framed_as_armed_attack=sc.framed_as_armed_attack,
        attacked_is_member=sit.is_member(sc.location.state),
    ).ok
    parties, aggressors = belligerents(sc)
    return CrisisFeatures(
        kind=sc.kind,
        location_state=sc.location.state,
        recognised_territory=sc.location.recognised_territory,
        aggressor_state=sc.aggressor.state,
        aggressor_is_member=sc.aggressor.member,
        non_state=sc.aggressor.non_state,
        article=article,
        requester=sc.request.state if sc.request.to_organization else None,
        covered=covered,
        framed_as_armed_attack=sc.framed_as_armed_attack,
        intensity=sc.intensity,
        lead_state_at_war=sc.context.lead_state_at_war,
        chair=chair,
        personnel=personnel_of(engine.dataset, sit.day),
        parties=parties,
        aggressors=aggressors,
        addressed_to=sc.request.addressed_to if sc.request.state is not None else "none",
        internal=sc.kind in INTERNAL_KINDS,
        day=sit.day.isoformat(),
    )


def with_injects(feats: CrisisFeatures, events: list[DomainEvent]) -> CrisisFeatures:
    """Features after the injects played so far: a new intensity, or a framing (true: an armed attack)."""
    for e in events:
        if e.type != "InjectMade":
            continue
        kind, value = e.data.get("kind"), e.data.get("value")
        if kind == "intensity" and isinstance(value, (int, float)):
            feats = replace(feats, intensity=float(value))
        elif kind == "framing":
            feats = replace(feats, framed_as_armed_attack=bool(value))
    return feats
