"""Command modules of the ``csto`` CLI, one per area; each registers its commands on the app.

Commands parse arguments, call the layers below and render text or JSON. They hold no domain
logic, and import heavy libraries (Matplotlib, SQLAlchemy) only inside the command functions; a command
that needs an optional extra checks for it first (``csto.extras.require_extra``). The root loads a module
only when one of its commands runs (``lazy.COMMANDS`` names which module registers which command).
"""
