"""``Idempotency-Key`` on the API's writes: a retried request with the same key is applied once.

A client may send ``Idempotency-Key: <1-128 of A-Z a-z 0-9 _ . : ->`` with any ``POST /api/...``. The first
request with a key claims it (per user) and runs. A 2xx answer is kept for ``KEEP`` and replayed to every
retry with the same key (``Idempotent-Replayed: true``). Another answer frees the key, because nothing was
applied. A retry while the first still runs gets 409. The same key sent with a different request (method,
path or body) gets 422, and so does a malformed key. A claim left by a process that died mid-request lapses
after ``STALE``. The request may have been applied then, and the ledger, not the key, says whether it was.
This module decides only whether a request runs again; the routes decide what it does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from csto.web.store import Store, idempotency_table, now_text

HEADER: Final = "idempotency-key"
KEY_RE: Final = re.compile(r"[A-Za-z0-9_.:-]{1,128}")
#: How long a kept answer is replayed, and after how long an unfinished claim lapses.
KEEP: Final = dt.timedelta(hours=24)
STALE: Final = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Claim:
    """What a key's first look says: ``new`` (run it), ``done`` (replay the kept answer), ``busy`` (the first
    request still runs) or ``mismatch`` (the key was used for another request)."""

    state: str
    status: int = 0
    content_type: str = "application/json"
    body: str = ""


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def claim(store: Store, username: str, key: str, fp: str) -> Claim:
    """Claim ``key`` for ``username``'s request ``fp``, or say why it must not run (see ``Claim``)."""
    t = idempotency_table
    now = store.clock()
    where = sa.and_(t.c.username == username, t.c.key == key)
    with store.engine.begin() as conn:
        conn.execute(t.delete().where(t.c.created_at < (now - KEEP).isoformat(timespec="seconds")))
        row = conn.execute(sa.select(t).where(where)).first()
        if row is not None and row.status is None and dt.datetime.fromisoformat(row.created_at) < now - STALE:
            conn.execute(t.delete().where(where))  # a claim its process never finished
            row = None
    if row is None:
        try:
            with store.engine.begin() as conn:
                conn.execute(
                    t.insert().values(
                        username=username, key=key, fingerprint=fp, created_at=now_text(store.clock)
                    )
                )
        except sa.exc.IntegrityError:  # another request claimed it a moment ago
            return Claim("busy")
        return Claim("new")
    if row.fingerprint != fp:
        return Claim("mismatch")
    if row.status is None:
        return Claim("busy")
    return Claim("done", int(row.status), str(row.content_type or "application/json"), str(row.body or ""))


def finish(store: Store, username: str, key: str, status: int, content_type: str, body: bytes) -> None:
    """Keep a 2xx answer for replay; free the key after any other answer (nothing was applied)."""
    t = idempotency_table
    where = sa.and_(t.c.username == username, t.c.key == key)
    with store.engine.begin() as conn:
        if 200 <= status < 300:
            conn.execute(
                t.update()
                .where(where)
                .values(status=status, content_type=content_type, body=body.decode("utf-8", "replace"))
            )
        else:
            conn.execute(t.delete().where(where))


def _error(status: int, error: str, detail: object) -> tuple[int, bytes]:
    return status, json.dumps({"error": error, "detail": detail}).encode()


class IdempotencyKeys:
    """ASGI middleware: ``Idempotency-Key`` on ``POST /api/...`` (see the module's docstring)."""

    def __init__(self, app: ASGIApp, *, store: Callable[[], Store]) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not str(scope["path"]).startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        key = headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not KEY_RE.fullmatch(key):
            loc = {
                "loc": ["header", "Idempotency-Key"],
                "msg": "1 to 128 characters: letters, digits, '_', '.', ':' or '-'",
                "type": "value_error",
            }
            await _send(send, *_error(422, "invalid", [loc]))
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        store = self.store()
        scheme, _, token = headers.get("authorization", "").partition(" ")
        user = (
            await run_in_threadpool(store.token_user, token.strip()) if scheme.lower() == "bearer" else None
        )
        if user is None:  # the route answers 401; there is nobody to keep a key for
            await self.app(scope, replay, send)
            return
        fp = fingerprint(scope["method"], str(scope["path"]), body)
        found = await run_in_threadpool(claim, store, user.username, key, fp)
        if found.state == "mismatch":
            msg = "this Idempotency-Key was used for another request (method, path or body)"
            await _send(send, *_error(422, "invalid", [{"loc": ["header", "Idempotency-Key"], "msg": msg}]))
            return
        if found.state == "busy":
            await _send(
                send, *_error(409, "conflict", "a request with this Idempotency-Key is still running")
            )
            return
        if found.state == "done":
            await _send(send, found.status, found.body.encode(), found.content_type, replayed=True)
            return
        status, content_type, out = 500, "application/json", b""

        async def keep(message: Message) -> None:
            nonlocal status, content_type, out
            if message["type"] == "http.response.start":
                status = int(message["status"])
                for k, v in message.get("headers", []):
                    if k.lower() == b"content-type":
                        content_type = v.decode("latin-1")
            elif message["type"] == "http.response.body":
                out += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay, keep)
        finally:
            await run_in_threadpool(finish, store, user.username, key, status, content_type, out)


async def _send(
    send: Send, status: int, body: bytes, content_type: str = "application/json", *, replayed: bool = False
) -> None:
    headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode()),
    ]
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
