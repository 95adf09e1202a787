"""Headers and cookies (issue 20, part 5): every response (pages, API, static files, errors, redirects) carries
the CSP, ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy``; no page has an
inline script, event-handler attribute or style attribute the CSP would block; ``/docs`` allows only its own
inline script by hash; ``--secure-cookies`` marks the cookie Secure (and sends HSTS), and without it there is
neither."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from csto.web.headers import CSP
from tests.web.conftest import Api, make_app
from tests.web.test_pages import csrf, login

HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER_ATTR = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def _has_headers(r: object, csp: str = CSP) -> None:
    headers = r.headers  # type: ignore[attr-defined]
    for name, value in {**HEADERS, "content-security-policy": csp}.items():
        assert headers.get(name) == value, (r, name, headers.get(name))  # type: ignore[attr-defined]


def test_every_kind_of_response_carries_the_security_headers(api: Api) -> None:
    c = api.client
    ex = api.create()
    anonymous = [
        ("GET", "/login"),
        ("GET", "/"),  # a redirect to the login
        ("GET", "/api/health"),
        ("GET", "/api/me"),  # a 401
        ("GET", "/static/app.css"),
        ("GET", "/static/app.js"),
        ("GET", "/static/nothing-here.js"),  # a 404
        ("GET", "/openapi.json"),
        ("POST", "/api/token"),  # a 422
    ]
    for method, path in anonymous:
        _has_headers(c.request(method, path, follow_redirects=False))
    for path in ("/api/exercises", f"/api/exercises/{ex}", "/api/ledger", "/api/exercises/nope"):
        _has_headers(api.get("obs", path))
    login(c, "ctl")
    for path in (
        "/",
        "/exercises",
        "/scenarios",
        "/ledger",
        f"/exercises/{ex}",
        f"/exercises/{ex}/aar",
        "/nope",
    ):
        r = c.get(path)
        _has_headers(r)
        if r.headers["content-type"].startswith("text/html"):
            assert not INLINE_SCRIPT.search(r.text), (path, INLINE_SCRIPT.search(r.text))
            assert not HANDLER_ATTR.search(r.text), (path, HANDLER_ATTR.search(r.text))
            assert not STYLE_ATTR.search(r.text), (path, STYLE_ATTR.search(r.text))


def test_the_csp_forbids_inline_script_and_framing() -> None:
    parts = {p.split()[0]: p.split()[1:] for p in CSP.split("; ")}
    assert parts["script-src"] == ["'self'"] and parts["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in " ".join(parts["script-src"]) and "'unsafe-eval'" not in CSP


def test_the_api_docs_page_allows_only_its_own_inline_script(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    for script in re.findall(r"<script>(.*?)</script>", r.text, flags=re.S):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("secure", [False, True])
def test_secure_cookies_mark_the_session_cookie_secure(web_db: str, secure: bool) -> None:
    app = make_app(web_db, secure_cookies=secure)
    base = "https://testserver" if secure else "http://testserver"
    with TestClient(app, base_url=base) as c:
        r = c.post(
            "/login",
            data={"username": "ctl", "password": "correct-horse-1", "csrf_token": csrf(c)},
            follow_redirects=False,
        )
        assert r.status_code == 303
        cookie = r.headers["set-cookie"].lower()
        assert ("; secure" in cookie) is secure, cookie
        assert "samesite=strict" in cookie and "httponly" in cookie
        assert ("strict-transport-security" in r.headers) is secure
