"""The security headers every response of the room carries: a Content-Security-Policy that allows scripts,
styles and images from the app itself only (no inline script, no framing), ``X-Frame-Options: DENY``,
``X-Content-Type-Options: nosniff``, ``Referrer-Policy`` and, behind TLS (``--secure-cookies``), HSTS.

FastAPI's own ``/docs`` page is the one exception the policy names: it loads Swagger UI from its CDN and
starts it with one inline script, allowed by that script's hash (never ``'unsafe-inline'``). This module
sets headers only; it decides nothing about who may see what.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The policy of every page: the app's own scripts, styles and images (PNG figures come inline as data:).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SWAGGER_CDN = "https://cdn.jsdelivr.net"
FIXED: list[tuple[bytes, bytes]] = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000")


def docs_page(openapi_url: str, title: str) -> tuple[bytes, str]:
    """FastAPI's Swagger UI page for ``/docs`` and its policy: Swagger UI from its CDN, and the page's one
    inline script allowed by its hash (the app serves exactly this page, so the hash always matches)."""
    body = bytes(get_swagger_ui_html(openapi_url=openapi_url, title=title).body)
    html = body.decode()
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    ]
    return body, (
        f"default-src 'self'; script-src 'self' {SWAGGER_CDN} {' '.join(hashes)}; style-src 'self' {SWAGGER_CDN}; "
        "img-src 'self' data: https://fastapi.tiangolo.com; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )


class SecurityHeaders:
    """ASGI middleware adding the headers to every HTTP response (pages, API, static files and errors)."""

    def __init__(self, app: ASGIApp, *, docs_path: str, docs_policy: str, tls: bool = False) -> None:
        self.app = app
        self.docs_path = docs_path
        self.extra = [*FIXED, HSTS] if tls else list(FIXED)
        self.page_csp = CSP.encode()
        self.docs_csp = docs_policy.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = self.docs_csp if scope.get("path") == self.docs_path else self.page_csp

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                added = [
                    (k, v) for k, v in [(b"content-security-policy", csp), *self.extra] if k not in names
                ]
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)
