"""Rules on consultation, collective defence, the use of forces, peacekeeping and force tasking.

The scope of Art. 4 is read from the codes of the version in force: before 2012-12-19 it covers
aggression by a state or group of states; the 2010 protocol adds armed attacks threatening
security, stability, territorial integrity and sovereignty, and help at the attacked member's request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import get_args

from csto.model.episodes import CrisisKind
from csto.rules.core import ALLOWED, Situation, Verdict, rule
from csto.rules.membership import taking_part

#: The kinds of crisis the rules tell apart (those of the episode record).
CRISIS_KINDS: tuple[str, ...] = get_args(CrisisKind)


@rule(
    "cst-art2-consultation",
    "cst",
    "2",
    "When a party's security, territorial integrity or sovereignty (and since 2012 stability) is threatened, "
    "the parties consult at once; any party entitled to take part may ask for consultations.",
)
def may_request_consultation(sit: Situation, requester: str) -> Verdict:
    return taking_part(
        sit,
        requester,
        "cst-art2-consultation",
        "consultations",
        outsider=f"{requester} is not a party entitled to ask for consultations ({sit.status(requester)})",
    )


@rule(
    "cst-art2-assistance-measures",
    "cst",
    "2",
    "Since the 2010 amendments (in force 2012) Art. 2 provides assistance measures as well as consultations; "
    "before them a party entitled to take part could ask only for consultations.",
)
def may_request_art2_assistance(sit: Situation, requester: str) -> Verdict:
    v = may_request_consultation(sit, requester)
    if not v.ok:
        return v
    if not sit.has_code("cst", "2", "assistance_measures"):
        return sit.refuse(
            "cst-art2-assistance-measures",
            "before the 2010 amendments took effect Art. 2 provided consultations, not assistance measures: "
            "request consultations instead",
        )
    return ALLOWED


@rule(
    "cst-art2-measures-ceiling",
    "cst",
    "2",
    "What a consultation can lead to: assistance measures where the consultation article provides them (CST "
    "Art. 2 since the 2010 amendments took effect); reinforcement of the member's own territory where the "
    "treaty binds the parties to mutual aid in building their capacity to resist attack (NATO Art. 3, the "
    "basis of the deployments agreed after NATO Art. 4 consultations); otherwise a mission at most. Help goes "
    "only to a member that asked for it: consultations opened on another's initiative reach a mission at most, "
    "and only where the member at the centre consents to one (it asked an ally or the UN for help); otherwise "
    "a statement.",
    uncertain=True,
    basis="The treaties do not say what consultations may lead to; the ceilings follow the amended Art. 2's "
    "'measures to assist' and NATO's practice after Art. 4 consultations (2003, 2022, 2025). That help needs "
    "the helped member's request is read from Art. 4's 'at the request of the attacked member' and from every "
    "recorded case, not from an express text on Art. 2.",
)
def consultation_ceiling(sit: Situation, asked: bool = True, consents: bool = False) -> str:
    """The highest rung a consultation (or an Art. 2 request) may reach on ``sit``'s day; ``asked`` is False
    when the member at the centre of the crisis did not ask for it (a chair's own initiative), ``consents``
    whether that member would receive a mission on its territory (it sought help elsewhere)."""
    if not asked:
        return "mission" if consents else "statement"
    if sit.has_code("cst", "2", "assistance_measures"):
        return "assistance"
    if any("self_help_and_mutual_aid" in p.version.codes for p in sit.alliance.provisions):
        return "deployment"
    return "mission"


def response_ceiling(
    sit: Situation, case_kind: str, article: str | None, asked: bool = True, consents: bool = False
) -> str:
    """The highest rung a crisis case may reach: a request under the collective-defence article up to a
    deployment (Art. 4 with Art. 6), one under the consultation article or a consultation as
    ``consultation_ceiling``, a draft statement only a statement."""
    if case_kind == "assistance" and article == "art4":
        return "deployment"
    if case_kind in ("assistance", "consultation"):
        return consultation_ceiling(sit, asked, consents)
    return "statement"


@rule(
    "cst-art4-request",
    "cst",
    "4",
    "Collective defence answers aggression against a party; since 2012 assistance is given at the request of "
    "the attacked party, which must be a member taking part.",
)
def may_request_assistance(sit: Situation, requester: str, attacked: str) -> Verdict:
    v = taking_part(
        sit,
        requester,
        "cst-art4-request",
        "collective defence requests",
        suspended=f"{requester} is suspended and cannot invoke the treaty",
        outsider=f"{requester} is not a party ({sit.status(requester) or 'no status'})",
    )
    if not v.ok:
        return v
    if sit.has_code("cst", "4", "at_request_of_attacked") and requester != attacked:
        return sit.refuse(
            "cst-art4-request",
            f"assistance under the amended article is given at the request of the attacked member ({attacked}), "
            f"not of {requester}",
        )
    return ALLOWED


@rule(
    "cst-art4-scope",
    "cst",
    "4",
    "Art. 4 covers aggression against a party's territory: before 2012 by a state or group of states; from "
    "2012 also armed attacks threatening security, stability, territorial integrity and sovereignty. It does "
    "not cover territory a party does not recognise as its own, nor a clash between two parties.",
)
def art4_scope(
    sit: Situation,
    kind: str,
    *,
    aggressor_is_member: bool,
    recognised_territory: bool,
    framed_as_armed_attack: bool,
    attacked_is_member: bool = True,
) -> Verdict:
    if kind not in CRISIS_KINDS:
        return sit.refuse("cst-art4-scope", f"unknown kind of crisis '{kind}'")
    if not attacked_is_member:
        return sit.refuse(
            "cst-art4-scope",
            "the fighting is on the territory of a state that is not a party: collective defence answers an "
            "attack on a party, and does not cover a party's own war against a non-member",
        )
    if not recognised_territory or kind == "unrecognised_territory":
        return sit.refuse(
            "cst-art4-scope",
            "the fighting is not on territory the member recognises as its own, so the collective defence "
            "obligation does not apply",
        )
    if aggressor_is_member or kind == "member_vs_member":
        return sit.refuse(
            "cst-art4-scope",
            "the alleged aggressor is itself a party: collective defence does not run between parties, whose "
            "disputes fall under the peaceful-settlement duty of Art. 1",
        )
    armed_attack = sit.has_code("cst", "4", "armed_attack_included")
    if kind == "external_attack":
        return ALLOWED
    if kind == "threat_of_incursion":
        return sit.refuse(
            "cst-art4-scope",
            "no armed attack has taken place yet: a threat is a matter for Art. 2 consultations, not for "
            "collective defence",
        )
    if kind == "terrorist_attack":
        if armed_attack:
            return ALLOWED
        return sit.refuse(
            "cst-art4-scope",
            "a terrorist attack by non-state groups is not aggression by a state or group of states, the only "
            "case the article covered before the 2010 amendments took effect",
        )
    if kind == "incursion":
        if armed_attack:
            return ALLOWED
        return sit.refuse(
            "cst-art4-scope",
            "an incursion by non-state armed groups is not aggression by a state or group of states, the only "
            "case the article covered before the 2010 amendments took effect",
        )
    # internal unrest, or a mutiny or coup attempt by part of the member's own forces
    if armed_attack and framed_as_armed_attack:
        return ALLOWED
    if armed_attack:
        return sit.refuse(
            "cst-art4-scope",
            "internal unrest is not an armed attack unless the requesting member presents it as one (for "
            "example an attack by armed groups trained abroad); Art. 2 consultations remain open",
        )
    return sit.refuse(
        "cst-art4-scope",
        "internal unrest is not aggression by a state or group of states, the only case the article covered "
        "before the 2010 amendments took effect; Art. 2 consultations remain open",
    )


@rule(
    "cst-art6-force-use",
    "cst",
    "6",
    "The use of armed forces to repel aggression (and, since 2012, the use of the collective forces in the "
    "cases of Arts. 2 and 4) is decided by the heads of state, i.e. the Collective Security Council.",
)
def force_use_body(sit: Situation, body: str, level: str) -> Verdict:
    if level in ("deployment", "assistance") and body != sit.top_council():
        return sit.refuse(
            "cst-art6-force-use",
            f"a decision to use forces ({level}) is for the heads of state in the Collective Security Council, "
            f"not for '{body}'",
        )
    return ALLOWED


@rule(
    "cst-art6-deployment-order",
    "cst",
    "6",
    "Forces deploy only under a decision to deploy adopted by the Collective Security Council (the heads of "
    "state) on the case named in the order.",
)
def deployment_decided(sit: Situation, case: str, adopted_levels: Iterable[str | None]) -> Verdict:
    if "deployment" not in set(adopted_levels):
        return sit.refuse(
            "cst-art6-deployment-order",
            f"no decision to deploy has been adopted on case '{case}' by the Collective Security Council",
        )
    return ALLOWED


@rule(
    "cst-art6-out-of-area",
    "cst",
    "6",
    "Forces are used outside the parties' territory only in the interests of international security, in line "
    "with the UN Charter and national law.",
)
def out_of_area(sit: Situation, location_state: str, un_mandate: bool) -> Verdict:
    if not sit.is_member(location_state) and not un_mandate:
        return sit.refuse(
            "cst-art6-out-of-area",
            f"{location_state} is not a party: forces go beyond the parties' territory only in the interests of "
            "international security under the UN Charter (no UN mandate given)",
        )
    return ALLOWED


@rule(
    "peacekeeping-2007-mandate",
    "peacekeeping-agreement-2007",
    "3",
    "Collective peacekeeping forces deploy on a member's territory at that member's official request, or "
    "elsewhere under a UN Security Council mandate; the heads of state approve each operation.",
)
def peacekeeping_mandate(sit: Situation, host: str, requested_by: str | None, un_mandate: bool) -> Verdict:
    if un_mandate:
        return ALLOWED
    if not sit.is_member(host):
        return sit.refuse(
            "peacekeeping-2007-mandate", f"{host} is not a member: an operation there needs a UN mandate"
        )
    if requested_by != host:
        return sit.refuse(
            "peacekeeping-2007-mandate",
            f"an operation in {host} needs {host}'s own official request (requested by: {requested_by or 'nobody'})",
        )
    return ALLOWED


@rule(
    "forces-2010-collective-force",
    "forces-2010",
    "whole",
    "The collective forces are those formed under the 2010 agreement and recorded in the data on the day: an "
    "exercise trains them and a decision tasks them, and a force that does not exist yet cannot be named.",
    basis="The 2010 agreement on the forces and means of the collective security system; forces.yaml dates "
    "each force's formation.",
)
def collective_forces_exist(sit: Situation, force_ids: Iterable[str]) -> Verdict:
    known = {f.id for f in sit.alliance.forces}
    unknown = [f for f in force_ids if f not in known]
    if unknown:
        names = ", ".join(f"'{f}'" for f in unknown)
        return sit.refuse(
            "forces-2010-collective-force", f"no collective force {names} exists on {sit.day.isoformat()}"
        )
    return ALLOWED


@rule(
    "forces-registered-strength",
    "forces-2010",
    "whole",
    "Taskings draw on the national contributions registered to a collective force: no state beyond its "
    "registered contribution, no force beyond its registered strength, and only members taking part contribute.",
    basis="The 2010 agreement on the forces and means of the collective security system, and each force's "
    "registered strength in forces.yaml. Only a standing (active) force is tasked, not a planned one.",
)
def tasking_within_strength(
    sit: Situation,
    force_id: str,
    contributions: Mapping[str, int],
    *,
    registered_total: float | None,
    registered_by_state: Mapping[str, float],
    already_tasked: int = 0,
    force_name: str | None = None,
    force_status: str = "active",
) -> Verdict:
    if force_status != "active":
        return sit.refuse(
            "forces-registered-strength",
            f"{force_name or force_id} is {force_status}, not a standing force that can be tasked",
        )
    for state, n in contributions.items():
        if n <= 0:
            return sit.refuse(
                "forces-registered-strength", f"{state}'s contribution must be positive, not {n}"
            )
        v = taking_part(
            sit,
            state,
            "forces-registered-strength",
            "force contributions",
            suspended=f"{state} is suspended and contributes no forces",
            outsider=f"{state} is not a member and cannot contribute",
        )
        if not v.ok:
            return v
        cap = registered_by_state.get(state)
        if cap is not None and n > cap:
            return sit.refuse(
                "forces-registered-strength",
                f"{state} offers {n:,} to {force_id} but has {cap:,.0f} registered with it",
            )
    total = sum(contributions.values()) + already_tasked
    if registered_total is not None and total > registered_total:
        return sit.refuse(
            "forces-registered-strength",
            f"{total:,} personnel tasked exceed {force_id}'s registered strength of {registered_total:,.0f}",
        )
    return ALLOWED
