"""Event records (``Event`` to append, ``StoredEvent`` as recorded) and the canonical hashing rules.

Holds the one definition of the canonical JSON and of the chain hash, so every backend, the importer
and the verifier agree byte for byte; ``body()`` reads an event's data through its class
(``csto.events``). It must not touch a database or import anything above ``csto.events``; changing the
hash input breaks every existing ledger.

Two hash inputs exist. Every event written now is hashed with its ``recorded_at`` (all nine stored fields
but the hash itself); ledgers written before that hash the other eight (``legacy_hash``). A chain may start
with legacy events and go on with full ones, never the other way round (``csto.ledger.chain``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any, Final

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, field_validator

from csto.events import EventBody, parse

__all__ = [
    "GENESIS_HASH",
    "JSON",
    "Event",
    "StoredEvent",
    "canonical_at",
    "canonical_json",
    "hash_fields",
    "record_hash",
]

JSON = JsonValue
"""A JSON value: ``None``, ``bool``, ``int``, finite ``float``, ``str``, lists and string-keyed dicts."""

GENESIS_HASH: Final = "0" * 64
"""The ``prev_hash`` of the first event (seq 1)."""

STREAM_MAX_LEN: Final = 200
_TYPE_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,99}")
_HASH_RE: Final = re.compile(r"[0-9a-f]{64}")
#: Unicode categories Cc (control characters: U+0000-001F, U+007F-009F) and Cs (surrogates), exactly.
_CONTROL_RE: Final = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: What ``canonical_at`` writes: UTC, microseconds, ``+00:00`` (fixed width).
CANONICAL_AT_RE: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")
#: The canonical data text of the last ``data`` validated in this thread, picked up by ``model_post_init``.
_LAST_DATA = threading.local()


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value``: sorted keys, no whitespace, non-ASCII kept as is.

    Raises ``ValueError`` for anything that is not plain JSON (NaN or infinite floats, non-string
    keys, objects of other types, strings that cannot be encoded as UTF-8).
    """
    _check_plain(value)
    try:
        text = encode_checked(value)
        text.encode("utf-8")
    except (TypeError, ValueError, RecursionError) as exc:  # UnicodeEncodeError is a ValueError
        raise ValueError(f"not plain JSON: {exc}") from None
    return text


_ENCODER: Final = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, check_circular=False
)
_C_ENCODE: Final = getattr(json.encoder, "c_make_encoder", None)
_encode_c: Any = (
    _C_ENCODE(None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, False)
    if _C_ENCODE is not None
    else None
)


def encode_checked(value: Any) -> str:
    """The canonical JSON text of a value already known to be plain JSON (no cycles, no NaN, string keys):
    ``canonical_json`` without its checks, through one encoder made once (``json.dumps`` makes one per call)."""
    if _encode_c is not None and isinstance(value, (dict, list)):
        return "".join(_encode_c(value, 0))
    return _ENCODER.encode(value)


def canonical_at(at: datetime) -> str:
    """The canonical ISO 8601 text of a timestamp: UTC, microseconds, ``+00:00`` (fixed width, sortable)."""
    if at.tzinfo is not UTC:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("timestamp must be timezone-aware (UTC)")
        at = at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")


def record_hash(
    *,
    seq: int,
    stream: str,
    version: int,
    type: str,
    at: str,
    data_json: str,
    prev_hash: str,
    recorded_at: str | None = None,
) -> str:
    """SHA-256 (hex) of the canonical JSON object ``{at, data, prev_hash, recorded_at, seq, stream, type,
    version}``; without ``recorded_at``, the legacy hash of the same object without that key.

    ``at`` and ``recorded_at`` are canonical ISO text (see ``canonical_at``) and ``data_json`` the canonical
    JSON text of the event's data. The result equals ``sha256(canonical_json({...}).encode("utf-8"))`` with
    ``data`` parsed back; the object is assembled from parts (keys already in sorted order) so the data is
    not serialised twice.
    """
    return hash_fields(seq, stream, version, type, at, data_json, prev_hash, recorded_at)


def hash_fields(
    seq: int,
    stream: str,
    version: int,
    type: str,
    at: str,
    data_json: str,
    prev_hash: str,
    recorded_at: str | None = None,
) -> str:
    """``record_hash`` with positional arguments (the verifier and reader call it once per row)."""

    # encode_basestring is what json.dumps(v, ensure_ascii=False) does for a str, without building an encoder.
    try:
        s = encode_basestring
        rec = "" if recorded_at is None else f'"recorded_at":{s(recorded_at)},'
        text = (
            f'{{"at":{s(at)},"data":{data_json},"prev_hash":{s(prev_hash)},{rec}"seq":{int(seq)},'
            f'"stream":{s(stream)},"type":{s(type)},"version":{int(version)}}}'
        )
    except TypeError:  # a value that is not a str (a tampered row): hashed as json.dumps writes it
        d = json.dumps
        rec = "" if recorded_at is None else f'"recorded_at":{d(recorded_at, ensure_ascii=False)},'
        text = (
            f'{{"at":{d(at, ensure_ascii=False)},"data":{data_json},"prev_hash":{d(prev_hash, ensure_ascii=False)},'
            f'{rec}"seq":{int(seq)},"stream":{d(stream, ensure_ascii=False)},"type":{d(type, ensure_ascii=False)},'
            f'"version":{int(version)}}}'
        )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_text(value: str, what: str) -> str:
    if _CONTROL_RE.search(value):
        raise ValueError(f"{what} must not contain control characters or lone surrogates")
    return value


class Event(BaseModel):
    """Something that happened in the modelled world, ready to append to a stream.

    ``stream`` names what it belongs to (``"accession/SRB-1"``), ``type`` is past tense
    (``"VoteCast"``), ``at`` is when it happened (timezone-aware; kept in UTC) and ``data`` is plain
    JSON. Frozen: treat ``data`` as read-only too.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    stream: str
    type: str
    at: AwareDatetime
    data: dict[str, JsonValue] = Field(default_factory=dict)

    @field_validator("stream")
    @classmethod
    def _stream_ok(cls, v: str) -> str:
        if not v or v != v.strip() or len(v) > STREAM_MAX_LEN:
            raise ValueError(
                f"stream must be 1-{STREAM_MAX_LEN} characters without leading or trailing whitespace"
            )
        return _check_text(v, "stream")

    @field_validator("type")
    @classmethod
    def _type_ok(cls, v: str) -> str:
        if not _TYPE_RE.fullmatch(v):
            raise ValueError(
                "type must start with a letter and use letters, digits, '_', '.', ':' or '-' "
                "(at most 100 characters), e.g. 'VoteCast'"
            )
        return v

    @field_validator("at")
    @classmethod
    def _at_utc(cls, v: datetime) -> datetime:
        return v.astimezone(UTC)

    @field_validator("data")
    @classmethod
    def _data_is_plain_json(cls, v: dict[str, JsonValue]) -> dict[str, JsonValue]:
        _LAST_DATA.value = (v, canonical_json(v))
        return v

    def model_post_init(self, context: Any, /) -> None:
        # Keep the canonical text the validator just made, so appending does not serialise the data again.
        last = getattr(_LAST_DATA, "value", None)
        _LAST_DATA.value = None
        if last is not None and last[0] is self.data:
            self.__dict__[_DATA_JSON] = last

    def data_json(self) -> str:
        """The canonical JSON text of ``data`` (``canonical_json``), made once per event and kept.

        Kept beside the object it was made from, so a copy with other data (``model_copy(update=...)``)
        makes its own; ``data`` must not be changed in place (the event is frozen: treat it as read-only).
        """
        kept = self.__dict__.get(_DATA_JSON)
        if kept is not None and kept[0] is self.data:
            return str(kept[1])
        text = canonical_json(self.data)
        self.__dict__[_DATA_JSON] = (self.data, text)
        return text

    def body(self) -> EventBody:
        """The data read through its event class (``UnknownEventType`` or ``EventDataError`` if it cannot be)."""
        return parse(self.type, self.data)


_DATA_JSON: Final = "_csto_data_json"  # not a field: pydantic's equality and dumps ignore it


def _check_plain(value: Any, depth: int = 0) -> None:
    """Refuse anything json.dumps would quietly convert: tuples, non-string keys, NaN, other objects."""
    if depth > 200:
        raise ValueError("not plain JSON: nested too deeply")
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not plain JSON: NaN and infinite numbers have no JSON form")
        return
    if isinstance(value, list):
        for item in value:
            _check_plain(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"not plain JSON: object key {key!r} is not a string")
            _check_plain(item, depth + 1)
        return
    raise ValueError(f"not plain JSON: {type(value).__name__} is not a JSON type")


class StoredEvent(Event):
    """An ``Event`` as recorded: its global ``seq``, its ``version`` in its stream, when it was recorded,
    and its place in the hash chain (``prev_hash`` → ``hash``). The hash covers ``recorded_at`` too, except in
    events written before it did (see ``expected_hash``)."""

    seq: int = Field(ge=1)
    version: int = Field(ge=1)
    recorded_at: AwareDatetime
    prev_hash: str
    hash: str

    @field_validator("prev_hash", "hash")
    @classmethod
    def _hex64(cls, v: str) -> str:
        if not _HASH_RE.fullmatch(v):
            raise ValueError("expected 64 lowercase hex digits (SHA-256)")
        return v

    @field_validator("recorded_at")
    @classmethod
    def _recorded_utc(cls, v: datetime) -> datetime:
        return v.astimezone(UTC)

    @classmethod
    def trusted(
        cls,
        seq: int,
        stream: str,
        version: int,
        type: str,
        at: datetime,
        data: dict[str, JsonValue],
        data_json: str,
        recorded_at: datetime,
        prev_hash: str,
        hash: str,
        /,
    ) -> StoredEvent:
        """A record built without validation, for values already checked: the writer's own (from a
        validated ``Event``), or a stored row whose hash was just recomputed and holds (what its writer
        checked). ``data_json`` is ``data``'s canonical text. Anything else goes through the constructor."""
        # What ``model_construct`` sets, without its per-field loop (it is most of a replay's time otherwise).
        ev = cls.__new__(cls)
        _setattr(
            ev,
            "__dict__",
            {
                "stream": stream,
                "type": type,
                "at": at,
                "data": data,
                "seq": seq,
                "version": version,
                "recorded_at": recorded_at,
                "prev_hash": prev_hash,
                "hash": hash,
                _DATA_JSON: (data, data_json),
            },
        )
        _setattr(ev, "__pydantic_fields_set__", _FIELDS)  # shared: pydantic copies it before changing it
        _setattr(ev, "__pydantic_extra__", None)
        _setattr(ev, "__pydantic_private__", None)
        return ev

    def to_event(self) -> Event:
        """The plain ``Event`` (stream, type, at, data), e.g. to append it to another ledger."""
        return Event(stream=self.stream, type=self.type, at=self.at, data=self.data)

    def expected_hash(self, *, legacy: bool | None = None) -> str:
        """The hash recomputed from this record's content (equals ``hash`` for an intact record): the full
        hash (``recorded_at`` included), or the legacy one with ``legacy=True``; by default whichever
        matches the stored hash, else the full one."""
        fields = (
            self.seq,
            self.stream,
            self.version,
            self.type,
            canonical_at(self.at),
            self.data_json(),
            self.prev_hash,
        )
        full = hash_fields(*fields, canonical_at(self.recorded_at))
        if legacy is None and full != self.hash and hash_fields(*fields) == self.hash:
            return self.hash
        return hash_fields(*fields) if legacy else full

    def to_record(self) -> dict[str, JsonValue]:
        """A plain JSON dict of every field, timestamps as canonical ISO text (the export line format)."""
        return {
            "seq": self.seq,
            "stream": self.stream,
            "version": self.version,
            "type": self.type,
            "at": canonical_at(self.at),
            "data": self.data,
            "recorded_at": canonical_at(self.recorded_at),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


_FIELDS: Final = set(StoredEvent.model_fields)  # every field is set on a trusted record
_setattr: Final = object.__setattr__
