"""Command modules of the ``csto`` CLI, one per area; each registers its commands on the app.

Commands parse arguments, call the layers below and render text or JSON. They hold no domain
logic, and import heavy libraries (Matplotlib, SQLAlchemy) only inside the command functions.
"""
