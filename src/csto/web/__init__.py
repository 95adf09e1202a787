"""The exercise room: a FastAPI app (JSON API + server-rendered pages) where delegations sit at the Council.

Layer: top (beside the CLI). It may import everything below it; nothing below imports it. The web maps
users to engine actors (``roles``); the engine and the rules decide what is allowed. It needs the web
extra: without it, importing any of ``csto.web`` raises one ``MissingExtra`` naming it.
"""

from __future__ import annotations

from csto.extras import require_extra

require_extra("web", "csto.web (the exercise room)")

from csto.web.app import create_app  # noqa: E402 (after the extra's check)

__all__ = ["create_app"]
