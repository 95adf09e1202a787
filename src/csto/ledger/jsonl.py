"""The JSON-lines export format: a header line, one canonical JSON object per event, a trailer line.

``read_export`` parses and chain-verifies a file line by line and names the line of the first
problem; the trailer (event count and head hash) makes a cut-short file detectable. This module
writes no database rows itself: backends feed what it yields into one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol

from pydantic import ValidationError

from csto.errors import LedgerError
from csto.ledger.chain import ChainChecker, RawRecord
from csto.ledger.events import StoredEvent, canonical_at, canonical_json

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ImportRow",
    "event_line",
    "header_line",
    "read_export",
    "trailer_line",
]

FORMAT: Final = "csto-ledger"
FORMAT_VERSION: Final = 1
_EVENT_KEYS: Final = frozenset(
    {"seq", "stream", "version", "type", "at", "data", "recorded_at", "prev_hash", "hash"}
)
_EXPECTED_EVENT: Final = "a JSON object with " + ", ".join(sorted(_EVENT_KEYS))
_UNTAMPERED: Final = "an untampered export whose hash chain verifies"


def header_line() -> str:
    return canonical_json({"format": FORMAT, "format_version": FORMAT_VERSION}) + "\n"


def event_line(event: StoredEvent) -> str:
    return canonical_json(event.to_record()) + "\n"


def trailer_line(count: int, head_hash: str | None) -> str:
    return canonical_json({"end": True, "count": count, "head_hash": head_hash}) + "\n"


class _Refuse(Protocol):
    def __call__(
        self, message: str, *, field: str | None = ..., expected: str | None = ...
    ) -> LedgerError: ...


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One verified event from an export file, as column values ready to insert."""

    line: int
    record: RawRecord
    recorded_at: str


def read_export(lines: Iterable[str], *, name: str) -> Iterator[ImportRow]:
    """Yield the events of an export in order, each verified against the chain so far.

    Raises ``LedgerError`` naming ``name`` and the 1-based line of the first problem (bad header,
    malformed line, broken chain, missing or wrong trailer, content after the trailer).
    """
    checker = ChainChecker()
    lineno = 0
    header_seen = False
    trailer_seen = False

    def refuse(message: str, *, field: str | None = None, expected: str | None = None) -> LedgerError:
        return LedgerError(message, file=name, line=lineno, field=field, expected=expected)

    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if trailer_seen:
            if line.strip():
                raise refuse("content after the trailer line", expected="nothing after the trailer")
            continue
        if not line.strip():
            raise refuse("blank line", expected=_EXPECTED_EVENT)
        try:
            obj: Any = json.loads(line)
        except ValueError as exc:
            raise refuse(f"not valid JSON ({exc})", expected=_EXPECTED_EVENT) from None
        if not isinstance(obj, dict):
            raise refuse("not a JSON object", expected=_EXPECTED_EVENT)
        if not header_seen:
            if obj.get("format") != FORMAT or obj.get("format_version") != FORMAT_VERSION:
                raise refuse(
                    "not a csto ledger export",
                    field="format",
                    expected=f'a header line {{"format":"{FORMAT}","format_version":{FORMAT_VERSION}}}',
                )
            header_seen = True
            continue
        if "end" in obj:
            _check_trailer(obj, checker, refuse)
            trailer_seen = True
            continue
        yield _event_row(obj, lineno, checker, refuse)

    if not header_seen:
        lineno = 1
        raise refuse("empty file", expected="a csto ledger export (header line first)")
    if not trailer_seen:
        lineno += 1
        raise refuse(
            "the file ends without its trailer line (cut short?)",
            expected='a last line {"count":N,"end":true,"head_hash":...}',
        )


def _event_row(obj: dict[str, Any], lineno: int, checker: ChainChecker, refuse: _Refuse) -> ImportRow:
    keys = set(obj)
    if keys != _EVENT_KEYS:
        missing, extra = sorted(_EVENT_KEYS - keys), sorted(keys - _EVENT_KEYS)
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"unknown {', '.join(extra)}"] if extra else []
        detail = "; ".join(parts)
        raise refuse(f"wrong fields ({detail})", field=(missing or extra)[0], expected=_EXPECTED_EVENT)
    for key in ("seq", "version"):
        if not isinstance(obj[key], int) or isinstance(obj[key], bool):
            raise refuse(f"{key} must be an integer", field=key, expected="an integer >= 1")
    for key in ("stream", "type", "at", "recorded_at", "prev_hash", "hash"):
        if not isinstance(obj[key], str):
            raise refuse(f"{key} must be a string", field=key, expected="a string")
    try:
        StoredEvent.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = str(first["loc"][0]) if first["loc"] else None
        raise refuse(f"invalid event: {first['msg']}", field=where, expected=_EXPECTED_EVENT) from None
    record = RawRecord(
        seq=obj["seq"],
        stream=obj["stream"],
        version=obj["version"],
        type=obj["type"],
        at=obj["at"],
        data_json=canonical_json(obj["data"]),
        prev_hash=obj["prev_hash"],
        hash=obj["hash"],
        recorded_at=obj["recorded_at"],
    )
    fault = checker.check(record)
    if fault is not None:
        raise refuse(f"event seq {fault.seq}: {fault.reason}", field=fault.field, expected=_UNTAMPERED)
    return ImportRow(
        line=lineno, record=record, recorded_at=canonical_at(datetime.fromisoformat(obj["recorded_at"]))
    )


def _check_trailer(obj: dict[str, Any], checker: ChainChecker, refuse: _Refuse) -> None:
    expected_head = checker.last_hash if checker.count else None
    if obj.get("end") is not True or obj.get("count") != checker.count:
        raise refuse(
            f"trailer says {obj.get('count')!r} events but the file holds {checker.count}",
            field="count",
            expected=_UNTAMPERED,
        )
    if obj.get("head_hash") != expected_head:
        raise refuse(
            "trailer head_hash does not match the last event's hash", field="head_hash", expected=_UNTAMPERED
        )
