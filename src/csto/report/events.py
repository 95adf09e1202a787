"""Events in words: one line per event for the play transcript, the ledger browser and reports.

A thin call into the event registry (``csto.events``), where each event class tells itself
(``describe``). Data that no class reads (an unknown type, or fields that do not fit) is told the
generic way, ``Type (field=value, ...)``, so a display never fails on an odd record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csto.errors import InputError
from csto.events import parse
from csto.events.base import EventBody, generic_line


def describe(type_: str, data: Mapping[str, Any]) -> str:
    """A short sentence for an event."""
    try:
        body = parse(type_, data)
    except InputError:
        return generic_line(type_, data)
    if type(body).describe is EventBody.describe:
        # Told the generic way: list the fields in the order they came (as written, or as stored).
        return generic_line(type_, data)
    return body.describe()
