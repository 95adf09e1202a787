"""Server-rendered pages: the Jinja templates of the app, ``render`` (every page gets the user, the CSRF
token, the role matrix and the alliance), and a form's validation errors by field. It decides nothing about
who may see a page (``deps``) or what a step does (``steps``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from csto import __version__
from csto.model.common import uncertain_class
from csto.report.events import describe
from csto.web import roles
from csto.web.deps import Unauthenticated, app_state, csrf_token, session_user
from csto.web.store import User

TEMPLATES = Path(__file__).parent / "templates"


def make_templates() -> Jinja2Templates:
    """The app's templates, with the version, the ``describe`` filter (an event in words) and the ``uncertain``
    filter (the dotted-underline class of a low-confidence or assumed value, the CLI's ``~``/``?``)."""
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["version"] = __version__
    templates.env.filters["describe"] = lambda e: describe(e.type, e.data)
    templates.env.filters["uncertain"] = lambda q: uncertain_class(
        getattr(q, "confidence", None), assumed=bool(getattr(q, "assumed", False))
    )
    return templates


def render(request: Request, name: str, user: User | None, status: int = 200, **ctx: Any) -> HTMLResponse:
    """The page ``name`` for ``user`` (None: nobody logged in) with ``ctx``."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        name,
        {
            "user": user,
            "csrf": csrf_token(request),
            "roles": roles,
            "alliance": app_state(request).ds.info,
            **ctx,
        },
        status_code=status,
    )


def maybe_user(request: Request) -> User | None:
    """The logged-in user of the session cookie, if any (error pages show who is logged in)."""
    try:
        return session_user(request)
    except Unauthenticated:
        return None


def form_errors(exc: Exception) -> dict[str, str]:
    """A form's validation error as field → message."""
    if isinstance(exc, ValidationError):
        out: dict[str, str] = {}
        for e in exc.errors():
            loc = e.get("loc", ())
            out[str(loc[-1]) if loc else "_"] = str(e.get("msg", "invalid"))
        return out
    return {"_": str(exc)}
