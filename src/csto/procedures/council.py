"""One decision mechanism for every body: convene, table a proposal, state positions, close.

``Ballot`` holds one round's state; ``CouncilSteps`` gives any procedure the four steps. Consensus
among the members entitled to take part; a member may stand aside without blocking; an objection
blocks; frozen members are recorded as standing aside; suspended members have no vote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.rules import RefusedError
from csto.rules.decisions import POSITIONS, consensus_outcome, may_convene, may_vote, quorum

STATE_ACTOR = "a member state (ISO3)"
SESSION_FORMATS = ("regular", "extraordinary", "video")


@dataclass
class Ballot:
    """One session's decision round."""

    body: str = "csc"
    chair: str | None = None
    entitled: list[str] = field(default_factory=list)
    frozen: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    proposal: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    rounds: int = 0
    open: bool = False
    adopted: dict[str, Any] | None = None


def council_specs(proposal_params: dict[str, Param]) -> dict[str, ActionSpec]:
    return {
        "convene": ActionSpec(
            "convene",
            "the chair of the body (or 'secretariat')",
            "Open a session of a body on this case.",
            {
                "body": Param("str", default="csc", help="csc, cfm, cdm, cssc or pc"),
                "format": Param("str", choices=SESSION_FORMATS, default="extraordinary"),
            },
        ),
        "propose": ActionSpec(
            "propose",
            "a member entitled to take part, or the chair",
            "Table a proposal for decision.",
            proposal_params,
        ),
        "vote": ActionSpec(
            "vote",
            STATE_ACTOR,
            "State a position on the proposal: support, stand aside (without blocking) or object.",
            {
                "position": Param("str", required=True, choices=POSITIONS),
                "reason": Param("str", help="why, in a sentence"),
            },
        ),
        "close": ActionSpec(
            "close", "the chair (or 'secretariat')", "Close the round; the rule computes the outcome."
        ),
    }


class CouncilSteps(Procedure):
    """Mixin: the decision steps, for procedures whose outcome is a council decision."""

    ballot: Ballot

    def _init_ballot(self) -> None:
        self.ballot = Ballot()

    def exclude_from_vote(self) -> list[str]:
        """States that do not take part in this decision (e.g. the member whose suspension is decided)."""
        return []

    def default_proposal(self) -> dict[str, Any]:
        return {}

    def validate_proposal(self, action: Action, proposal: dict[str, Any]) -> None:
        """Raise a refusal if the proposal is not allowed (e.g. a deployment decided by the wrong body)."""

    # ------------------------------------------------------------------ decide
    def on_convene(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        body = str(action.get("body", "csc"))
        b = sit.alliance.body(body)
        if b is None:
            raise RefusedError(self.refusal(f"no body '{body}' exists on {sit.day.isoformat()}"))
        chair = b.chair_in(action.at.year)
        effective_chair = chair if chair is not None and sit.status(chair) == "member" else None
        self.check(may_convene(sit, action.actor, b.name, effective_chair))
        excluded = self.exclude_from_vote()
        entitled = [s for s in sit.members() if s not in excluded and sit.status(s) != "suspended"]
        frozen = [s for s in entitled if sit.status(s) == "frozen"]
        return [
            self.event(
                "SessionConvened",
                action,
                body=b.id,
                body_name=b.name,
                chair=chair,
                format=action.get("format", "extraordinary"),
                entitled=entitled,
                frozen=frozen,
                excluded=excluded,
                proposal=self.default_proposal(),
            )
        ]

    def on_propose(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        if action.actor != self.ballot.chair and action.actor not in ("secretariat",):
            self.check(may_vote(sit, action.actor))
        proposal = {k: v for k, v in action.params.items() if v is not None}
        self.validate_proposal(action, proposal)
        return [self.event("ProposalTabled", action, proposal=proposal, round=self.ballot.rounds + 1)]

    def on_vote(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        self.check(may_vote(sit, action.actor))
        if action.actor not in self.ballot.entitled:
            raise RefusedError(
                self.refusal(f"{action.actor} is not among the members taking part in this decision")
            )
        changed = action.actor in self.ballot.positions
        return [
            self.event(
                "VoteCast",
                action,
                state=action.actor,
                position=action.get("position"),
                reason=action.get("reason") or "",
                changed=changed,
            )
        ]

    def on_close(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        if action.actor not in (self.ballot.chair, "secretariat") and self.ballot.chair is not None:
            raise RefusedError(
                self.refusal(f"the round is closed by the chair ({self.ballot.chair}), not {action.actor}")
            )
        b = sit.alliance.body(self.ballot.body)
        rule = b.decision_rule if b is not None else None
        voting = [s for s in self.ballot.entitled if s not in self.ballot.frozen]
        present = [s for s in voting if s in self.ballot.positions]
        self.check(quorum(sit, len(voting), len(present)))
        positions = dict(self.ballot.positions)
        for s in self.ballot.frozen:
            positions.setdefault(s, "stand_aside")
        tally = consensus_outcome(
            sit,
            self.ballot.entitled,
            positions,
            stand_aside_allowed=rule.stand_aside if rule is not None else True,
            silence=rule.silence if rule is not None else False,
        )
        data = {
            "body": self.ballot.body,
            "support": list(tally.support),
            "stand_aside": list(tally.stand_aside),
            "object": list(tally.object),
            "absent": list(tally.absent),
            "frozen": list(self.ballot.frozen),
            "limited_format": tally.limited_format,
            "reason": tally.reason,
            "reasons": dict(self.ballot.reasons),
            "article": sit.cite("charter", "12"),
            "round": self.ballot.rounds,
        }
        if tally.adopted:
            return [self.event("DecisionAdopted", action, **self.ballot.proposal, **data)]
        return [self.event("DecisionFailed", action, proposal=dict(self.ballot.proposal), **data)]

    # ------------------------------------------------------------------ evolve
    def ev_SessionConvened(self, e: DomainEvent) -> None:
        d = e.data
        self.ballot.body = d["body"]
        self.ballot.chair = d["chair"]
        self.ballot.entitled = list(d["entitled"])
        self.ballot.frozen = list(d["frozen"])
        self.ballot.excluded = list(d["excluded"])
        self.ballot.positions = {}
        self.ballot.reasons = {}
        self.ballot.proposal = dict(d.get("proposal") or {})
        self.ballot.open = True
        if self.ballot.proposal:
            self.ballot.rounds += 1

    def ev_ProposalTabled(self, e: DomainEvent) -> None:
        self.ballot.proposal = dict(e.data["proposal"])
        self.ballot.positions = {}
        self.ballot.reasons = {}
        self.ballot.rounds = int(e.data["round"])

    def ev_VoteCast(self, e: DomainEvent) -> None:
        self.ballot.positions[e.data["state"]] = e.data["position"]
        self.ballot.reasons[e.data["state"]] = e.data.get("reason", "")

    def ev_DecisionAdopted(self, e: DomainEvent) -> None:
        self.ballot.open = False
        self.ballot.adopted = dict(e.data)

    def ev_DecisionFailed(self, e: DomainEvent) -> None:
        # The session stays open: a new proposal may be tabled, or the case concluded.
        self.ballot.proposal = {}
        self.ballot.positions = {}
        self.ballot.reasons = {}

    # ------------------------------------------------------------------ sequence
    def council_allowed(self, kind: str, actor: str) -> str | None:
        """Sequence checks for the four council steps (None when the step fits)."""
        b = self.ballot
        if kind == "convene":
            return None if not b.open else "a session on this case is already open"
        if not b.open:
            return f"no session is open on this case: '{kind}' must follow 'convene'"
        if kind == "propose":
            return None
        if kind in ("vote", "close") and not b.proposal:
            return "no proposal has been tabled"
        return None
