"""One error policy for the whole app: JSON ``{"error", "detail"}`` on the API, an error page (or a redirect to
the login) on the pages, and no traceback ever reaches a client (an unhandled error is logged here).
``install`` registers the handlers on an app; routes raise, they never format errors themselves.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from csto.web import roles
from csto.web.deps import Unauthenticated
from csto.web.render import maybe_user, render
from csto.web.state import NotFound
from csto.web.throttle import Busy, TooManyAttempts

log = logging.getLogger("csto.web")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/openapi.json",)


async def _unauth(request: Request, exc: Unauthenticated) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"error": "unauthenticated", "detail": str(exc)},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": "/login"})
    return RedirectResponse("/login?next=" + request.url.path, status_code=303)


async def _forbidden(request: Request, exc: roles.Forbidden) -> Response:
    if wants_json(request):
        return JSONResponse({"error": "forbidden", "detail": exc.reason}, status_code=403)
    return render(
        request, "error.html", maybe_user(request), status=403, title="Not allowed", message=exc.reason
    )


async def _not_found(request: Request, exc: NotFound) -> Response:
    if wants_json(request):
        return JSONResponse({"error": "not_found", "detail": exc.message}, status_code=404)
    return render(
        request, "error.html", maybe_user(request), status=404, title="Not found", message=exc.message
    )


async def _throttled(request: Request, exc: TooManyAttempts | Busy) -> Response:
    status, kind = (429, "too_many_attempts") if isinstance(exc, TooManyAttempts) else (503, "busy")
    headers = {"Retry-After": str(exc.retry_after_s)}
    if wants_json(request):
        return JSONResponse({"error": kind, "detail": str(exc)}, status_code=status, headers=headers)
    page = render(request, "error.html", None, status=status, title="Try again later", message=str(exc))
    page.headers.update(headers)
    return page


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    if wants_json(request):
        return JSONResponse({"error": "invalid", "detail": errors}, status_code=422)
    msg = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in errors)
    return render(request, "error.html", maybe_user(request), status=422, title="Bad input", message=msg)


async def _http(request: Request, exc: StarletteHTTPException) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"error": "http", "detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )
    return render(
        request,
        "error.html",
        maybe_user(request),
        status=exc.status_code,
        title=f"Error {exc.status_code}",
        message=str(exc.detail),
    )


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    if wants_json(request):
        return JSONResponse(
            {"error": "internal", "detail": "internal error (logged on the server)"}, status_code=500
        )
    return render(
        request,
        "error.html",
        None,
        status=500,
        title="Internal error",
        message="Something went wrong; it was logged on the server.",
    )


def install(app: FastAPI) -> None:
    """Register the error handlers on ``app``."""
    app.add_exception_handler(Unauthenticated, _unauth)  # type: ignore[arg-type]
    app.add_exception_handler(roles.Forbidden, _forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(TooManyAttempts, _throttled)  # type: ignore[arg-type]
    app.add_exception_handler(Busy, _throttled)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _crash)
