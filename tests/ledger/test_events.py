"""Events and hashing: validation of ``Event``, the canonical JSON, and the chain hash formula.

The golden hash pins the format: if it changes, every existing ledger stops verifying. These tests
need no database.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from csto.ledger import GENESIS_HASH, Event, StoredEvent, canonical_at, canonical_json, record_hash

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def naive_hash(seq: int, stream: str, version: int, type: str, at: str, data: Any, prev_hash: str) -> str:
    """The formula as the issue states it, written out independently of the implementation."""
    obj = {"seq": seq, "stream": stream, "version": version, "type": type, "at": at, "data": data}
    obj["prev_hash"] = prev_hash
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_genesis_hash_is_64_zeros() -> None:
    assert GENESIS_HASH == "0" * 64


def test_golden_hash_of_a_known_event_is_stable() -> None:
    data = {"vote": "yes", "member": "ARM", "note": "Ереван"}
    digest = record_hash(
        seq=1,
        stream="accession/SRB-1",
        version=1,
        type="VoteCast",
        at=canonical_at(AT),
        data_json=canonical_json(data),
        prev_hash=GENESIS_HASH,
    )
    assert digest == "26778607a2e14adff82219670de603ea88016546a3ed05a5b97b612e89916763"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(
    seq=st.integers(1, 10**12),
    version=st.integers(1, 10**6),
    stream=st.text(min_size=1, max_size=20),
    type_=st.from_regex(r"[A-Za-z][A-Za-z0-9_.:-]{0,20}", fullmatch=True),
    data=st.dictionaries(st.text(max_size=8), json_values, max_size=5),
    prev=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
)
def test_record_hash_equals_the_plain_formula(
    seq: int, version: int, stream: str, type_: str, data: dict[str, Any], prev: str
) -> None:
    try:
        data_json = canonical_json(data)
    except ValueError:  # lone surrogates in generated text are not UTF-8: refused, as they must be
        return
    at = canonical_at(AT)
    assert record_hash(
        seq=seq, stream=stream, version=version, type=type_, at=at, data_json=data_json, prev_hash=prev
    ) == naive_hash(seq, stream, version, type_, at, data, prev)


def test_canonical_json_sorts_keys_drops_whitespace_keeps_unicode() -> None:
    assert canonical_json({"b": [1, {"d": 2, "c": None}], "a": "ё"}) == '{"a":"ё","b":[1,{"c":null,"d":2}]}'


@pytest.mark.parametrize(
    "bad", [{"x": float("nan")}, {"x": float("inf")}, {"x": object()}, {1: 2}, {"x": "\ud800"}]
)
def test_canonical_json_refuses_what_is_not_plain_json(bad: Any) -> None:
    with pytest.raises(ValueError):
        canonical_json(bad)


def test_canonical_at_is_utc_with_microseconds() -> None:
    moscow = timezone(timedelta(hours=3))
    assert canonical_at(datetime(2024, 3, 1, 12, 0, tzinfo=moscow)) == "2024-03-01T09:00:00.000000+00:00"
    with pytest.raises(ValueError):
        canonical_at(datetime(2024, 3, 1))


def test_event_is_frozen() -> None:
    e = Event(stream="s", type="VoteCast", at=AT)
    with pytest.raises(ValidationError):
        e.type = "Other"  # type: ignore[misc]


def test_event_converts_aware_times_to_utc_and_refuses_naive_ones() -> None:
    e = Event(
        stream="s", type="VoteCast", at=datetime(2024, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    )
    assert e.at == AT and e.at.tzinfo == UTC
    with pytest.raises(ValidationError):
        Event(stream="s", type="VoteCast", at=datetime(2024, 3, 1))


@pytest.mark.parametrize(
    "fields",
    [
        {"stream": ""},
        {"stream": " padded"},
        {"stream": "bad\x00nul"},
        {"stream": "x" * 201},
        {"type": ""},
        {"type": "1Cast"},
        {"type": "Vote Cast"},
        {"data": {"x": float("nan")}},
        {"data": {"x": {1, 2}}},
        {"data": "not a dict"},
        {"extra": 1},
    ],
)
def test_event_refuses_bad_fields(fields: dict[str, Any]) -> None:
    base: dict[str, Any] = {"stream": "accession/SRB-1", "type": "VoteCast", "at": AT, "data": {}}
    with pytest.raises(ValidationError):
        Event(**{**base, **fields})


def test_stored_event_expected_hash_matches_the_formula_and_exposes_its_event() -> None:
    data = {"member": "ARM"}
    digest = naive_hash(3, "s", 2, "VoteCast", canonical_at(AT), data, "a" * 64)
    stored = StoredEvent(
        stream="s",
        type="VoteCast",
        at=AT,
        data=data,
        seq=3,
        version=2,
        recorded_at=AT,
        prev_hash="a" * 64,
        hash=digest,
    )
    assert stored.expected_hash() == digest
    assert stored.to_event() == Event(stream="s", type="VoteCast", at=AT, data=data)
    assert stored.to_record()["at"] == "2024-03-01T09:00:00.000000+00:00"
    with pytest.raises(ValidationError):
        StoredEvent(**{**stored.model_dump(), "hash": "XYZ"})
