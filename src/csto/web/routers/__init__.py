"""The exercise room's routes, one router per area (auth, data, exercises, ledger, pages, the room's pages).

Each logged-in route declares its grant with ``deps.require``; the handlers call the engine through
``steps`` and ``state`` and re-implement no rule. ``csto.web.app.create_app`` mounts them.
"""
