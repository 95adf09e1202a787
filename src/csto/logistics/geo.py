"""Geodesic distances between airfields and places (WGS84, geographiclib), cached.

Pure functions of coordinates; it knows nothing about aircraft or plans.
"""

from __future__ import annotations

from functools import lru_cache

from geographiclib.geodesic import Geodesic


@lru_cache(maxsize=4096)
def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The shortest distance on the WGS84 ellipsoid, in kilometres."""
    return float(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]) / 1000.0
