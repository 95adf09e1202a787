"""The exercise room's own tables (accounts, API tokens, the exercise index, settings) and their migrations.

They live in the ledger's database beside ``ledger_events`` and never hold a fact of the exercise:
the record is the ledger. ``migrate`` applies the numbered migrations not yet applied, once, in order,
each in its own transaction (serialised on PostgreSQL by an advisory lock). Times of accounts, tokens and
exercises come from the ``Store``'s clock (injected, so that tests move time instead of waiting for it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from csto.errors import InputError

_MIGRATION_LOCK = 0x637374_6F5765

meta = sa.MetaData()
migrations_table = sa.Table(
    "web_migrations",
    meta,
    sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("applied_at", sa.Text(), nullable=False),
)
settings_table = sa.Table(
    "web_settings",
    meta,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)
users_table = sa.Table(
    "web_users",
    meta,
    sa.Column("username", sa.String(32), primary_key=True),
    sa.Column("password_hash", sa.Text(), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("state", sa.String(3), nullable=True),
    sa.Column("created_at", sa.Text(), nullable=False),
)


def _secrets_table(name: str) -> sa.Table:
    """A table of a user's bearer secrets (API tokens, page sessions): only their SHA-256 digest is kept."""
    return sa.Table(
        name,
        meta,
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(32), nullable=False, index=True),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Text(), nullable=False),
    )


tokens_table = _secrets_table("web_tokens")
sessions_table = _secrets_table("web_sessions")
exercises_table = sa.Table(
    "web_exercises",
    meta,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("scenario", sa.String(64), nullable=False),
    sa.Column("created_by", sa.String(32), nullable=False),
    sa.Column("created_at", sa.Text(), nullable=False),
)


idempotency_table = sa.Table(
    "web_idempotency",
    meta,
    sa.Column("username", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),  # SHA-256 of method, path and body
    sa.Column("status", sa.Integer(), nullable=True),  # None while the first request is being applied
    sa.Column("content_type", sa.Text(), nullable=True),
    sa.Column("body", sa.Text(), nullable=True),
    sa.Column("created_at", sa.Text(), nullable=False),
)


def _m1(conn: Connection) -> None:
    for t in (settings_table, users_table, tokens_table):
        t.create(conn)


def _m2(conn: Connection) -> None:
    exercises_table.create(conn)


def _m3(conn: Connection) -> None:
    sessions_table.create(conn)


def _m4(conn: Connection) -> None:
    idempotency_table.create(conn)


#: (version, name, upgrade): append only; never edit one that has shipped.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "accounts, tokens and settings", _m1),
    (2, "exercise index", _m2),
    (3, "web sessions held on the server (revocable)", _m3),
    (4, "idempotency keys of API writes", _m4),
)

#: What time it is (UTC, timezone-aware); the app and its store take one, tests pass a fake.
Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{1,31}")
_hasher = PasswordHasher()


def now_text(clock: Clock = utcnow) -> str:
    return clock().isoformat(timespec="seconds")


def migrate(engine: Engine) -> list[int]:
    """Apply the migrations not yet applied; return the versions applied now."""
    applied: list[int] = []
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        if not sa.inspect(conn).has_table(migrations_table.name):
            migrations_table.create(conn)
        done = {int(v) for v in conn.execute(sa.select(migrations_table.c.version)).scalars()}
        for version, name, upgrade in MIGRATIONS:
            if version in done:
                continue
            upgrade(conn)
            conn.execute(migrations_table.insert().values(version=version, name=name, applied_at=now_text()))
            applied.append(version)
    return applied


def schema_version(engine: Engine) -> int:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(migrations_table.name):
            return 0
        return int(
            conn.execute(sa.select(sa.func.coalesce(sa.func.max(migrations_table.c.version), 0))).scalar_one()
        )


@dataclass(frozen=True)
class User:
    """An account: its role, and the state it sits for if it is a delegation."""

    username: str
    role: str
    state: str | None = None

    @property
    def label(self) -> str:
        if self.role == "delegation":
            return f"{self.username} (delegation of {self.state})"
        return f"{self.username} ({self.role.replace('_', '-')})"


class Store:
    """Accounts, tokens, settings and the exercise index on one SQLAlchemy engine, timed by ``clock``."""

    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.clock = clock

    # ------------------------------------------------------------------ settings
    def setting(self, key: str, make: Callable[[], str]) -> str:
        """The stored value of ``key``, made and stored the first time."""
        with self.engine.begin() as conn:
            v = conn.execute(sa.select(settings_table.c.value).where(settings_table.c.key == key)).scalar()
            if v is not None:
                return str(v)
            value = make()
            conn.execute(settings_table.insert().values(key=key, value=value))
            return value

    # ------------------------------------------------------------------ users
    def add_user(self, username: str, password: str, role: str, state: str | None) -> User:
        from csto.web.roles import ROLES

        if not USERNAME_RE.fullmatch(username):
            raise InputError(
                f"bad user name {username!r}",
                field="username",
                expected="2-32 characters: lower-case letters, digits, '_', '.', '-'",
            )
        if role not in ROLES:
            raise InputError(f"unknown role {role!r}", field="role", expected="one of: " + ", ".join(ROLES))
        if role == "delegation" and not state:
            raise InputError(
                "a delegation sits for a state", field="state", expected="an ISO3 code, e.g. KAZ"
            )
        if role != "delegation" and state:
            raise InputError(f"a {role} account sits for no state", field="state", expected="no --state")
        if len(password) < 8:
            raise InputError("password too short", field="password", expected="at least 8 characters")
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(users_table.c.username).where(users_table.c.username == username)
            ).first()
            if exists:
                raise InputError(f"user {username!r} exists", field="username", expected="a new user name")
            conn.execute(
                users_table.insert().values(
                    username=username,
                    password_hash=_hasher.hash(password),
                    role=role,
                    state=state,
                    created_at=now_text(self.clock),
                )
            )
        return User(username, role, state)

    def users(self) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users_table).order_by(users_table.c.username)).all()
        return [User(r.username, r.role, r.state) for r in rows]

    def user(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(users_table).where(users_table.c.username == username)).first()
        return None if r is None else User(r.username, r.role, r.state)

    def remove_user(self, username: str) -> bool:
        with self.engine.begin() as conn:
            for t in (tokens_table, sessions_table):
                conn.execute(t.delete().where(t.c.username == username))
            n = conn.execute(users_table.delete().where(users_table.c.username == username)).rowcount
        return bool(n)

    def revoke_user(self, username: str) -> dict[str, int]:
        """End every API token and page session of ``username`` (the account stays): the counts ended."""
        with self.engine.begin() as conn:
            return {
                kind: int(conn.execute(t.delete().where(t.c.username == username)).rowcount or 0)
                for kind, t in (("tokens", tokens_table), ("sessions", sessions_table))
            }

    def check_password(self, username: str, password: str) -> User | None:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(users_table).where(users_table.c.username == username)).first()
        if r is None:
            # Spend the same time as a real check, so that names cannot be probed by timing.
            with contextlib.suppress(VerificationError, InvalidHashError):
                _hasher.verify(_dummy_hash(), password)
            return None
        try:
            _hasher.verify(r.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(r.username, r.role, r.state)

    # ------------------------------------------------------------------ tokens and sessions
    def issue_token(self, username: str, ttl: dt.timedelta) -> tuple[str, dt.datetime]:
        """A new API token of ``username`` lasting ``ttl`` on the store's clock (only its digest is kept)."""
        return self._issue(tokens_table, username, ttl)

    def token_user(self, token: str) -> User | None:
        """The user of an API token, or None if it is unknown, revoked or expired."""
        return self._holder(tokens_table, token)

    def revoke_token(self, token: str) -> bool:
        """End one API token (``POST /api/logout``); False if it was not there."""
        return self._end(tokens_table, token)

    def start_session(self, username: str, ttl: dt.timedelta) -> str:
        """A new page session of ``username``: its id goes into the signed cookie, its digest stays here."""
        return self._issue(sessions_table, username, ttl)[0]

    def session_user(self, sid: str) -> User | None:
        """The user of a page session, or None if it was ended, revoked or has expired."""
        return self._holder(sessions_table, sid)

    def end_session(self, sid: str) -> bool:
        """End one page session (the logout form): a copy of its cookie no longer logs anyone in."""
        return self._end(sessions_table, sid)

    def _issue(self, table: sa.Table, username: str, ttl: dt.timedelta) -> tuple[str, dt.datetime]:
        secret = secrets.token_urlsafe(32)
        expires = self.clock() + ttl
        with self.engine.begin() as conn:
            conn.execute(
                table.delete().where(table.c.username == username, table.c.expires_at < now_text(self.clock))
            )
            conn.execute(
                table.insert().values(
                    token_hash=_digest(secret),
                    username=username,
                    created_at=now_text(self.clock),
                    expires_at=expires.isoformat(timespec="seconds"),
                )
            )
        return secret, expires

    def _holder(self, table: sa.Table, secret: str) -> User | None:
        with self.engine.connect() as conn:
            r = conn.execute(
                sa.select(table.c.expires_at, users_table)
                .join(users_table, users_table.c.username == table.c.username)
                .where(table.c.token_hash == _digest(secret))
            ).first()
        if r is None or dt.datetime.fromisoformat(r.expires_at) <= self.clock():
            return None
        return User(r.username, r.role, r.state)

    def _end(self, table: sa.Table, secret: str) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(table.delete().where(table.c.token_hash == _digest(secret))).rowcount)

    # ------------------------------------------------------------------ exercises
    def add_exercise(self, ex_id: str, title: str, scenario: str, created_by: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                exercises_table.insert().values(
                    id=ex_id,
                    title=title,
                    scenario=scenario,
                    created_by=created_by,
                    created_at=now_text(self.clock),
                )
            )

    def exercises(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(exercises_table).order_by(exercises_table.c.created_at.desc())
            ).all()
        return [dict(r._mapping) for r in rows]

    def exercise(self, ex_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(exercises_table).where(exercises_table.c.id == ex_id)).first()
        return None if r is None else dict(r._mapping)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password of anyone's")
