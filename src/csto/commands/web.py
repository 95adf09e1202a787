"""``csto serve`` (the exercise room) and ``csto users add|list|remove|revoke`` (its accounts and their access).

Thin: the app is ``csto.web.create_app``; accounts live in ``csto.web.store``. Both need the web extra
(``require_extra`` first, so a missing one is one line); FastAPI, uvicorn and argon2 load inside the
commands so ``csto --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csto.commands.common import AllianceOpt, DataOpt, JsonOpt, console, print_json
from csto.extras import require_extra

DEFAULT_ROOM_DB = "csto-room.db"

RoomDbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="CSTO_ROOM_DB",
        help="The room's database: a SQLite file path, or postgresql://USER@HOST/DB "
        f"(default: $CSTO_ROOM_DB, else {DEFAULT_ROOM_DB} here).",
    ),
]

users = typer.Typer(
    name="users", help="Manage the exercise room's accounts.", no_args_is_help=True, add_completion=False
)


def _store(db: str):  # type: ignore[no-untyped-def]
    require_extra("web", "csto users")
    from csto.ledger import open_ledger
    from csto.web.store import Store, migrate

    ledger = open_ledger(db)
    migrate(ledger.engine)
    return ledger, Store(ledger.engine)


@users.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="lower-case name, e.g. kaz1")],
    role: Annotated[str, typer.Option("--role", help="control, secretary_general, delegation or observer")],
    state: Annotated[
        str | None, typer.Option("--state", help="the member state a delegation sits for (ISO3)")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            "--password", envvar="CSTO_PASSWORD", help="at least 8 characters (asked for when not given)"
        ),
    ] = None,
    db: RoomDbOpt = DEFAULT_ROOM_DB,
    alliance: AllianceOpt = "csto",
    data_dir: DataOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Add an account."""
    from csto.errors import InputError
    from csto.model import load_dataset

    if state is not None:
        state = state.upper()
        ds = load_dataset(alliance, data_dir=data_dir)
        if ds.state(state) is None:
            members = sorted(s.iso3 for s in ds.states)
            raise InputError(
                f"no state '{state}' in the {ds.info.name} data",
                field="--state",
                expected="one of: " + ", ".join(members),
            )
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    ledger, store = _store(db)
    try:
        user = store.add_user(username, password, role, state)
    finally:
        ledger.close()
    if json_out:
        print_json({"username": user.username, "role": user.role, "state": user.state})
    else:
        console().print(f"Added {user.label}")


@users.command("list")
def users_list(db: RoomDbOpt = DEFAULT_ROOM_DB, json_out: JsonOpt = False) -> None:
    """List the accounts."""
    ledger, store = _store(db)
    try:
        rows = [{"username": u.username, "role": u.role, "state": u.state} for u in store.users()]
    finally:
        ledger.close()
    if json_out:
        print_json(rows)
        return
    from rich.table import Table

    t = Table("User", "Role", "State")
    for r in rows:
        t.add_row(str(r["username"]), str(r["role"]), str(r["state"] or ""))
    console().print(t)


@users.command("remove")
def users_remove(username: str, db: RoomDbOpt = DEFAULT_ROOM_DB, json_out: JsonOpt = False) -> None:
    """Remove an account (and its API tokens). The ledger keeps what it did."""
    from csto.errors import InputError

    ledger, store = _store(db)
    try:
        ok = store.remove_user(username)
    finally:
        ledger.close()
    if not ok:
        raise InputError(f"no user '{username}'", field="username", expected="a name from `csto users list`")
    if json_out:
        print_json({"removed": username})
    else:
        console().print(f"Removed {username}")


@users.command("revoke")
def users_revoke(username: str, db: RoomDbOpt = DEFAULT_ROOM_DB, json_out: JsonOpt = False) -> None:
    """End every API token and page session of an account at once; the account stays (it may log in again)."""
    from csto.errors import InputError

    ledger, store = _store(db)
    try:
        if store.user(username) is None:
            raise InputError(
                f"no user '{username}'", field="username", expected="a name from `csto users list`"
            )
        ended = store.revoke_user(username)
    finally:
        ledger.close()
    if json_out:
        print_json({"revoked": username, **ended})
    else:
        console().print(
            f"Revoked {username}: {ended['tokens']} API token(s), {ended['sessions']} session(s) ended"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(users, name="users")

    @app.command()
    def serve(
        db: RoomDbOpt = DEFAULT_ROOM_DB,
        host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
        alliance: AllianceOpt = "csto",
        data_dir: DataOpt = None,
        session_minutes: Annotated[
            int,
            typer.Option("--session-minutes", min=1, max=525_600, help="how long a login or API token lasts"),
        ] = 480,
        secure_cookies: Annotated[
            bool,
            typer.Option(
                "--secure-cookies",
                help="mark the session cookie Secure and send HSTS: use it whenever the room is reached over "
                "HTTPS (behind a TLS proxy); browsers then never send the cookie over plain HTTP",
            ),
        ] = False,
        checkpoint_key: Annotated[
            Path | None,
            typer.Option(
                "--checkpoint-key",
                help="the private key (csto ledger keygen) that signs a checkpoint of the ledger when an exercise "
                "ends; without it the room keeps a key in its own database",
            ),
        ] = None,
    ) -> None:
        """The exercise room: a web app and REST API at http://HOST:PORT (OpenAPI at /docs)."""
        require_extra("web", "csto serve")
        import uvicorn

        from csto.web import create_app

        web = create_app(
            db,
            alliance=alliance,
            data_dir=data_dir,
            session_ttl_s=session_minutes * 60,
            secure_cookies=secure_cookies,
            checkpoint_key=checkpoint_key,
        )
        console().print(f"csto exercise room on http://{host}:{port}  (API docs at /docs)")
        if not web.state.csto.store.users():
            console().print(
                f"No accounts yet: add one with  csto users add NAME --role control --db {db}"
                "  (roles: control, secretary_general, delegation --state ISO3, observer)"
            )
        uvicorn.run(web, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
