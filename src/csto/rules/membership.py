"""Rules on who belongs: admission, rival alliances, withdrawal, the treaty's term, suspension, freezing.

Where the legal text is uncertain (unilateral withdrawal against the TASS 2012 report, the CST's notice) the
rule is marked uncertain; settings that stand for disputed law are read from ``RulesConfig``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from csto.rules.core import ALLOWED, Situation, Verdict, rule

MILITARY_ALLIANCES = frozenset({"NATO", "GUAM-military", "other-military-alliance"})


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@rule(
    "cst-art1-no-other-alliances",
    "cst",
    "1",
    "A party may not join another military alliance or a grouping of states directed against a party.",
    basis="CST Art. 1 (no-other-alliances clause); the partner regulation also requires no contrary security "
    "obligations.",
)
def no_other_alliances(sit: Situation, state: str, alliances: Iterable[str] = ()) -> Verdict:
    rivals = sorted(set(alliances) | set(sit.other_alliances.get(state, frozenset())))
    if rivals:
        return sit.refuse(
            "cst-art1-no-other-alliances",
            f"{state} belongs to another military alliance ({', '.join(rivals)}), which the treaty's parties may "
            "not join",
        )
    return ALLOWED


@rule(
    "cst-art1-no-action-against-party",
    "cst",
    "1",
    "A party may not use or threaten force against, or act against, another party; disputes are settled "
    "peacefully.",
)
def no_action_against_party(sit: Situation, actor: str, target: str | None) -> Verdict:
    if target is not None and sit.is_member(actor) and sit.is_member(target):
        return sit.refuse(
            "cst-art1-no-action-against-party",
            f"{actor} acting against {target}: both are parties, bound to settle disputes by peaceful means",
        )
    return ALLOWED


@rule(
    "charter-art19-admission",
    "charter",
    "19",
    "A state that shares the organization's goals and principles and accepts the obligations of the Charter "
    "and treaties may be admitted, by decision of the Council.",
)
def admission_eligibility(
    sit: Situation, applicant: str, *, sovereign_state: bool, accepts_obligations: bool
) -> Verdict:
    status = sit.status(applicant)
    if status in ("member", "frozen", "suspended"):
        return sit.refuse("charter-art19-admission", f"{applicant} is already a member ({status})")
    if not sovereign_state:
        return sit.refuse(
            "charter-art19-admission", f"{applicant} is not a sovereign state; only states may become members"
        )
    if not accepts_obligations:
        return sit.refuse(
            "charter-art19-admission",
            f"{applicant} has not declared that it shares the goals and accepts the obligations of membership",
        )
    if sit.alliance.provision("charter", "19") is None:
        return sit.refuse(
            "charter-art19-admission",
            f"the Charter is not in force on {sit.day.isoformat()}; states joined the treaty itself then "
            "(accession to the organization is possible from 2003-09-18)",
        )
    return ALLOWED


def term_ends(sit: Situation) -> list[dt.date]:
    """End dates of the treaty's terms: five years from entry into force, then five-year renewals."""
    inst = sit.alliance.dataset.instrument("cst")
    if inst is None:
        return []
    ends = [add_months(inst.in_force, 60)]
    ext = inst.amendment("cst-1999-extension")
    if ext is not None and ext.in_force is not None:
        end = add_months(ext.in_force, 60)
        while end.year < sit.day.year + 30:
            ends.append(end)
            end = add_months(end, 60)
    return ends


@rule(
    "cst-art11-term",
    "cst",
    "11",
    "The treaty runs for five-year terms (automatically renewed since the 1999 protocol); a party (and only a "
    "party) that does not renew leaves at the end of a term.",
)
def non_renewal(sit: Situation, state: str, effective: dt.date) -> Verdict:
    if not sit.is_member(state):
        return sit.refuse("cst-art11-term", f"{state} is not a party")
    ends = term_ends(sit)
    if effective not in ends:
        upcoming = [d for d in ends if d >= sit.day]
        nxt = upcoming[0].isoformat() if upcoming else "none recorded"
        return sit.refuse(
            "cst-art11-term",
            f"leaving by not renewing takes effect only at the end of a term; the next term ends {nxt}, not "
            f"{effective.isoformat()}",
        )
    return ALLOWED


@rule(
    "charter-art19-withdrawal-notice",
    "charter",
    "19",
    "A member may withdraw by official notice; the withdrawal takes effect no earlier than the notice period "
    "after the notice (6 months).",
    basis="Charter Art. 19 as the Russian foreign ministry cited it in 2024 (caucasuswatch_2024_zakharova_art19). "
    "Conflict kept: TASS 2012 says the Charter has no unilateral withdrawal. Settings: "
    "RulesConfig.withdrawal_notice_months, unilateral_withdrawal_allowed.",
    anchor="withdrawal_right",
)
def withdrawal_notice(sit: Situation, state: str, notice: dt.date, effective: dt.date) -> Verdict:
    if not sit.is_member(state):
        return sit.refuse("charter-art19-withdrawal-notice", f"{state} is not a member and cannot withdraw")
    if not sit.config.unilateral_withdrawal_allowed:
        return sit.refuse(
            "charter-art19-withdrawal-notice",
            "unilateral withdrawal is disabled in this run's rules configuration (TASS 2012 reading of the "
            "Charter)",
        )
    earliest = add_months(notice, sit.config.withdrawal_notice_months)
    if effective < earliest:
        return sit.refuse(
            "charter-art19-withdrawal-notice",
            f"a withdrawal notified on {notice.isoformat()} can take effect on {earliest.isoformat()} at the "
            f"earliest ({sit.config.withdrawal_notice_months} months' notice), not {effective.isoformat()}",
        )
    return ALLOWED


@rule(
    "charter-art19-withdrawal-obligations",
    "charter",
    "19",
    "A withdrawing member settles the obligations it took on (including budget arrears) before the withdrawal "
    "takes effect.",
    basis="Charter Art. 19 as the Russian foreign ministry cited it in 2024. Setting: "
    "settle_arrears_before_withdrawal.",
    anchor="withdrawal_right",
)
def withdrawal_obligations(sit: Situation, state: str, arrears: float) -> Verdict:
    if sit.config.settle_arrears_before_withdrawal and arrears > 0:
        return sit.refuse(
            "charter-art19-withdrawal-obligations",
            f"{state} still owes {arrears:,.0f} to the budget; obligations are settled before a withdrawal "
            "takes effect",
        )
    return ALLOWED


@rule(
    "charter-art20-suspension",
    "charter",
    "20",
    "The Council may suspend a member's participation in the bodies; a suspended member has no vote, no "
    "intelligence and no forces.",
    basis="2004-06-18 regulation on suspension and exclusion; TASS 2012: suspension only by decision of the CSC.",
)
def suspension(sit: Situation, state: str, body: str) -> Verdict:
    if body != "csc":
        return sit.refuse(
            "charter-art20-suspension",
            f"only the Collective Security Council may suspend a member, not the body '{body}'",
        )
    status = sit.status(state)
    if status not in ("member", "frozen"):
        return sit.refuse(
            "charter-art20-suspension", f"{state} cannot be suspended: its status is {status or 'none'}"
        )
    return ALLOWED


@rule(
    "charter-art20-suspension-vote",
    "charter",
    "20",
    "The member whose suspension is proposed takes no part in the Council's decision on it.",
    uncertain=True,
    basis="Assumption: no source on whether the member concerned votes on its own suspension was located; "
    "the 2004 regulation on suspension and exclusion was not retrieved.",
)
def suspension_vote(sit: Situation, voter: str, target: str | None) -> Verdict:
    if target is not None and voter == target:
        return sit.refuse(
            "charter-art20-suspension-vote",
            f"{voter} is the member concerned and takes no part in the decision on its own suspension",
        )
    return ALLOWED


@rule(
    "practice-frozen-participation",
    "charter",
    "12",
    "A member that has frozen its participation stands aside from every decision and activity and does not "
    "pay, without blocking the others (practice since 2024; no legal clause located).",
    uncertain=True,
    basis="Armenia 2024-2025: refrains from decisions, does not object to adoption 'in a limited format', stops "
    "financing (fact sheet, membership_history).",
)
def frozen_participation(sit: Situation, state: str, activity: str) -> Verdict:
    if sit.status(state) == "frozen":
        return sit.refuse(
            "practice-frozen-participation",
            f"{state} has frozen its participation: it stands aside from {activity} until it resumes",
        )
    return ALLOWED


@rule(
    "practice-freeze-declaration",
    "charter",
    "12",
    "Only a member taking part can declare its participation frozen (practice since 2024): a frozen, "
    "suspended or former member, or a non-member, has nothing to freeze.",
    uncertain=True,
    basis="Armenia 2024: the Prime Minister declared participation frozen (fact sheet, membership_history); "
    "no legal clause on freezing was located.",
)
def may_freeze(sit: Situation, state: str) -> Verdict:
    if sit.status(state) != "member":
        return sit.refuse(
            "practice-freeze-declaration",
            f"only a member taking part can freeze its participation ({state}: "
            f"{sit.status(state) or 'no status'})",
        )
    return ALLOWED


def taking_part(
    sit: Situation,
    state: str,
    rule_id: str,
    activity: str,
    *,
    suspended: str | None = None,
    outsider: str | None = None,
) -> Verdict:
    """Whether ``state`` takes part in ``activity`` today: a member, neither frozen nor suspended.

    A suspended member is refused under the suspension rule, a frozen one under the practice of frozen
    participation, and anyone else under ``rule_id`` (the rule of the activity).
    """
    status = sit.status(state)
    if status == "suspended":
        return sit.refuse(
            "charter-art20-suspension", suspended or f"{state} is suspended and takes no part in {activity}"
        )
    if status == "frozen":
        return frozen_participation(sit, state, activity)
    if status != "member":
        return sit.refuse(
            rule_id,
            outsider
            or f"{state} is not a member ({status or 'no status'}) and cannot take part in {activity}",
        )
    return ALLOWED


@rule(
    "charter-art21-observer",
    "charter",
    "21",
    "Observer status is granted by the Council to a state that is not a member and keeps diplomatic relations "
    "with all members; an observer has no obligation to take part in actions.",
)
def observer_eligibility(sit: Situation, state: str, relations_with_all: bool) -> Verdict:
    if sit.alliance.provision("charter", "21") is None:
        return sit.refuse("charter-art21-observer", f"no observer status exists on {sit.day.isoformat()}")
    if sit.is_member(state):
        return sit.refuse("charter-art21-observer", f"{state} is a member and cannot be an observer")
    if not relations_with_all:
        return sit.refuse(
            "charter-art21-observer",
            f"{state} lacks diplomatic relations with every member, a condition of status",
        )
    return ALLOWED


@rule(
    "charter-art4-partner",
    "charter",
    "4",
    "Partner status is granted by the Council to a state that shares the goals, keeps relations with all "
    "members and has no security obligations contrary to the organization's treaties.",
)
def partner_eligibility(
    sit: Situation, state: str, relations_with_all: bool, alliances: Iterable[str]
) -> Verdict:
    if not sit.has_code("charter", "4", "partner_status"):
        return sit.refuse("charter-art4-partner", f"no partner status exists on {sit.day.isoformat()}")
    if sit.is_member(state):
        return sit.refuse("charter-art4-partner", f"{state} is a member and cannot be a partner")
    if not relations_with_all:
        return sit.refuse(
            "charter-art4-partner",
            f"{state} lacks diplomatic relations with every member, a condition of status",
        )
    rivals = sorted(set(alliances) | set(sit.other_alliances.get(state, frozenset())))
    if rivals:
        return sit.refuse(
            "charter-art4-partner",
            f"{state} has security obligations contrary to the organization's treaties ({', '.join(rivals)})",
        )
    return ALLOWED
