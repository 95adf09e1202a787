"""The expected timeline as a result: its flights, road moves and arrivals, and the spread over the draws.

Plain data with its JSON form (``to_dict``); it simulates nothing (that is ``expected``) and reads no files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Flight:
    aircraft: str
    type: str
    unit: str
    state: str
    origin: str
    field: str
    depart_h: float
    arrive_h: float
    personnel: int
    vehicles: int
    cargo_t: float
    sustainment: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass
class Timeline:
    """One draw's lift: every flight, the road moves, and when the first and the last troops arrive."""

    flights: list[Flight]
    road: list[dict[str, Any]]

    @property
    def all_in_hours(self) -> float:
        ends = [f.arrive_h for f in self.flights if not f.sustainment] + [r["arrive_h"] for r in self.road]
        return max(ends, default=0.0)

    @property
    def first_units_hours(self) -> float | None:
        firsts = [f.arrive_h for f in self.flights if f.personnel] + [r["arrive_h"] for r in self.road]
        return min(firsts) if firsts else None

    def arrivals(self) -> list[tuple[float, str, int]]:
        """(hours after the order, state, personnel) of every arrival with troops, sorted."""
        out = [(f.arrive_h, f.state, f.personnel) for f in self.flights if f.personnel]
        out += [(float(r["arrive_h"]), str(r["state"]), int(r["personnel"])) for r in self.road]
        return sorted(out)


@dataclass
class Expected:
    """The expected timeline (the median draw) and the spread over all draws."""

    timeline: Timeline
    all_in: list[float]
    first_units: list[float]
    flights: list[int]
    seed: int
    sustainment: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        t = self.timeline
        lift = sum(1 for f in t.flights if not f.sustainment)
        fields: dict[str, int] = {}
        for f in t.flights:
            fields[f.field] = fields.get(f.field, 0) + 1
        return {
            "all_in_hours": round(t.all_in_hours, 2),
            "first_units_hours": None if t.first_units_hours is None else round(t.first_units_hours, 2),
            "flights": len(t.flights),
            "lift_sorties": lift,
            "sustainment_flights": len(t.flights) - lift,
            "flights_by_field": dict(sorted(fields.items())),
            "aircraft_used": len({f.aircraft for f in t.flights}),
            "draws": len(self.all_in),
            "seed": self.seed,
            "spread": {
                "all_in_hours": _quantiles(self.all_in),
                "first_units_hours": _quantiles(self.first_units),
                "flights": _quantiles([float(x) for x in self.flights]),
            },
            "flights_list": [f.to_dict() for f in t.flights],
            "road_moves": t.road,
        }


def _quantiles(xs: list[float]) -> dict[str, float]:
    if not xs:
        return {}
    q = np.quantile(np.asarray(xs, dtype=float), [0.1, 0.5, 0.9])
    return {"p10": round(float(q[0]), 2), "p50": round(float(q[1]), 2), "p90": round(float(q[2]), 2)}
