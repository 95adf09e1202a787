"""Fixtures for the airlift tests: the CLI runner, the dataset and its supply data."""

from __future__ import annotations

import pytest

from csto.logistics import load_logistics
from csto.model import load_dataset
from tests.cli.conftest import cli, dataset_copy

__all__ = ["cli", "dataset_copy"]


@pytest.fixture(scope="session")
def ds():  # type: ignore[no-untyped-def]
    return load_dataset("csto")


@pytest.fixture(scope="session")
def lg(ds):  # type: ignore[no-untyped-def]
    return load_logistics(ds)
