"""The chain walker shared by ``verify()`` and ``import_jsonl()``: checks one raw record at a time.

A record is checked as stored (text columns), not as parsed, so a tampered row that no longer parses
is reported rather than crashing the walk. In sequence, linked and with a hash that recomputes, a record
is what its writer checked, so only whether its data reads through its class (``csto.events``) is asked;
any other record goes through every check in turn to name the column at fault, and an unknown type is
named with its seq. A record's hash covers its ``recorded_at`` too; a ledger written before that may begin
with legacy records (hashed without it), but once one record covers it every later one must. It must not
read or write any database itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from pydantic import ValidationError

from csto.errors import InputError
from csto.events import EVENT_TYPES, UnknownEventType, parse
from csto.ledger.events import (
    CANONICAL_AT_RE,
    GENESIS_HASH,
    canonical_at,
    canonical_json,
    hash_fields,
)

__all__ = ["ChainChecker", "ChainFault", "RawRecord"]

_AT_MATCH: Final = CANONICAL_AT_RE.fullmatch


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One event as stored: ``at`` as ISO text and ``data_json`` as JSON text."""

    seq: int
    stream: str
    version: int
    type: str
    at: str
    data_json: str
    prev_hash: str
    hash: str
    recorded_at: str | None = None


@dataclass(frozen=True, slots=True)
class ChainFault:
    """Why a record breaks the chain; ``field`` names the column at fault."""

    seq: int
    stream: str
    type: str
    field: str
    reason: str
    #: The chain holds but the event is not one this code reads (unknown type, or data unlike its class).
    unreadable: bool = False


@dataclass(slots=True)
class ChainChecker:
    """Feed records in ``seq`` order to ``check``; it returns the first fault, or ``None`` and moves on.

    After a fault the checker is not advanced, so ``count`` and ``last_hash`` describe the intact prefix.
    """

    count: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    versions: dict[str, int] = field(default_factory=dict)
    #: Whether a record whose hash covers ``recorded_at`` was seen (every later one must be such a record).
    full: bool = False
    #: How many legacy records (hashed without ``recorded_at``) the intact prefix holds.
    legacy: int = 0
    #: Each event class's validator, by type, looked up once per walk.
    validators: dict[str, Any] = field(default_factory=dict)

    def check(self, rec: RawRecord) -> ChainFault | None:
        return self.check_row(
            (
                rec.seq,
                rec.stream,
                rec.version,
                rec.type,
                rec.at,
                rec.data_json,
                rec.recorded_at,
                rec.prev_hash,
                rec.hash,
            )
        )

    def check_row(self, row: Sequence[Any]) -> ChainFault | None:
        """``check`` for a stored row in ``COLUMNS`` order."""
        return self.walk((row,))

    def walk(self, rows: Iterable[Sequence[Any]]) -> ChainFault | None:
        """``check_row`` over ``rows`` in order, up to the first fault (returned); ``None`` if all hold.

        The common case first: in sequence, linked, and a hash that recomputes from the stored text. Such a
        record is exactly what its writer hashed (after checking it field by field), so only whether this
        code can read it is asked; any other record goes through every check, to name the column at fault.
        The walk keeps its state in locals (this loop is most of ``verify``'s time) and stores it back.
        """
        last_seq, last_hash, count = self.last_seq, self.last_hash, self.count
        versions, validators, full = self.versions, self.validators, self.full
        try:
            for row in rows:
                seq, stream, version, type_, at, data_json, recorded_at, prev_hash, digest = row
                if (
                    seq == last_seq + 1
                    and prev_hash == last_hash
                    and version == versions.get(stream, 0) + 1
                    and isinstance(at, str)
                    and _AT_MATCH(at)
                    and isinstance(data_json, str)
                    and isinstance(recorded_at, str)
                    and _AT_MATCH(recorded_at)
                    and hash_fields(seq, stream, version, type_, at, data_json, prev_hash, recorded_at)
                    == digest
                    and _readable(validators, type_, data_json)
                ):
                    count, last_seq, last_hash, full = count + 1, seq, digest, True
                    versions[stream] = version
                    continue
                self.last_seq, self.last_hash, self.count, self.full = last_seq, last_hash, count, full
                fault = self._diagnose(
                    RawRecord(seq, stream, version, type_, at, data_json, prev_hash, digest, recorded_at)
                )
                last_seq, last_hash, count, full = self.last_seq, self.last_hash, self.count, self.full
                if fault is not None:
                    return fault
        finally:
            self.last_seq, self.last_hash, self.count, self.full = last_seq, last_hash, count, full
        return None

    def _diagnose(self, rec: RawRecord) -> ChainFault | None:
        """Every check in turn, for a record that failed the quick one: the first fault, or ``None``."""

        def fault(column: str, reason: str, *, unreadable: bool = False) -> ChainFault:
            return ChainFault(
                seq=rec.seq,
                stream=rec.stream,
                type=rec.type,
                field=column,
                reason=reason,
                unreadable=unreadable,
            )

        expected_seq = self.last_seq + 1
        if rec.seq != expected_seq:
            what = "an event is missing" if rec.seq > expected_seq else "seq out of order or repeated"
            return fault("seq", f"seq gap: expected seq {expected_seq}, found {rec.seq} ({what})")
        if rec.prev_hash != self.last_hash:
            link = f"the hash of seq {self.last_seq}" if self.last_seq else "the genesis hash (64 zeros)"
            return fault("prev_hash", f"prev_hash does not match {link}")
        expected_version = self.versions.get(rec.stream, 0) + 1
        if rec.version != expected_version:
            return fault(
                "version",
                f"stream version gap: expected version {expected_version} of {rec.stream!r}, "
                f"found {rec.version}",
            )
        try:
            data = json.loads(rec.data_json)
        except ValueError as exc:
            return fault("data", f"data is not valid JSON ({exc})")
        if not isinstance(data, dict):
            return fault("data", "data is not a JSON object")
        try:
            data_json = canonical_json(data)
        except ValueError as exc:
            return fault("data", f"data is not plain JSON ({exc})")
        if data_json != rec.data_json:
            return fault("data", "data text is not in canonical form (altered)")
        try:
            at_ok = canonical_at(datetime.fromisoformat(rec.at)) == rec.at
        except ValueError:
            at_ok = False
        if not at_ok:
            return fault("at", f"at is not a canonical UTC timestamp: {rec.at!r}")
        fields = (rec.seq, rec.stream, rec.version, rec.type, rec.at, data_json, rec.prev_hash)
        recorded_ok = isinstance(rec.recorded_at, str) and _AT_MATCH(rec.recorded_at) is not None
        recomputed = hash_fields(*fields, rec.recorded_at)
        legacy = recomputed != rec.hash and hash_fields(*fields) == rec.hash
        if legacy and self.full:
            return fault(
                "hash",
                "hash leaves out recorded_at, but the events before it cover it (rehashed or recorded_at edited)",
            )
        if not legacy and recomputed != rec.hash:
            return fault(
                "hash",
                f"hash mismatch: stored {rec.hash[:12]}…, recomputed {recomputed[:12]}… "
                "(the event's content or recorded_at was altered)",
            )
        if not legacy and not recorded_ok:
            return fault("recorded_at", f"recorded_at is not a canonical UTC timestamp: {rec.recorded_at!r}")
        try:
            parse(rec.type, data)
        except UnknownEventType:
            return fault("type", f"unknown event type {rec.type!r}", unreadable=True)
        except InputError as exc:
            return fault("data", str(exc), unreadable=True)
        self.count += 1
        self.last_seq = rec.seq
        self.last_hash = rec.hash
        self.versions[rec.stream] = rec.version
        if legacy:
            self.legacy += 1
        else:
            self.full = True
        return None


def _readable(validators: dict[str, Any], type_name: str, data_json: str) -> bool:
    """Whether ``data_json`` reads through its event class, parsed straight from the text (no dict between)."""
    validator = validators.get(type_name)
    if validator is None:
        cls = EVENT_TYPES.get(type_name)
        if cls is None:
            return False
        validator = validators[type_name] = cls.__pydantic_validator__
    try:
        validator.validate_json(data_json)
    except ValidationError:
        return False
    return True
