"""The room's anchor: when an exercise ends, a signed checkpoint of the whole ledger (``csto.ledger.checkpoint``),
made once, kept in the room's settings and printed in the after-action report, so that a copy kept elsewhere
shows later whether the record was cut short or rewritten before that point.

The signing key is the file ``csto serve --checkpoint-key`` names or, without one, a key the room makes once
and keeps in its own settings (then whoever can write the database can also re-sign: the docs say so). It
signs and stores checkpoints only; it decides nothing about the exercise.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from csto.ledger.checkpoint import Checkpoint, load_private_key, parse_checkpoint, sign_head

if TYPE_CHECKING:  # pragma: no cover
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from csto.ledger.sql import SqlLedger
    from csto.web.store import Store


def room_key(store: Store, path: str | Path | None) -> Ed25519PrivateKey:
    """The room's signing key: the PEM file at ``path``, or one made once and kept in the room's settings."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    if path is not None:
        return load_private_key(Path(path))

    def make() -> str:
        key = ed25519.Ed25519PrivateKey.generate()
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii")

    loaded = serialization.load_pem_private_key(store.setting("checkpoint_key", make).encode(), password=None)
    assert isinstance(loaded, ed25519.Ed25519PrivateKey)
    key: Ed25519PrivateKey = loaded
    return key


def _setting_key(ex_id: str) -> str:
    return f"checkpoint:{ex_id}"


def stored_checkpoint(store: Store, ex_id: str) -> Checkpoint | None:
    """The checkpoint signed when exercise ``ex_id`` ended, if it has one."""
    from csto.web.store import settings_table

    with store.engine.connect() as conn:
        text = conn.execute(
            sa.select(settings_table.c.value).where(settings_table.c.key == _setting_key(ex_id))
        ).scalar()
    return None if text is None else parse_checkpoint(str(text), name=f"the room's checkpoint of {ex_id}")


def anchor_if_ended(store: Store, ledger: SqlLedger, key: Ed25519PrivateKey, room: Any) -> Checkpoint | None:
    """The exercise's end-of-exercise checkpoint: signed and stored the first time it is asked for after the
    exercise ended (None while it is open, or while the ledger's chain is broken and cannot be anchored)."""
    if not room.ended:
        return None
    found = stored_checkpoint(store, room.id)
    if found is not None:
        return found
    from csto.errors import LedgerError

    try:
        cp = sign_head(ledger, key)
    except LedgerError:
        return None  # a broken chain is not anchored; the report shows the failed check instead
    with contextlib.suppress(sa.exc.IntegrityError):  # another process anchored it first: theirs stands
        store.setting(_setting_key(room.id), cp.to_json)
    return stored_checkpoint(store, room.id)
