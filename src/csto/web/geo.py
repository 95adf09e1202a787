"""Map data for the dashboard and the room: members, bases, deployments and requests as plain JSON.

Country outlines come from the vendored world-atlas TopoJSON, whose features are keyed by ISO 3166-1
numeric codes; ``NUMERIC`` maps the ISO3 codes the data uses to them. Nothing here draws.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.model import Dataset, view_at

#: ISO 3166-1 alpha-3 → numeric (the `id` of world-atlas features), for the states the data names.
NUMERIC = {
    "AFG": "004", "ARM": "051", "AZE": "031", "BLR": "112", "CHN": "156", "GEO": "268", "IRN": "364",
    "KAZ": "398", "KGZ": "417", "MNG": "496", "RUS": "643", "SRB": "688", "TJK": "762", "TKM": "795",
    "TUR": "792", "UKR": "804", "UZB": "860", "PAK": "586", "IND": "356", "EST": "233", "LVA": "428",
    "LTU": "440", "POL": "616", "FIN": "246", "MDA": "498",
}  # fmt: skip


def map_data(ds: Dataset, day: dt.date, room: Any | None = None) -> dict[str, Any]:
    """Members with their status on ``day``, Russian bases, and an exercise's request and deployment."""
    view = view_at(ds, day)
    members = []
    for m in (*view.members, *view.former):
        st = m.state
        members.append(
            {
                "iso3": m.iso3,
                "name": st.name,
                "status": m.status if m in view.members else "former",
                "numeric": NUMERIC.get(m.iso3),
                "capital": {"name": st.capital.name, "lat": st.capital.lat, "lon": st.capital.lon},
            }
        )
    bases = [
        {
            "id": b.id,
            "name": b.name,
            "operator": b.operator,
            "host": b.host,
            "lat": b.location.lat,
            "lon": b.location.lon,
            "personnel": b.personnel.value if b.personnel else None,
        }
        for b in ds.bases
        if b.exists_on(day) and b.location.lat is not None
    ]
    out: dict[str, Any] = {
        "day": day.isoformat(),
        "members": members,
        "others": [],
        "bases": bases,
        "deployments": [],
        "requests": [],
    }
    if room is not None:
        sc = room.sc
        if sc.aggressor.state and not sc.aggressor.member:
            out["others"].append(
                {
                    "iso3": sc.aggressor.state,
                    "numeric": NUMERIC.get(sc.aggressor.state),
                    "name": sc.aggressor.name,
                    "role": "aggressor",
                }
            )
        loc = ds.state(sc.location.state)
        if room.case is not None and loc is not None:
            lat = sc.location.lat if sc.location.lat is not None else loc.capital.lat
            lon = sc.location.lon if sc.location.lon is not None else loc.capital.lon
            out["requests"].append(
                {"state": sc.location.state, "lat": lat, "lon": lon, "label": f"{sc.location.state}: request"}
            )
        dep = room.deployment_view()
        if dep is not None:
            af = next((a for a in ds.airfields if a.id == sc.destination_airfield), None)
            lat = (
                af.lat
                if af
                else (sc.location.lat if sc.location.lat is not None else (loc.capital.lat if loc else None))
            )
            lon = (
                af.lon
                if af
                else (sc.location.lon if sc.location.lon is not None else (loc.capital.lon if loc else None))
            )
            out["deployments"].append(
                {
                    "id": sc.destination_airfield or sc.location.state,
                    "name": af.name if af else sc.location.state,
                    "lat": lat,
                    "lon": lon,
                    "on_ground": dep["on_ground"],
                    "tasked": dep["tasked"],
                    "by_state": dep["arrived"],
                }
            )
    return out
