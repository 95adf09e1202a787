"""Supply: the airfields (coordinates, runways, ground capacity), the fleet's aircraft and the legs they fly.

``Network`` answers how long a type takes from one airfield to another (with a refuelling stop if needed);
``sortie_capacity`` says what one sortie can take. It holds no demand and orders no sorties.
"""

from __future__ import annotations

import math

from csto.errors import InputError
from csto.logistics.data import AircraftType, AirfieldCapacity, LogisticsFile
from csto.logistics.geo import geodesic_km
from csto.model import Dataset

TROOP_T = 0.1  # tonnes per soldier with personal kit (planning assumption)


class Network:
    """Airfields with coordinates and capacities, and the fleet available for the lift."""

    def __init__(self, ds: Dataset, lg: LogisticsFile) -> None:
        self.ds, self.lg = ds, lg
        self.coords = {a.id: (a.lat, a.lon) for a in ds.airfields if a.lat is not None and a.lon is not None}
        self.runway = {a.id: a.runway_m or 0 for a in ds.airfields}
        self.caps = {c.airfield: c for c in lg.airfields}
        self.types = {t.id: t for t in lg.aircraft}
        self._legs: dict[tuple[str, str, str], tuple[float, str | None] | None] = {}

    def capacity(self, airfield: str) -> AirfieldCapacity:
        return self.caps.get(airfield, self.lg.default_capacity)

    def km(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        for x in (a, b):
            if x not in self.coords:
                raise InputError(
                    f"airfield '{x}' has no coordinates in airfields.yaml",
                    field="airfield",
                    expected="an airfield with known coordinates",
                )
        (la, lo), (lb, lob) = self.coords[a], self.coords[b]
        return geodesic_km(la, lo, lb, lob)

    def leg_or_none(self, t: AircraftType, a: str, b: str) -> tuple[float, str | None] | None:
        """``leg``, or None when the type cannot fly it (memoised)."""
        key = (t.id, a, b)
        if key not in self._legs:
            try:
                self._legs[key] = self.leg(t, a, b)
            except InputError:
                self._legs[key] = None
        return self._legs[key]

    def leg(self, t: AircraftType, a: str, b: str) -> tuple[float, str | None]:
        """Hours for aircraft type ``t`` from ``a`` to ``b``, with the refuelling stop chosen if needed."""
        d = self.km(a, b)
        if d <= t.range_km:
            return d / t.cruise_kmh, None
        best: tuple[float, str | None] = (math.inf, None)
        for via in self.coords:
            if via in (a, b) or self.runway.get(via, 0) < t.min_runway_m:
                continue
            d1, d2 = self.km(a, via), self.km(via, b)
            if d1 <= t.range_km and d2 <= t.range_km:
                h = (d1 + d2) / t.cruise_kmh + self.lg.norms.refuel_stop_h
                if h < best[0]:
                    best = (h, via)
        if best[1] is None:
            raise InputError(
                f"the leg {a} → {b} ({d:,.0f} km) is beyond the {t.name}'s range of {t.range_km:,.0f} km and no "
                "airfield in range can serve as a refuelling stop",
                field="leg",
                expected="a destination within range, or an airfield for a stop",
            )
        return best


def sortie_capacity(
    t: AircraftType, vehicle_t: float, want_vehicles: int, want_troops: int, cargo_t: float
) -> tuple[int, int, float]:
    """(vehicles, troops, cargo) one sortie of ``t`` takes from what is left, vehicles first."""
    v = min(want_vehicles, t.vehicles_max, int(t.payload_t // vehicle_t))
    left = t.payload_t - v * vehicle_t
    p = min(want_troops, t.seats, int(left // TROOP_T))
    left -= p * TROOP_T
    c = min(cargo_t, max(0.0, left))
    return v, p, c


def aircraft_list(net: Network) -> list[tuple[str, AircraftType, str]]:
    out = []
    for f in net.lg.fleets:
        t = net.types[f.type]
        for i in range(f.count):
            out.append((f"{f.state}-{f.type}-{f.base}-{i + 1:02d}", t, f.base))
    return out
