"""Fixtures for the crisis game: the CSTO dataset, its policy and a game per bundled scenario."""

from __future__ import annotations

import pytest

from csto.game import CrisisGame
from csto.model import Dataset, load_dataset
from csto.policy import PolicyParams, load_policy
from csto.sim.catalog import find


@pytest.fixture(scope="session")
def ds() -> Dataset:
    return load_dataset("csto")


@pytest.fixture(scope="session")
def params(ds: Dataset) -> PolicyParams:
    return load_policy(ds)


@pytest.fixture
def kz(ds: Dataset, params: PolicyParams) -> CrisisGame:
    return CrisisGame(ds, find(ds, "kazakhstan-2022"), params)
