"""Events in words: one line per event for the play transcript, the ledger browser and reports.

Each event class tells itself (``csto.events.describe``); this name is where the reports and the CLI
import it from.
"""

from __future__ import annotations

from csto.events import describe

__all__ = ["describe"]
