"""The exercise room: a FastAPI app (JSON API + server-rendered pages) where delegations sit at the Council.

Layer: top (beside the CLI). It may import everything below it; nothing below imports it. The web maps
users to engine actors (``roles``); the engine and the rules decide what is allowed.
"""

from __future__ import annotations

from csto.web.app import create_app

__all__ = ["create_app"]
