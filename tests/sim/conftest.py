"""Fixtures for the simulation tests: the CLI runner from the CLI tests."""

from __future__ import annotations

from tests.cli.conftest import cli, dataset_copy

__all__ = ["cli", "dataset_copy"]
