"""Players: who picks the moves of a seat. ``ModelPlayer`` plays member states and the offices with
the decision model and says why; in a trial it holds every seat, and chance holds the clock.

The model's rules of play live here once: the lead state votes first and the others know its stance;
help (assistance, deployment) is tabled only if soundings find a provider besides the parties and
the lead state backs it; the convener puts proposals down the ladder and concludes when none is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csto.game import sequence
from csto.game.moves import Move
from csto.game.state import CrisisState
from csto.policy import CrisisFeatures, Draw, MemberVote, PolicyParams, member_vote
from csto.policy.model import Reason, frozen_vote
from csto.rules.decisions import consensus_outcome


def reason_text(reasons: tuple[Reason, ...] | list[Reason], n: int = 3) -> list[str]:
    """The strongest factors of a stance, as short texts ('(assumed)' where the weight is assumed)."""
    return [
        f"{r.factor.replace('_', ' ')} {r.contribution:+.2f}" + (" (assumed)" if r.assumed else "")
        for r in reasons[:n]
    ]


def council_votes(
    params: PolicyParams, draw: Draw, level: str, feats: CrisisFeatures, entitled: list[str]
) -> list[MemberVote]:
    """Every entitled member's stance on ``level``: the lead state first, the others knowing its stance."""
    lead = params.lead_state
    lead_vote = member_vote(lead, level, feats, params, draw) if lead in entitled else None
    stance = lead_vote.stance if lead_vote else None
    out = [lead_vote] if lead_vote else []
    for s in entitled:
        if s != lead:
            out.append(member_vote(s, level, feats, params, draw, stance))
    return out


@dataclass
class Sounding:
    """One rung considered by the convener: the model's votes on it, and whether it was tabled."""

    level: str
    votes: list[MemberVote]
    tabled: bool
    why: str = ""


@dataclass
class ModelPlayer:
    """The decision model at every seat it holds (one instance may hold many seats)."""

    params: PolicyParams
    draw: Draw
    soundings: list[Sounding] = field(default_factory=list)
    #: the soundings behind a step of its own initiative (consultations, a draft statement)
    initiatives: list[Sounding] = field(default_factory=list)
    #: take every step of own initiative without sounding (the kernel's set-up: it decides per trial)
    always_initiate: bool = False
    #: whether this player took a step of its own initiative
    initiated: bool = False
    _cache: dict[tuple[Any, ...], list[MemberVote]] = field(default_factory=dict)

    def votes(self, st: CrisisState, level: str, case: str = sequence.CASE) -> list[MemberVote]:
        """The model's stance of every seat taking part in ``case``'s session, frozen members recorded as
        standing aside (the crisis' features frame every case played during it)."""
        c = st.engine.cases.get(case)
        b = c.ballot if c is not None and hasattr(c, "ballot") else None
        entitled = [s for s in (b.entitled if b else []) if s not in (b.frozen if b else [])]
        injects = len(st.injects)
        key = (level, tuple(entitled), injects)
        if key not in self._cache:
            out = council_votes(self.params, self.draw, level, st.features(), entitled)
            out += [frozen_vote(s, level) for s in (b.frozen if b else [])]
            self._cache[key] = out
        return self._cache[key]

    def takes_initiative(self, st: CrisisState, beat: sequence.Beat) -> bool:
        """Whether the seat takes the step of its own initiative: only when soundings of the Council find a
        rung of the case it would open that would pass (tabled under the convener's rules, adopted under the
        decision rule). Nobody opens consultations, or circulates a draft, that is bound to fail."""
        if self.always_initiate:
            self.initiated = True
            return True
        sit = st.engine.world.situation()
        entitled = sit.voters()
        feats = st.features()
        body = sit.alliance.body(sit.top_council())
        rule = body.decision_rule if body is not None else None
        how = {
            "stand_aside_allowed": rule.stand_aside if rule is not None else True,
            "silence": rule.silence if rule is not None else False,
        }
        opening = next(o for o in sequence.lodging(st) if (o.seat, o.kind) == (beat.seat, beat.kind))
        for level in sequence.rungs_below(sequence.ceiling_of(st, opening)):
            votes = council_votes(self.params, self.draw, level, feats, entitled)
            if level in sequence.HELP_LEVELS and not self._providers(st, votes)[0]:
                continue
            positions = {v.iso3: v.stance for v in votes}
            if consensus_outcome(sit, entitled, positions, **how).adopted:
                self.initiatives.append(Sounding(level, votes, True, f"{beat.seat} takes the initiative"))
                self.initiated = True
                return True
            self.initiatives.append(Sounding(level, votes, False, "it would not pass"))
        return False

    def _providers(self, st: CrisisState, votes: list[MemberVote]) -> tuple[bool, str]:
        """Whether a help rung may be tabled: a provider besides the parties, and the lead state's backing."""
        lead = self.params.lead_state
        parties = sequence.parties(st)
        providers = [v.iso3 for v in votes if v.stance == "support" and v.iso3 not in parties]
        if providers and (lead in parties or lead in providers):
            return True, ""
        return False, (
            "the lead state does not back it" if providers else "no member besides the parties backs it"
        )

    def current_level(self, st: CrisisState, case: str = sequence.CASE) -> str:
        """The rung on the table in ``case`` (a proposal without one is a statement)."""
        c = st.engine.cases.get(case)
        if c is None or not hasattr(c, "ballot"):
            return "none"
        level = c.ballot.proposal.get("level")
        if level:
            return str(level)
        return sequence.ceiling(st) if case == sequence.CASE else "statement"

    def choose(self, st: CrisisState, beat: sequence.Beat) -> Move:
        """The model's move for the step the sequence waits on."""
        if beat.kind == "vote":
            level = self.current_level(st, beat.case)
            v = next(x for x in self.votes(st, level, beat.case) if x.iso3 == beat.seat)
            why = "; ".join(reason_text(v.reasons)) or "no strong factor"
            return Move(beat.seat, "vote", beat.case, {"position": v.stance, "reason": f"model: {why}"})
        if beat.kind == "propose":
            return self.table(st, beat)
        return Move(beat.seat, beat.kind, beat.case, dict(beat.params))

    def why(self, st: CrisisState, beat: sequence.Beat) -> list[str]:
        """The model's reasons for its move on ``beat``: a vote's strongest factors, the soundings behind a
        proposal (or a conclusion), or the sequence's own reason for a step that follows from it."""
        if beat.kind == "vote":
            v = next(
                x for x in self.votes(st, self.current_level(st, beat.case), beat.case) if x.iso3 == beat.seat
            )
            return [f"{v.stance.replace('_', ' ')} (score {v.score:+.2f})", *reason_text(v.reasons)]
        if beat.kind == "propose":
            return [
                f"{s.level}: tabled" if s.tabled else f"{s.level}: not tabled, {s.why}"
                for s in self.soundings
            ] or ["no rung left to propose"]
        return [beat.why] if beat.why else []

    def table(self, st: CrisisState, beat: sequence.Beat) -> Move:
        """The next rung down the ladder that soundings support, or the case's conclusion."""
        c = st.case
        assert c is not None
        ladder = sequence.ladder(st)
        tried = {str(e.data["proposal"].get("level")) for e in c.history if e.type == "ProposalTabled"}
        tried |= {
            str(r.params.get("level")) for r in st.refusals if r.kind == "propose" and r.case == beat.case
        }
        tried |= {s.level for s in self.soundings}
        if c.kind == "statement" and c.ballot.rounds:
            tried.add("statement")
        lowest = max((ladder.index(lv) for lv in tried if lv in ladder), default=-1)
        for level in ladder[lowest + 1 :]:
            votes = self.votes(st, level)
            if level in sequence.HELP_LEVELS:
                ok, why = self._providers(st, votes)
                if not ok:
                    self.soundings.append(Sounding(level, votes, False, why))
                    continue
            self.soundings.append(Sounding(level, votes, True))
            return Move(beat.seat, "propose", beat.case, {"level": level})
        return Move(beat.seat, "conclude", beat.case, {"summary": "no decision"})

    def expectations(self, st: CrisisState, level: str, humans: dict[str, str]) -> list[dict[str, Any]]:
        """What the model expects of every seat on ``level`` (recorded in the room beside the votes)."""
        return [
            {
                "state": v.iso3,
                "stance": v.stance,
                "score": v.score,
                "offer": v.offer,
                "reasons": reason_text(v.reasons),
                "holder": "human" if v.iso3 in humans else "model",
            }
            for v in self.votes(st, level)
            if v.iso3 not in (st.case.ballot.frozen if st.case else [])
        ]
