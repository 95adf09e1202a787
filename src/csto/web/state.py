"""What the exercise room's app holds between requests: ``AppState`` (the database, the data, the open rooms,
the session lifetime and the clock), and the dataset, policy and scenarios it is built on.

It holds no route, no rendering and no check of who may do what (``deps`` and ``roles`` do).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import Any

from csto.errors import CstoError
from csto.game.scenario import Scenario
from csto.ledger.checkpoint import Checkpoint
from csto.ledger.sql import SqlLedger
from csto.model import Dataset, load_dataset
from csto.policy import PolicyParams
from csto.policy.posterior import calibrated_policy
from csto.sim.catalog import bundled
from csto.web.room import Room
from csto.web.store import Clock, Store, utcnow
from csto.web.throttle import HashGate, LoginThrottle


class NotFound(CstoError):
    """Something named in the URL does not exist (HTTP 404)."""


@dataclass
class AppState:
    """What the app holds between requests: the database, the data, the open rooms, and what time it is."""

    ledger: SqlLedger
    store: Store
    ds: Dataset
    params: PolicyParams
    scenarios: dict[str, Scenario]
    session_ttl_s: int
    clock: Clock = utcnow
    rooms: dict[str, Room] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: failed logins per account and address, and the bound on password hashes at once (``throttle``)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    gate: HashGate = field(default_factory=HashGate)
    #: the key that signs a checkpoint of the ledger when an exercise ends (``csto.web.anchor``)
    signing_key: Any = None

    def anchor(self, room: Room) -> Checkpoint | None:
        """The end-of-exercise checkpoint of ``room`` (signed once, when first asked after it ended)."""
        from csto.web.anchor import anchor_if_ended, room_key

        if self.signing_key is None:
            self.signing_key = room_key(self.store, None)
        return anchor_if_ended(self.store, self.ledger, self.signing_key, room)

    def room(self, ex_id: str) -> Room:
        with self.lock:
            room = self.rooms.get(ex_id)
            if room is not None:
                return room
            meta = self.store.exercise(ex_id)
            if meta is None:
                raise NotFound(f"no exercise '{ex_id}'")
            sc = self.scenarios[meta["scenario"]]
            room = Room.load(ex_id, self.ledger, self.ds, self.params, sc)
            self.rooms[ex_id] = room
            return room

    def run_scenario(self, scenario_id: str, trials: int, seed: int) -> Any:
        """The Monte Carlo of a bundled scenario (``NotFound`` for an unknown one)."""
        from csto.sim.montecarlo import run_crisis

        sc = self.scenarios.get(scenario_id)
        if sc is None:
            raise NotFound(f"no scenario '{scenario_id}'")
        return run_crisis(self.ds, sc, trials=trials, seed=seed)


@functools.cache
def load_data(alliance: str, data_dir: str | None) -> tuple[Dataset, PolicyParams, dict[str, Scenario]]:
    """The dataset, policy and bundled scenarios (read once per process: they are frozen)."""
    ds = load_dataset(alliance, data_dir=data_dir)
    # the room's model seats play with the calibrated posterior's mean weights (csto calibrate)
    return ds, calibrated_policy(ds), {s.id: s for s in bundled(ds)}
