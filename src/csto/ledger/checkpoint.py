"""Signed checkpoints of the ledger: the anchor a hash chain needs, kept somewhere else.

A checkpoint names a ledger (the hash of its first event), a sequence number and the hash of the event at
that number, signed with Ed25519 (``cryptography``), as Certificate Transparency signs its tree heads.
``check`` holds a ledger to one. A ledger cut short, rehashed from an edited event, or with an event's
``recorded_at`` edited before the checkpoint no longer matches it. A checkpoint signed with another key, or
made for another ledger, is refused with the reason. This module signs and checks; it does not store
checkpoints (the CLI writes files, the room keeps its own) and it never writes to the ledger.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from csto.errors import InputError, LedgerError
from csto.ledger.events import canonical_at, canonical_json

if TYPE_CHECKING:  # pragma: no cover
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from csto.ledger.protocol import Ledger

FORMAT: Final = "csto-ledger-checkpoint"
FORMAT_VERSION: Final = 1
#: The signed fields, in the order a checkpoint file lists them (``signature`` comes last, unsigned).
SIGNED: Final = (
    "format",
    "format_version",
    "ledger",
    "seq",
    "head_hash",
    "signed_at",
    "key_id",
    "public_key",
)
_HEX64: Final = frozenset("0123456789abcdef")


def _crypto() -> Any:
    """``cryptography``'s Ed25519 and serialization modules (a one-line error where it is missing)."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:  # pragma: no cover - a core dependency
        raise InputError(
            "signed checkpoints need the 'cryptography' package",
            expected="pip install cryptography (a dependency of csto)",
        ) from None
    return ed25519, serialization


@dataclass(frozen=True)
class Checkpoint:
    """A signed ledger head: which ledger, how far (``seq``) and the hash there, who signed it and when."""

    ledger: str
    seq: int
    head_hash: str
    signed_at: str
    key_id: str
    public_key: str
    signature: str
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def signed_text(self) -> bytes:
        """The bytes the signature covers: the canonical JSON of every field but the signature."""
        return canonical_json({k: getattr(self, k) for k in SIGNED}).encode("utf-8")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: d[k] for k in (*SIGNED, "signature")}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"


@dataclass(frozen=True)
class CheckpointReport:
    """Whether a ledger holds to a checkpoint; ``reason`` says why not; ``pinned`` whether the key was one
    the caller trusts (``--key``) rather than only the one the checkpoint carries."""

    ok: bool
    reason: str
    seq: int
    head_hash: str
    key_id: str
    pinned: bool
    field: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# ---------------------------------------------------------------------- keys
def key_id(public_raw: bytes) -> str:
    """A key's short name: the first 16 hex digits of the SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def _public_raw(key: Ed25519PublicKey) -> bytes:
    _, serialization = _crypto()
    raw: bytes = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


def generate_key(path: Path) -> str:
    """Write a new Ed25519 private key to ``path`` (PEM, owner-only) and its public key to ``path.pub``;
    return the key id. An existing file is never overwritten."""
    ed25519, serialization = _crypto()
    pub_path = path.with_name(path.name + ".pub")
    for p in (path, pub_path):
        if p.exists():
            raise InputError("exists already: a key is never overwritten", file=p, expected="a new file path")
    key = ed25519.Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fp:
            fp.write(pem)
        pub_path.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    except OSError as exc:
        raise InputError(
            f"cannot write the key: {exc.strerror}", file=path, expected="a writable path"
        ) from None
    return key_id(_public_raw(key.public_key()))


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM file (``csto ledger keygen``)."""
    ed25519, serialization = _crypto()
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise InputError(f"cannot read the key: {exc.strerror}", file=path, expected="a key file") from None
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"not an unencrypted PEM private key ({exc})",
            file=path,
            expected="a key from `csto ledger keygen`",
        ) from None
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise InputError("not an Ed25519 key", file=path, expected="a key from `csto ledger keygen`")
    private: Ed25519PrivateKey = key
    return private


def load_public_key(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in a PEM file: a public key (``KEY.pub``), or the private key it belongs to."""
    ed25519, serialization = _crypto()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the key: {exc.strerror}", file=path, expected="a key file") from None
    if b"PRIVATE KEY" in data:
        return load_private_key(path).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"not a PEM public key ({exc})", file=path, expected="KEY.pub from `csto ledger keygen`"
        ) from None
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise InputError("not an Ed25519 key", file=path, expected="KEY.pub from `csto ledger keygen`")
    public: Ed25519PublicKey = key
    return public


# ---------------------------------------------------------------------- signing
def _first_and_at(ledger: Ledger, seq: int, intact: int) -> tuple[str | None, str | None]:
    """The hash of the ledger's first event and of the event at ``seq``, read only within the ``intact``
    events at the start of the chain (None where there is none)."""
    first = at_seq = None
    if intact < 1:
        return None, None
    for ev in ledger.read():
        if ev.seq == 1:
            first = ev.hash
        if ev.seq == seq:
            at_seq = ev.hash
        if ev.seq >= min(seq, intact):
            break
    return first, at_seq


def sign_head(ledger: Ledger, key: Ed25519PrivateKey, *, now: datetime | None = None) -> Checkpoint:
    """A checkpoint of ``ledger``'s head, signed with ``key``; the chain is verified first (a broken or empty
    ledger is not anchored)."""
    report = ledger.verify()
    if not report.ok:
        raise LedgerError(
            f"the chain is broken at seq {report.first_bad_seq} ({report.reason}): it cannot be anchored",
            expected="an intact ledger (csto ledger verify)",
        )
    if not report.count or report.head_hash is None:
        raise LedgerError("the ledger is empty: there is nothing to anchor", expected="a ledger with events")
    first, _ = _first_and_at(ledger, 1, report.count)
    assert first is not None
    public = _public_raw(key.public_key())
    unsigned = Checkpoint(
        ledger=first,
        seq=report.count,
        head_hash=report.head_hash,
        signed_at=canonical_at(now or datetime.now(UTC)),
        key_id=key_id(public),
        public_key=base64.b64encode(public).decode("ascii"),
        signature="",
    )
    signature = base64.b64encode(key.sign(unsigned.signed_text())).decode("ascii")
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


# ---------------------------------------------------------------------- reading and checking
def parse_checkpoint(text: str, *, name: str) -> Checkpoint:
    """A checkpoint file's content; a ``LedgerError`` naming the file and the field otherwise."""

    def bad(message: str, field: str | None = None) -> LedgerError:
        return LedgerError(
            message, file=name, field=field, expected="a checkpoint from `csto ledger head --sign`"
        )

    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise bad(f"not JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise bad("not a JSON object")
    if obj.get("format") != FORMAT or obj.get("format_version") != FORMAT_VERSION:
        raise bad("not a csto ledger checkpoint", "format")
    for key in (*SIGNED, "signature"):
        if key not in obj:
            raise bad("missing field", key)
    if set(obj) - {*SIGNED, "signature"}:
        raise bad("unknown field", sorted(set(obj) - {*SIGNED, "signature"})[0])
    if not isinstance(obj["seq"], int) or isinstance(obj["seq"], bool) or obj["seq"] < 1:
        raise bad("seq must be an integer >= 1", "seq")
    for key in ("ledger", "head_hash"):
        if not isinstance(obj[key], str) or len(obj[key]) != 64 or not set(obj[key]) <= _HEX64:
            raise bad("not a 64-digit hex hash", key)
    for key in ("signed_at", "key_id", "public_key", "signature"):
        if not isinstance(obj[key], str):
            raise bad("must be text", key)
    return Checkpoint(**obj)


def read_checkpoint(path: Path) -> Checkpoint:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InputError(
            f"cannot read the checkpoint: {reason}", file=path, expected="a checkpoint file"
        ) from None
    return parse_checkpoint(text, name=str(path))


def check(ledger: Ledger, cp: Checkpoint, trusted: Ed25519PublicKey | None = None) -> CheckpointReport:
    """Whether ``ledger`` holds to ``cp``: the signature (by ``trusted`` where given, else by the key the
    checkpoint carries), the ledger it names, and the chain up to ``cp.seq`` ending in ``cp.head_hash``."""
    ed25519, _ = _crypto()
    from cryptography.exceptions import InvalidSignature

    def report(ok: bool, reason: str, field: str | None = None) -> CheckpointReport:
        return CheckpointReport(ok, reason, cp.seq, cp.head_hash, cp.key_id, trusted is not None, field)

    try:
        carried_raw = base64.b64decode(cp.public_key, validate=True)
        carried = ed25519.Ed25519PublicKey.from_public_bytes(carried_raw)
        signature = base64.b64decode(cp.signature, validate=True)
    except ValueError:
        return report(
            False, "the checkpoint's public key or signature is not valid base64 Ed25519", "signature"
        )
    if key_id(carried_raw) != cp.key_id:
        return report(False, "the checkpoint's key_id does not match the key it carries", "key_id")
    if trusted is not None and _public_raw(trusted) != carried_raw:
        return report(
            False,
            f"signed with another key (key id {cp.key_id}, expected {key_id(_public_raw(trusted))})",
            "key_id",
        )
    try:
        (trusted or carried).verify(signature, cp.signed_text())
    except InvalidSignature:
        return report(
            False, "the signature does not verify: the checkpoint was altered or forged", "signature"
        )
    chain = ledger.verify()
    first, at_seq = _first_and_at(ledger, cp.seq, chain.count)
    if first is None and chain.ok:
        return report(
            False, f"the ledger is empty, but the checkpoint anchors {cp.seq} events (truncated)", "seq"
        )
    if first is not None and first != cp.ledger:
        return report(
            False,
            f"the checkpoint is for another ledger (its first event {cp.ledger[:12]}…, this ledger's "
            f"{first[:12]}…), or this one was rewritten from its first event",
            "ledger",
        )
    if not chain.ok and chain.first_bad_seq is not None and chain.first_bad_seq <= cp.seq:
        return report(
            False,
            f"the chain is broken at seq {chain.first_bad_seq}, before the checkpoint: {chain.reason}",
            "seq",
        )
    if at_seq is None:
        return report(
            False,
            f"the ledger holds {chain.count} events, but the checkpoint anchors seq {cp.seq}: events were deleted "
            "(truncated)",
            "seq",
        )
    if at_seq != cp.head_hash:
        return report(
            False,
            f"the hash of seq {cp.seq} is {at_seq[:12]}…, not the checkpoint's {cp.head_hash[:12]}…: the ledger "
            "was rewritten before the checkpoint (events edited and rehashed)",
            "head_hash",
        )
    later = "" if chain.ok else f"; after it the chain breaks at seq {chain.first_bad_seq}: {chain.reason}"
    return report(chain.ok, f"the ledger holds to the checkpoint at seq {cp.seq}{later}")
