"""Rules on arms supply, exercises, the budget, classified information and standing operations.

Arms go at the supplier's domestic price and are not passed on without consent (training quotas are in
``csto.rules.training``); exercises are in the CSTO's own series; the budget is a scale of shares and posts follow
payment; classified reports go only to the members they are released to. Nothing here mutates state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from csto.rules.core import ALLOWED, Situation, Verdict, rule
from csto.rules.membership import taking_part

CLASSIFICATIONS = ("unclassified", "restricted", "secret", "top_secret")


def _participating(sit: Situation, state: str, rule_id: str, activity: str) -> Verdict:
    return taking_part(sit, state, rule_id, activity)


@rule(
    "mtc-2000-preferential-supply",
    "mtc-2000",
    "2",
    "Members supply military products to each other's national forces on preferential terms, priced as the "
    "supplier prices purchases for its own forces (domestic price, 2017 protocol); an order is for a positive "
    "quantity at prices that are not negative.",
)
def preferential_supply(
    sit: Situation,
    supplier: str,
    buyer: str,
    unit_price: float,
    domestic_price: float,
    *,
    quantity: int = 1,
    export_price: float = 0.0,
) -> Verdict:
    if quantity <= 0:
        return sit.refuse("mtc-2000-preferential-supply", f"the quantity must be positive, not {quantity}")
    if min(domestic_price, export_price, unit_price) < 0:
        return sit.refuse("mtc-2000-preferential-supply", "prices cannot be negative")
    for state in (supplier, buyer):
        v = _participating(sit, state, "mtc-2000-preferential-supply", "preferential arms supplies")
        if not v.ok:
            return v
    if supplier == buyer:
        return sit.refuse("mtc-2000-preferential-supply", "a state cannot supply itself under the agreement")
    if unit_price > domestic_price:
        return sit.refuse(
            "mtc-2000-preferential-supply",
            f"the price asked ({unit_price:,.0f}) exceeds the supplier's domestic price "
            f"({domestic_price:,.0f}), "
            "which caps supplies on preferential terms",
        )
    return ALLOWED


@rule(
    "mtc-2000-no-retransfer",
    "mtc-2000",
    "6",
    "Products received on preferential terms are not sold or passed to third states, persons or "
    "organisations without the supplier's prior written consent.",
)
def retransfer(sit: Situation, holder: str, recipient: str, supplier: str, supplier_consent: bool) -> Verdict:
    if supplier_consent:
        return ALLOWED
    return sit.refuse(
        "mtc-2000-no-retransfer",
        f"{holder} may not pass preferentially supplied products to {recipient} without {supplier}'s prior "
        "written consent",
    )


@rule(
    "secretariat-quota-posts",
    "charter",
    "11",
    "Quota posts in the Secretariat are shared among members in proportion to their budget contributions; a "
    "member that does not pay leaves its posts unfilled.",
    basis="CSTO Secretariat page (quota posts follow contributions); Russian MFA 2024 (Armenia's unpaid "
    "share met by leaving its quota posts unfilled).",
)
def may_fill_post(sit: Situation, state: str, arrears: float) -> Verdict:
    v = _participating(sit, state, "secretariat-quota-posts", "the Secretariat's quota posts")
    if not v.ok:
        return v
    if arrears > 0:
        return sit.refuse(
            "secretariat-quota-posts",
            f"{state} has {arrears:,.0f} in arrears; quota posts follow contributions and stay unfilled "
            "while it does not pay",
        )
    return ALLOWED


@rule(
    "classified-2004-releasability",
    "classified-2004",
    "whole",
    "Classified information is passed only to the parties it is released to, under the originator's "
    "protection; a suspended member receives none.",
)
def may_read(
    sit: Situation, reader: str, originator: str, releasable_to: Iterable[str], classification: str
) -> Verdict:
    if reader == originator:
        return ALLOWED
    status = sit.status(reader)
    if status == "suspended":
        return sit.refuse("charter-art20-suspension", f"{reader} is suspended and receives no intelligence")
    if status == "frozen" and classification != "unclassified":
        from csto.rules.membership import frozen_participation

        return frozen_participation(sit, reader, "intelligence sharing")
    allowed = set(releasable_to)
    if classification != "unclassified" and reader not in allowed:
        return sit.refuse(
            "classified-2004-releasability",
            f"this {classification.replace('_', ' ')} report from {originator} is releasable to "
            f"{', '.join(sorted(allowed)) or 'nobody else'}, not to {reader}",
        )
    return ALLOWED


participating = taking_part


# --------------------------------------------------------------------------- exercises

#: The organization's own exercise series (corrections.yaml: vostok-zapad-csto-exercises; forces.yaml:
#: Rubezh).
CSTO_EXERCISE_SERIES = (
    "Combat Brotherhood",
    "Interaction",
    "Search",
    "Echelon",
    "Rubezh",
    "Cobalt",
    "Thunder",
    "Indestructible Brotherhood",
    "Barrier",
)

ZAPAD = (
    "a joint strategic exercise of the Belarusian and Russian armed forces for their Union State (Zapad-2021)"
)
VOSTOK = "a Russian strategic command-staff exercise (Vostok-2022)"

#: Series that popular articles call CSTO exercises but that are not (correction id, what they are).
NOT_CSTO_SERIES: dict[str, tuple[str, str]] = {
    "vostok": ("vostok-zapad-csto-exercises", VOSTOK),
    "восток": ("vostok-zapad-csto-exercises", VOSTOK),
    "zapad": ("vostok-zapad-csto-exercises", ZAPAD),
    "запад": ("vostok-zapad-csto-exercises", ZAPAD),
}


def _series_key(series: str) -> str:
    """'Zapad-2021', 'ZAPAD 2021' → 'zapad'."""
    word = series.strip().casefold().replace("-", " ").split()
    return word[0] if word else ""


@rule(
    "exercise-series",
    "forces-2010",
    "whole",
    "A CSTO exercise trains the collective forces in the organization's own format: the Combat Brotherhood "
    "series (Interaction, Search, Echelon), Rubezh, Cobalt, Thunder, Indestructible Brotherhood and Barrier. "
    "Vostok and Zapad are Russian / Russian-Belarusian strategic exercises, not CSTO exercises.",
    basis="corrections.yaml vostok-zapad-csto-exercises (TASS and news.by on Zapad-2021 and Vostok-2022; "
    "Izvestia 2025 and The Asian 2016 on the CSTO's own series); forces.yaml (Rubezh is the CRDF-CA "
    "series). The forces agreement of 2010 governs how the collective forces are formed and used; its "
    "article on training was not retrieved, so the agreement is cited as a whole.",
)
def exercise_series(sit: Situation, series: str) -> Verdict:
    key = _series_key(series)
    if key in NOT_CSTO_SERIES:
        correction_id, what = NOT_CSTO_SERIES[key]
        known = {c.id: c for c in sit.alliance.dataset.corrections}
        c = known.get(correction_id)
        record = (
            f"corrections.yaml '{correction_id}': {c.correction.split('. ')[0].strip()}; "
            f"sources: {', '.join(c.source)}"
            if c is not None
            else f"corrections.yaml '{correction_id}'"
        )
        return sit.refuse(
            "exercise-series",
            f"'{series}' is {what}, not a CSTO exercise: CSTO members' troops have taken part only as guests "
            f"({record}). The CSTO's own series are {', '.join(CSTO_EXERCISE_SERIES)}",
        )
    if not key:
        return sit.refuse("exercise-series", "an exercise needs a series name")
    return ALLOWED


@rule(
    "exercise-participation",
    "forces-2010",
    "whole",
    "Contingents in the collective forces' exercises come from members taking part in the organization; a "
    "frozen or suspended member, or a non-member, sends none, and a contingent has personnel.",
    basis="Forces agreement 2010 (forces drawn from members' registered contributions); Armenia's refusal of "
    "exercises after its freeze (membership history, practice-frozen-participation).",
)
def exercise_participation(sit: Situation, state: str, personnel: int | None = None) -> Verdict:
    v = _participating(sit, state, "exercise-participation", "the collective forces' exercises")
    if v.ok and personnel is not None and personnel <= 0:
        return sit.refuse("exercise-participation", f"a contingent needs personnel, not {personnel}")
    return v


def contingents_taking_part(sit: Situation, participants: Iterable[str]) -> list[str]:
    """The states among ``participants`` that still take part (members, neither frozen nor suspended)."""
    return sorted(s for s in participants if sit.status(s) == "member")


@rule(
    "exercise-contingents",
    "forces-2010",
    "whole",
    "An exercise of the collective forces takes place with contingents of members taking part; contingents of "
    "members that froze or were suspended after joining drop out, and with none left it cannot be held.",
    basis="As exercise-participation: forces are drawn from members taking part (forces agreement 2010).",
)
def exercise_contingents(sit: Situation, participants: Iterable[str]) -> Verdict:
    if not contingents_taking_part(sit, participants):
        return sit.refuse("exercise-contingents", "no member taking part has sent a contingent")
    return ALLOWED


# --------------------------------------------------------------------------- budget


@rule(
    "budget-scale",
    "charter",
    "11",
    "The budget is shared among the members by a scale of percentage shares summing to 100; a member whose "
    "participation is frozen or suspended is not assessed and its share is not redistributed (the budget is "
    "cut instead).",
    uncertain=True,
    basis="The Charter's budget article was not retrieved; cited with the bodies (Art. 11) it funds. Armenia "
    "2024: it refused to pay (RFE/RL 2024, Massis Post 2024); the Russian MFA said contributions would "
    "not be redistributed and the Secretariat and Joint Staff would cut spending (NSN 2024).",
)
def budget_scale(sit: Situation, total: float, shares: Mapping[str, float]) -> Verdict:
    if total <= 0:
        return sit.refuse("budget-scale", f"the budget total must be positive, not {total:,.2f}")
    if not shares:
        return sit.refuse("budget-scale", "the budget has no scale of shares")
    outsiders = sorted(s for s in shares if not sit.is_member(s))
    if outsiders:
        statuses = ", ".join(f"{s} {sit.status(s) or 'none'}" for s in outsiders)
        return sit.refuse(
            "budget-scale",
            f"only members are assessed, and {', '.join(outsiders)} "
            f"{'is' if len(outsiders) == 1 else 'are'} not (status: {statuses})",
        )
    negative = sorted(s for s, v in shares.items() if float(v) < 0)
    if negative:
        return sit.refuse("budget-scale", f"shares cannot be negative ({', '.join(negative)})")
    total_share = sum(float(v) for v in shares.values())
    if abs(total_share - 100.0) > 0.01:
        return sit.refuse("budget-scale", f"the shares sum to {total_share:.2f}%, not 100%")
    return ALLOWED


@rule(
    "budget-payment",
    "charter",
    "11",
    "A member pays what it was assessed; a payment must be positive and no larger than what it owes.",
    uncertain=True,
    basis="Our reading of the scale of contributions (see budget-scale); no clause on overpayment was "
    "located.",
)
def budget_payment(sit: Situation, state: str, amount: float, owed: float) -> Verdict:
    if amount <= 0:
        return sit.refuse("budget-payment", f"a payment must be positive, not {amount:,.2f}")
    if amount > owed + 0.005:
        return sit.refuse(
            "budget-payment", f"{state} owes {owed:,.2f} to the budget and cannot pay {amount:,.2f}"
        )
    return ALLOWED


# --------------------------------------------------------------------------- classified information


@rule(
    "classified-2004-parties-only",
    "classified-2004",
    "whole",
    "Classified information is released only to the parties to the agreement (the members); a report above "
    "'unclassified' cannot be made releasable to a non-member.",
    basis="Classified information agreement 2004 (passed only through authorised bodies of the parties); the "
    "non-member limit is our reading of 'within the CSTO'.",
)
def release_scope(sit: Situation, originator: str, to: Iterable[str], classification: str) -> Verdict:
    if classification not in CLASSIFICATIONS:
        return sit.refuse(
            "classified-2004-parties-only",
            f"unknown classification '{classification}' ({', '.join(CLASSIFICATIONS)})",
        )
    if classification == "unclassified":
        return ALLOWED
    outsiders = sorted(s for s in set(to) if not sit.is_member(s))
    if outsiders:
        return sit.refuse(
            "classified-2004-parties-only",
            f"{originator} cannot release {classification.replace('_', ' ')} information to "
            f"{', '.join(outsiders)}: not parties (members) of the organization",
        )
    return ALLOWED


# --------------------------------------------------------------------------- standing operations

#: The standing regional operations: Channel (drugs), Illegal (irregular migration), Proxy (IT crime).
STANDING_OPERATIONS = ("channel", "illegal", "proxy")


@rule(
    "standing-operations-participation",
    "charter",
    "3",
    "The standing regional operations (Channel against drug trafficking, Illegal against irregular "
    "migration, Proxy against crime in the information sphere) are run by the members' competent agencies; "
    "third states and organisations attend as observers only.",
    uncertain=True,
    basis="No instrument for the operations is in the data; the Charter's purposes (Art. 3) are cited. The "
    "Charter article on drugs and migration (Art. 8 as recalled) was not retrieved. CSTO news 2024: UNODC "
    "attended the Channel operation as an observer.",
)
def operation_participation(sit: Situation, state: str, operation: str) -> Verdict:
    if operation not in STANDING_OPERATIONS:
        return sit.refuse(
            "standing-operations-participation",
            f"unknown operation '{operation}' (one of {', '.join(STANDING_OPERATIONS)})",
        )
    return _participating(
        sit, state, "standing-operations-participation", f"the '{operation.capitalize()}' operation"
    )


@rule(
    "standing-operations-stage",
    "charter",
    "3",
    "A stage of a standing operation is carried out by at least one member taking part; every participant "
    "named must be one (third states and organisations are recorded as observers).",
    uncertain=True,
    basis="As standing-operations-participation: no instrument for the operations is in the data; the "
    "Charter's purposes (Art. 3) are cited.",
)
def operation_stage(sit: Situation, operation: str, participants: Iterable[str]) -> Verdict:
    named = sorted(set(participants))
    if not named:
        return sit.refuse("standing-operations-stage", "a stage needs at least one participating member")
    for state in named:
        v = operation_participation(sit, state, operation)
        if not v.ok:
            return v
    return ALLOWED
