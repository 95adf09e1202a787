"""The rule on third-country military bases: the consent of every member, where one refusal blocks.

Based on the CSC decision of December 2011 (its legal form is uncertain: see the instrument's note).
"""

from __future__ import annotations

from collections.abc import Mapping

from csto.rules.core import ALLOWED, Situation, Verdict, rule


@rule(
    "csc-2011-bases-consent",
    "csc-2011-bases",
    "1",
    "A military base of a non-member state on a member's territory needs the official consent of every member; "
    "one refusal blocks it.",
)
def base_consent(sit: Situation, host: str, foreign_state: str, answers: Mapping[str, str]) -> Verdict:
    if sit.is_member(foreign_state):
        return ALLOWED
    refused = sorted(s for s, a in answers.items() if a == "refuse")
    if refused:
        return sit.refuse(
            "csc-2011-bases-consent",
            f"{', '.join(refused)} refused consent to a base of {foreign_state} in {host}; one refusal blocks it",
        )
    needed = [s for s in consent_required_from(sit) if s != host]
    missing = sorted(s for s in needed if answers.get(s) != "consent")
    if missing:
        return sit.refuse(
            "csc-2011-bases-consent",
            f"a base of {foreign_state} in {host} needs the consent of every member; still missing: "
            + ", ".join(missing),
        )
    return ALLOWED


def consent_required_from(sit: Situation) -> list[str]:
    """The members whose consent is needed (frozen ones too unless configured otherwise)."""
    out = []
    for s, status in sit.statuses.items():
        if status == "member" or (status == "frozen" and sit.config.frozen_members_consent_to_bases):
            out.append(s)
    return sorted(out)


@rule(
    "csc-2011-bases-request",
    "csc-2011-bases",
    "1",
    "The consent procedure is opened by the host: a member taking part asks the others to consent to a "
    "non-member's base on its territory.",
)
def may_request_base(sit: Situation, host: str) -> Verdict:
    if sit.status(host) != "member":
        return sit.refuse("csc-2011-bases-request", f"{host} is not a member taking part; it cannot ask")
    return ALLOWED


@rule(
    "csc-2011-bases-answer",
    "csc-2011-bases",
    "1",
    "Each member whose consent is required answers (consent or refuse); the host's request stands for its "
    "own consent, and no one else answers.",
)
def may_answer_base_request(sit: Situation, state: str, host: str | None) -> Verdict:
    if state == host:
        return sit.refuse("csc-2011-bases-answer", f"{state} is the host; its request stands for its consent")
    required = consent_required_from(sit)
    if state not in required:
        return sit.refuse(
            "csc-2011-bases-answer",
            f"{state} is not among the members whose consent is required ({', '.join(required)})",
        )
    return ALLOWED
