"""The airlift plan as a result: sorties, road moves, makespan against the lower bound, troops on the ground.

Plain data with its JSON form (``to_dict``) and the on-ground curve; it plans nothing and reads no data files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Sortie:
    aircraft: str
    type: str
    unit: str
    state: str
    origin: str
    dest: str
    depart_h: float
    arrive_h: float
    personnel: int
    vehicles: int
    cargo_t: float
    refuel: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass
class Plan:
    makespan_hours: float
    lower_bound_hours: float
    first_units_hours: float | None
    sorties: list[Sortie]
    road_moves: list[dict[str, Any]]
    method: str
    bound_parts: dict[str, float] = field(default_factory=dict)
    personnel: int = 0
    vehicles: int = 0

    @property
    def gap(self) -> float:
        return 0.0 if self.lower_bound_hours <= 0 else self.makespan_hours / self.lower_bound_hours - 1.0

    def on_ground(self) -> list[dict[str, float]]:
        """Personnel and vehicles on the ground over time (a step at each landing or road arrival)."""
        events = [(s.arrive_h, s.personnel, s.vehicles) for s in self.sorties if s.personnel or s.vehicles]
        events += [(r["arrive_h"], r["personnel"], r["vehicles"]) for r in self.road_moves]
        events.sort()
        out = [{"t_hours": 0.0, "personnel": 0, "vehicles": 0}]
        p = v = 0
        for t, dp, dv in events:
            p += dp
            v += dv
            out.append({"t_hours": round(t, 2), "personnel": p, "vehicles": v})
        return out

    def to_dict(self) -> dict[str, Any]:
        aircraft = sorted({s.aircraft for s in self.sorties})
        return {
            "makespan_hours": round(self.makespan_hours, 2),
            "lower_bound_hours": round(self.lower_bound_hours, 2),
            "gap": round(self.gap, 4),
            "first_units_hours": None if self.first_units_hours is None else round(self.first_units_hours, 2),
            "method": self.method,
            "bound_parts": {k: round(v, 2) for k, v in self.bound_parts.items()},
            "personnel": self.personnel,
            "vehicles": self.vehicles,
            "aircraft_used": len(aircraft),
            "sorties": [s.to_dict() for s in self.sorties],
            "road_moves": self.road_moves,
            "on_ground": self.on_ground(),
        }
