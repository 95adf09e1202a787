"""Chance in the crisis game: how long each stage takes, drawn from the trial's ``Draw``.

The draw is handed to the state: the timing noise sets when the Council meets, how long a round of
deliberation lasts and how ready the contingents are. The room plays with the nominal draw (no
noise). The vectorized kernel computes the same delays in arrays; a test holds the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass

from csto.policy import Draw, PolicyParams

#: Hours from the decision to deploy to the tasking of forces.
TASKING_DELAY_H = 0.5
#: Hours from the first landing to the start of operations.
OPERATIONS_DELAY_H = 1.0
#: Hours between the departures of two contingents.
DEPARTURE_INTERVAL_H = 6.0
#: The shortest step of the clock a trial takes.
MIN_STEP_H = 0.05


@dataclass(frozen=True)
class Delays:
    """The stage durations of one play of the game (hours)."""

    session: float
    deliberation: float
    readiness_shift: float
    mission: float

    def per_round(self, rungs: int) -> float:
        """One round of deliberation when ``rungs`` proposals may be put down the ladder."""
        return max(max(self.deliberation, 0.2) / max(rungs, 1), MIN_STEP_H)


def delays(params: PolicyParams, draw: Draw) -> Delays:
    tm = params.timing
    return Delays(
        session=max(tm.session_hours + tm.session_hours_sd * draw.timing[0], MIN_STEP_H),
        deliberation=tm.decision_hours + tm.decision_hours_sd * draw.timing[1],
        readiness_shift=tm.readiness_hours_sd * draw.timing[2],
        mission=tm.mission_days * 24.0,
    )
