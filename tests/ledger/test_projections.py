"""Projections without a database: replay folds in order, respects ``until``, and never mutates state.

Ledger-backed projection checks (against the store and after catch-up) live in the contract class.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from types import MappingProxyType

import pytest

from csto.ledger import Projection, StoredEvent, counts_by_type, replay, stream_versions
from csto.ledger.projections import troops_curve

from .conftest import T0


def stored(seq: int, stream: str, version: int, type: str = "VoteCast", hours: int = 0) -> StoredEvent:
    return StoredEvent(
        stream=stream,
        type=type,
        at=T0 + timedelta(hours=hours),
        data={},
        seq=seq,
        version=version,
        recorded_at=T0,
        prev_hash="0" * 64,
        hash="1" * 64,
    )


def _fold(projection: Projection[Mapping[str, int]], until: datetime | None = None) -> Mapping[str, int]:
    return replay(EVENTS, projection, until=until)


EVENTS = [
    stored(1, "a", 1, "RequestLodged", 0),
    stored(2, "b", 1, "VoteCast", 1),
    stored(3, "a", 2, "VoteCast", 2),
    stored(4, "a", 3, "DecisionAdopted", 5),
]


def test_stream_versions_holds_each_streams_last_version() -> None:
    assert dict(_fold(stream_versions)) == {"a": 3, "b": 1}


def test_counts_by_type_counts_each_type() -> None:
    assert dict(_fold(counts_by_type)) == {"RequestLodged": 1, "VoteCast": 2, "DecisionAdopted": 1}


def test_replay_until_keeps_only_events_that_had_happened() -> None:
    assert dict(_fold(counts_by_type, until=T0 + timedelta(hours=2))) == {
        "RequestLodged": 1,
        "VoteCast": 2,
    }
    assert dict(_fold(stream_versions, until=T0 - timedelta(seconds=1))) == {}


def test_builtin_states_are_read_only_and_initial_state_is_untouched() -> None:
    state = replay(EVENTS, stream_versions)
    assert isinstance(state, MappingProxyType)
    with pytest.raises(TypeError):
        state["a"] = 0  # type: ignore[index]
    assert dict(stream_versions.initial) == {} and dict(counts_by_type.initial) == {}


def test_replay_twice_gives_equal_results_and_an_empty_fold_gives_initial() -> None:
    assert replay(EVENTS, counts_by_type) == replay(iter(EVENTS), counts_by_type)
    assert replay([], counts_by_type) is counts_by_type.initial


def test_custom_projection_sees_events_in_the_order_given() -> None:
    order: Projection[tuple[int, ...]] = Projection("order", (), lambda s, e: (*s, e.seq))
    assert replay(EVENTS, order) == (1, 2, 3, 4)
    assert replay(reversed(EVENTS), order) == (4, 3, 2, 1)


def test_troops_curve_sorts_by_time_and_keeps_the_running_total() -> None:
    curve = troops_curve([(30.0, 1200, "RUS"), (10.7, 500, "RUS"), (40.0, 330, "KAZ"), (50.0, -700, "RUS")])
    assert [(p.at, p.change, p.on_ground, p.state) for p in curve] == [
        (10.7, 500, 500, "RUS"),
        (30.0, 1200, 1700, "RUS"),
        (40.0, 330, 2030, "KAZ"),
        (50.0, -700, 1330, "RUS"),
    ]


def test_troops_curve_keeps_the_given_order_at_equal_times_and_takes_datetimes() -> None:
    curve = troops_curve([(T0, 5, "B"), (T0 - timedelta(hours=1), 2, "A"), (T0, -1, "C")])
    assert [(p.state, p.on_ground) for p in curve] == [("A", 2), ("B", 7), ("C", 6)]
    assert troops_curve([]) == []
