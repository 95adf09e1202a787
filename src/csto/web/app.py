"""``create_app``: the exercise room's FastAPI app on a ledger database, put together from its routers
(``csto.web.routers``), its error handlers, the signed session cookie, static files and templates.

Every step a person takes goes ``roles.authorize`` → ``Room.act`` → ``Session.act``: the role matrix
decides who may act as which engine actor, and the engine decides what the treaty allows. This module
holds no route and re-implements no rule.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from csto import __version__
from csto.ledger.sql import open_ledger
from csto.web import errors, inputs
from csto.web.anchor import room_key
from csto.web.headers import SecurityHeaders, docs_page
from csto.web.idempotency import IdempotencyKeys
from csto.web.render import make_templates
from csto.web.routers import auth, data, exercises, ledger, moves, pages, room_pages
from csto.web.schemas import COMMON_RESPONSES
from csto.web.state import AppState, load_data
from csto.web.store import Clock, Store, migrate, utcnow
from csto.web.throttle import HashGate, LoginThrottle

HERE = Path(__file__).parent
#: How long a login on the pages lasts (``csto serve --session-minutes``).
SESSION_TTL_S = 8 * 3600


def create_app(
    db: str,
    *,
    alliance: str = "csto",
    data_dir: str | Path | None = None,
    secret: str | None = None,
    session_ttl_s: int = SESSION_TTL_S,
    clock: Clock = utcnow,
    secure_cookies: bool = False,
    hash_slots: int = 2,
    checkpoint_key: str | Path | None = None,
) -> FastAPI:
    """The exercise room on the ledger at ``db`` (a SQLite path or a PostgreSQL URL).

    ``clock`` says what time it is for sessions, API tokens and the login throttle (tests pass a fake one and
    move it). ``secure_cookies`` marks the session cookie Secure and sends HSTS: set it when the room is
    served over TLS (``csto serve --secure-cookies``). ``hash_slots`` bounds the password hashes at once.
    ``checkpoint_key`` is the private key file that signs a checkpoint when an exercise ends (without one, a
    key the room keeps in its settings).
    """
    ds, params, scenarios = load_data(alliance, None if data_dir is None else str(data_dir))
    ledger_db = open_ledger(db)
    migrate(ledger_db.engine)
    store = Store(ledger_db.engine, clock=clock)
    key = secret or store.setting("session_secret", lambda: secrets.token_urlsafe(48))
    app = FastAPI(
        title="csto exercise room",
        version=__version__,
        description="Delegations sit at the Council; the engine holds everyone to the treaty. "
        "Authenticate with POST /api/token, then send `Authorization: Bearer <token>`.",
        responses=COMMON_RESPONSES,
        dependencies=[Depends(inputs.screen)],
        docs_url=None,  # served below: the page whose inline script the CSP allows by hash
    )
    docs_html, docs_policy = docs_page("/openapi.json", app.title + " - Swagger UI")

    async def docs(request: Request) -> Response:
        return HTMLResponse(docs_html)

    app.add_route("/docs", docs, include_in_schema=False)
    app.state.csto = AppState(
        ledger=ledger_db,
        store=store,
        ds=ds,
        params=params,
        scenarios=scenarios,
        session_ttl_s=session_ttl_s,
        clock=clock,
        throttle=LoginThrottle(clock),
        gate=HashGate(slots=hash_slots),
        signing_key=room_key(store, checkpoint_key),
    )
    app.state.templates = make_templates()
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        max_age=session_ttl_s,
        same_site="strict",
        session_cookie="csto_session",
        https_only=secure_cookies,
    )
    app.add_middleware(IdempotencyKeys, store=lambda: app.state.csto.store)
    app.add_middleware(
        SecurityHeaders,
        docs_path="/docs",
        docs_policy=docs_policy,
        tls=secure_cookies,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    errors.install(app)
    for router in (auth, data, exercises, moves, ledger, pages, room_pages):
        app.include_router(router.router)
    return app
