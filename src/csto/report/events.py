"""Events in words: one line per event for the play transcript, the ledger browser and reports.

Works on plain (type, data) pairs, so it needs neither the procedures nor the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _n(v: Any) -> str:
    return f"{v:,}" if isinstance(v, int) else str(v)


def _contrib(d: Mapping[str, Any]) -> str:
    return " · ".join(f"{k} {_n(v)}" for k, v in d.items())


def describe(type_: str, data: Mapping[str, Any]) -> str:
    """A short sentence for an event."""
    d = data
    actor = d.get("actor", "")
    match type_:
        case "WorldOpened":
            return f"World opened: {len(d.get('statuses', {}))} states with a status ({d.get('alliance')})"
        case "RequestLodged":
            return (
                f"{d['requester']} requests collective assistance under {d['citation']}"
                f" ({d['kind'].replace('_', ' ')}{', framed as ' + d['framing'] if d.get('framing') else ''})"
            )
        case "ConsultationRequested":
            return f"{d['requester']} asks for consultations under {d['citation']}: {d.get('subject')}"
        case "PeacekeepingRequested":
            return f"{d['requester']} requests a peacekeeping operation in {d['host']} ({d['citation']})"
        case "SessionConvened":
            frozen = f"; frozen: {', '.join(d['frozen'])}" if d.get("frozen") else ""
            return (
                f"{d['body_name']} convened ({d.get('format')}), chair {d.get('chair') or '—'}; "
                f"taking part: {', '.join(d['entitled'])}{frozen}"
            )
        case "ProposalTabled":
            p = d["proposal"]
            return f"{actor} tables: " + ", ".join(f"{k} {v}" for k, v in p.items())
        case "VoteCast":
            why = f" — {d['reason']}" if d.get("reason") else ""
            return f"{d['state']} {d['position'].replace('_', ' ')}{why}"
        case "DecisionAdopted":
            what = d.get("level") or d.get("subject") or d.get("summary") or "decision"
            return (
                f"Decision adopted: {what} — {len(d['support'])} support, {len(d['stand_aside'])} stand aside, "
                f"{len(d['object'])} object ({d['reason']})"
            )
        case "DecisionFailed":
            return f"No decision: {d['reason']}"
        case "ForcesTasked":
            return f"Forces tasked to {d.get('force_name', d['force'])}: {_contrib(d['contributions'])} (total {_n(d['personnel'])})"
        case "DeploymentOrdered":
            return f"Deployment ordered: {_contrib(d['contributions'])}" + (
                f", commander {d['commander']}" if d.get("commander") else ""
            )
        case "UnitsArrived":
            at = f" at {d['airfield']}" if d.get("airfield") else ""
            veh = f" and {d['vehicles']} vehicles" if d.get("vehicles") else ""
            return f"{d['state']} units arrive{at}: {_n(d['personnel'])} personnel{veh} (on the ground: {_n(d['on_ground'])})"
        case "OperationsBegun":
            return f"Operations begin ({_n(d['on_ground'])} on the ground){': ' + d['tasks'] if d.get('tasks') else ''}"
        case "WithdrawalBegun":
            return "Withdrawal begins" + (f": {d['reason']}" if d.get("reason") else "")
        case "UnitsDeparted":
            return f"{d['state']} units leave: {_n(d['personnel'])}"
        case "ForcesWithdrawn":
            return "Withdrawal complete"
        case "ForcesReleased":
            return f"{_n(d['personnel'])} personnel released back to {d['force']}"
        case "StatusChanged":
            return f"{d['state']} is now {d['status']} ({d.get('basis', '')})"
        case "BreachFlagged":
            return f"Breach flagged: {d['state']} — {d['article']}: {d['reason']}"
        case "BaseRequested":
            return f"{d['host']} asks consent for a base of {d['foreign_state']} at {d.get('site')} ({d['citation']})"
        case "ConsentGiven" | "ConsentRefused":
            word = "consents" if type_ == "ConsentGiven" else "refuses consent"
            return f"{d['state']} {word}" + (f" — {d['reason']}" if d.get("reason") else "")
        case "WithdrawalNotified":
            return f"{d['state']} notifies withdrawal ({d['mode']}), effective {d['effective']} under {d['citation']}"
        case "ApplicationLodged":
            return f"{d['applicant']} applies for membership ({d['citation']})"
        case "SubjectTabled":
            return f"{actor} tables: {d.get('subject')}"
        case "ApplicationReviewed":
            return f"Secretariat review: recommends {d.get('recommend')} — {d.get('findings')}"
        case "ProtocolSigned":
            return f"{d['state']} signs the accession protocol"
        case "ProtocolRatified":
            return f"{d['state']} ratifies; integration period until {d['integration_ends']}"
        case "SuspensionProposed":
            return f"{actor} proposes to suspend {d['state']}: {d.get('grounds')}"
        case "ParticipationFrozen":
            return f"{d['state']} freezes its participation" + (f": {d['reason']}" if d.get("reason") else "")
        case "HostileActReported":
            return f"{d['victim']} reports an act by {d['by']}: {d.get('description')}"
        case "AllianceJoined":
            return f"{d['state']} joins {d['alliance']}"
        case "BaseEstablished":
            return f"Base of {d['foreign_state']} established in {d['host']} ({d.get('site')})"
        case "CaseConcluded":
            return "Case concluded without a decision" + (f": {d['summary']}" if d.get("summary") else "")
        case "ExerciseOpened":
            return f"Exercise '{d.get('title')}' opened on scenario {d.get('scenario')}"
        case "SeatTaken":
            return f"{d.get('user')} takes the seat of {d.get('state')}"
        case "SeatLeft":
            return f"{d.get('user')} leaves the seat of {d.get('state')} to the model"
        case "StatementMade":
            return f"{d.get('state')} states: {d.get('text')}"
        case "InjectMade":
            value = f" (value {d['value']})" if d.get("value") is not None else ""
            return f"Inject: {d.get('text')}{value}"
        case "ClockAdvanced":
            return f"Clock moved forward {float(d.get('hours', 0)):g} h"
        case "ModelExpected":
            return f"The model's expectations recorded for the {d.get('level')} proposal (round {d.get('round')})"
        case "ArrivalsPlanned":
            return f"Airlift schedule recorded: {len(d.get('schedule') or [])} arrivals"
        case "StepRefused":
            return f"{d.get('refused')} {str(d.get('step')).replace('_', ' ')} refused under {d.get('article')}: {d.get('reason')}"
        case "ExerciseEnded":
            return "Exercise ended" + (f": {d['summary']}" if d.get("summary") else "")
        case "RequestWithdrawn":
            return f"{actor} withdraws its request" + (f": {d['reason']}" if d.get("reason") else "")
        case _:
            extras = ", ".join(
                f"{k}={v}" for k, v in d.items() if k != "actor" and not isinstance(v, (dict, list))
            )
            return f"{type_}" + (f" ({extras})" if extras else "")
