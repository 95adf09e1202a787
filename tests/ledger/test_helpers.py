"""The shared test helpers in tests/conftest.py: ``require_or_skip`` and ``with_search_path``.

``CSTO_REQUIRE_ALL=1`` must turn a would-be skip into a failure, or a CI run could pass while a
whole backend went untested. The root conftest is loaded by path: ``conftest`` is not a unique name.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import NoReturn
from urllib.parse import parse_qs, urlsplit

import pytest


def _root_conftest() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("csto_tests_root_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROOT = _root_conftest()


def test_require_or_skip_skips_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSTO_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="service X missing"):
        ROOT.require_or_skip("service X missing")


@pytest.mark.parametrize("value", ["", "0"])
def test_require_or_skip_skips_when_require_all_is_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CSTO_REQUIRE_ALL", value)
    with pytest.raises(pytest.skip.Exception):
        ROOT.require_or_skip("service X missing")


def test_require_or_skip_fails_when_require_all_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTO_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="service X missing"):
        ROOT.require_or_skip("service X missing")


def test_require_or_skip_fixture_fails_when_require_all_is_set(
    monkeypatch: pytest.MonkeyPatch, require_or_skip: Callable[[str], NoReturn]
) -> None:
    monkeypatch.setenv("CSTO_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="service Y missing"):
        require_or_skip("service Y missing")


def test_with_search_path_adds_libpq_options_and_keeps_other_query_parts() -> None:
    url = ROOT.with_search_path("postgresql://u@h:5432/db?sslmode=disable&options=-cwork_mem%3D4MB", "test_1")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert (parts.netloc, parts.path) == ("u@h:5432", "/db")
    assert query["sslmode"] == ["disable"]
    assert query["options"] == ["-cwork_mem=4MB -csearch_path=test_1"]
