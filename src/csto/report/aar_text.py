"""The after-action report's words, shared by its HTML page and its PDF: labels, dates, the sentences that
stand in for an empty section, and the summary of the troops' curve.

Plain text from an ``AarRecord``: no markup and no escaping (each renderer escapes or folds it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from csto.report.aar_record import AarRecord, ExerciseMeta, RoundRecord, VoteRecord
from csto.report.text import hours, stance_label, words

OUTCOME_LABEL = {
    "deployment": "deployment of collective forces",
    "assistance": "assistance",
    "mission": "mission",
    "statement": "statement only",
    "none": "no collective response",
}
DEPARTED = "departed from the model"
NO_SEATS = "No seats were recorded."
NO_EVENTS = "No events were recorded."
NO_ROUNDS = "No Council round was held: nothing was put to a vote."
NO_VOTES = "No vote was cast in this round."
NO_REFUSALS = "Nothing was refused: every action taken was allowed under the treaties."
NOT_ENDED = "not ended: the exercise was still open"


def date(dt: datetime | None) -> str:
    """'YYYY-MM-DD HH:MM UTC' (or with its offset, 'UTC+06:00'; none for a naive time); '—' for none."""
    if dt is None:
        return "—"
    off = dt.utcoffset()
    zone = "" if off is None else " UTC" if not off else f" UTC{dt.isoformat()[-6:]}"
    return dt.strftime("%Y-%m-%d %H:%M") + zone


def ended(ex: ExerciseMeta) -> str | None:
    """When the exercise ended and how long after its start; None while it is still open."""
    if ex.ended is None:
        return None
    dur = ex.duration_hours
    return date(ex.ended) + (f" ({dur:,.1f} h after the start)" if dur is not None else "")


def verified(v: bool | None) -> str:
    if v is True:
        return "verified: the hash chain checks out"
    if v is False:
        return "NOT verified: the ledger failed its check"
    return "not checked"


def checkpoint(ex: ExerciseMeta) -> str:
    """The end-of-exercise checkpoint in one line (or why there is none)."""
    cp = ex.checkpoint
    if cp is None:
        return (
            "none yet (signed when the exercise ends)"
            if ex.ended is None
            else "none (the chain was not intact)"
        )
    return f"seq {cp.seq}, head {cp.head_hash[:16]}..., signed by key {cp.key_id} at {cp.signed_at[:19]}Z"


#: What the report says about keeping the checkpoint.
CHECKPOINT_NOTE = (
    "Keep a copy of this checkpoint away from the room's database: `csto ledger verify --checkpoint FILE "
    "--key KEY.pub` then shows whether the ledger was cut short or rewritten before it."
)


def outcome(x: str | None) -> str:
    if not x:
        return "no outcome recorded"
    return OUTCOME_LABEL.get(x, words(x))


def holder(vote: VoteRecord, users: dict[str, str]) -> str:
    """Who held the seat, with the user's name for a human."""
    who = vote.holder or "—"
    user = users.get(vote.state)
    return f"{who} ({user})" if who == "human" and user else who


def tally(votes: Sequence[VoteRecord]) -> str:
    count: dict[str, int] = {}
    for v in votes:
        p = stance_label(v.position)
        count[p] = count.get(p, 0) + 1
    return ", ".join(f"{p} {n}" for p, n in count.items())


def round_title(rnd: RoundRecord, k: int) -> str:
    num = str(rnd.round) if rnd.round is not None else str(k)
    return f"Round {num}: {words(rnd.level) or 'unnamed proposal'} ({rnd.outcome or 'open'})"


def departures_intro(n: int) -> str:
    return (
        f"{n} vote{'s' if n != 1 else ''} from human-held seats differed from what the model expected of "
        "that seat. Each is a place where the people at the table judged otherwise than the model."
    )


def no_departure(aar: AarRecord) -> str:
    """Why there is no departure: no human seat, no human vote, or every human vote as the model expected."""
    human_voted = any(v.holder == "human" for rnd in aar.rounds for v in rnd.votes)
    if not human_voted and not any(s.holder == "human" for s in aar.seats):
        return "No seat was held by a human, so no human could depart from the model."
    if not human_voted:
        return "No human cast a vote, so none departed from the model."
    return (
        "The humans did not depart from the model: every vote cast from a human-held seat matched what the "
        "model expected of that seat."
    )


def troop_summary(aar: AarRecord) -> str:
    """One or two sentences on the curve: first landing, peak, and how the peak compares with the tasked force."""
    pts = aar.curve()
    tasked = aar.tasked
    if not pts:
        return "No troops deployed" + (f" ({tasked:,} personnel were tasked)." if tasked > 0 else ".")
    first = next((h for h, n in pts if n > 0), None)
    peak = max(n for _, n in pts)
    peak_at = next(h for h, n in pts if n == peak)
    if first is None:
        text = "No personnel reached the ground"
    else:
        text = f"First personnel on the ground at {hours(first)}; at most {peak:,} on the ground ({hours(peak_at)})"
    if tasked > 0:
        full = next((h for h, n in pts if n >= tasked), None)
        text += f", against {tasked:,} tasked ({100 * peak / tasked:.0f} %)."
        text += (
            f" The whole tasked force was on the ground at {hours(full)}."
            if full is not None
            else " The whole tasked force never was."
        )
    else:
        text += "; no personnel were tasked."
    return text
