"""Rules on deciding: who may take part, who convenes, quorum, and the consensus outcome.

One mechanism for every body: consensus among the members entitled to vote; a member may stand
aside (the 'limited format') without blocking; an objection blocks. The decision rule itself is
data (``Body.decision_rule``) and ``consensus_outcome`` applies it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from csto.rules.core import ALLOWED, Situation, Verdict, rule

Position = Literal["support", "stand_aside", "object"]
POSITIONS: tuple[str, ...] = ("support", "stand_aside", "object")


@rule(
    "charter-art12-voting-rights",
    "charter",
    "12",
    "Only members entitled to take part vote; suspended members do not vote and frozen members stand aside.",
)
def may_vote(sit: Situation, state: str) -> Verdict:
    from csto.rules.membership import taking_part

    return taking_part(
        sit,
        state,
        "charter-art12-voting-rights",
        "voting",
        suspended=f"{state} is suspended and has no vote in the organization's bodies",
        outsider=f"{state} is not a member entitled to vote (status: {sit.status(state) or 'none'})",
    )


@rule(
    "charter-art13-convening",
    "charter",
    "13",
    "A session of a council is convened by its chair (the member chairing that year); an extraordinary "
    "session may be requested by any member entitled to take part.",
)
def may_convene(sit: Situation, actor: str, body: str, chair: str | None) -> Verdict:
    if actor in ("secretariat", "secretary_general"):
        return ALLOWED
    if chair is not None and actor != chair:
        return sit.refuse(
            "charter-art13-convening",
            f"the {body} session is convened by its chair ({chair}), not by {actor}; {actor} may ask for one",
        )
    return ALLOWED


@rule(
    "charter-art12-quorum",
    "charter",
    "12",
    "A decision is taken only when enough of the members entitled to take part have stated a position; the "
    "absent are recorded as standing aside (practice 2023).",
    uncertain=True,
    basis="2023-11-23 Minsk summit without Armenia: lack of quorum acknowledged yet decisions declared "
    "legitimate. Settings: quorum_fraction, absent_counts_as_stand_aside.",
)
def quorum(sit: Situation, entitled: int, present: int) -> Verdict:
    if entitled == 0:
        return sit.refuse("charter-art12-quorum", "no member is entitled to take part in this decision")
    needed = max(1, math.ceil(entitled * sit.config.quorum_fraction - 1e-9))
    if present < needed:
        return sit.refuse(
            "charter-art12-quorum",
            f"only {present} of {entitled} members entitled to take part have stated a position; "
            f"{needed} are needed",
        )
    if not sit.config.absent_counts_as_stand_aside and present < entitled:
        return sit.refuse(
            "charter-art12-quorum",
            f"{entitled - present} entitled member(s) have not stated a position and absence does not count as "
            "standing aside in this configuration",
        )
    return ALLOWED


@dataclass(frozen=True)
class Tally:
    """The positions on one decision and what the rule makes of them."""

    support: tuple[str, ...]
    stand_aside: tuple[str, ...]
    object: tuple[str, ...]
    absent: tuple[str, ...]
    adopted: bool
    limited_format: bool
    reason: str


@rule(
    "charter-art12-consensus",
    "charter",
    "12",
    "Decisions are taken by consensus of the members entitled to take part: an objection blocks; standing "
    "aside does not, and the others then adopt the decision in a limited format.",
)
def consensus_outcome(
    sit: Situation,
    entitled: list[str],
    positions: Mapping[str, str],
    *,
    stand_aside_allowed: bool = True,
    unanimity: bool = False,
    silence: bool = False,
) -> Tally:
    """Apply the decision rule. With ``unanimity`` (base consent) everyone must support. With ``silence`` (a
    body deciding by the silence procedure, such as NATO's Council) a member that neither supports nor objects
    consents: an objection blocks, and otherwise the draft is agreed by all."""
    support = tuple(s for s in entitled if positions.get(s) == "support")
    aside = tuple(s for s in entitled if positions.get(s) == "stand_aside")
    objects = tuple(s for s in entitled if positions.get(s) == "object")
    absent = tuple(s for s in entitled if s not in positions)
    if objects:
        return Tally(
            support, aside, objects, absent, False, False, f"blocked by the objection of {', '.join(objects)}"
        )
    if not support:
        return Tally(support, aside, objects, absent, False, False, "no member supports the proposal")
    if silence and not unanimity:
        return Tally(
            support,
            aside,
            objects,
            absent,
            True,
            False,
            "agreed under the silence procedure: no member objected",
        )
    if unanimity and (aside or absent):
        missing = ", ".join(aside + absent)
        return Tally(
            support,
            aside,
            objects,
            absent,
            False,
            False,
            f"consent of every member required; missing: {missing}",
        )
    if (aside or absent) and not stand_aside_allowed:
        return Tally(support, aside, objects, absent, False, False, "this body does not allow standing aside")
    limited = bool(aside or absent)
    how = "in a limited format, without " + ", ".join(aside + absent) if limited else "by consensus"
    return Tally(support, aside, objects, absent, True, limited, f"adopted {how}")
