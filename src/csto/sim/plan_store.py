"""Airlift plans kept on disk between runs: a tasking planned once is not planned again by the next process.

The key hashes the tasking (contributions, destination, force), the data files and the code that plans
(``csto.logistics``, ``csto.game.arrivals``), so that a changed input or planner is a miss, never a stale
plan. A hit also goes into the game's in-memory cache (``csto.game.arrivals``), which the engine's trials
read. The planning itself stays in ``csto.game.arrivals.cached_plan``; this module only stores its answers.
"""

from __future__ import annotations

import json
from pathlib import Path

from csto.game import arrivals
from csto.model import Dataset, diskcache

Arrivals = list[tuple[float, str, int]]


def _key(ds: Dataset, contributions: tuple[tuple[str, int], ...], dest: str, force: str) -> str:
    data = diskcache.files_digest(Path(ds.directory).glob("*.yaml"))
    code = diskcache.code_digest("csto.logistics", "csto.game.arrivals")
    return diskcache.digest([code, data, json.dumps([list(c) for c in contributions]), dest, force])


def stored_plan(
    ds: Dataset, contributions: tuple[tuple[str, int], ...], dest: str, force: str
) -> Arrivals | None:
    """``cached_plan``'s answer for this tasking, from the disk when an earlier run planned it."""
    known, plan = arrivals.known_plan(ds, contributions, dest, force)
    if known:
        return plan
    key = _key(ds, contributions, dest, force)
    raw = diskcache.load("plans", key)
    if raw is not None:
        try:
            doc = json.loads(raw)
            plan = None if doc is None else [(float(t), str(s), int(n)) for t, s, n in doc]
        except (ValueError, TypeError):
            plan = None
        else:
            arrivals.remember_plan(ds, contributions, dest, force, plan)
            return plan
    plan = arrivals.cached_plan(ds, contributions, dest, force)
    diskcache.store("plans", key, json.dumps(plan).encode())
    return plan
