"""The seats at a crisis table: member states, the organization's own offices, Control and chance.

A seat is a name (an ISO3 code or an office). Who may open which procedure is read from the
procedures' own action specifications, never from a second list. It holds no rule of the treaty.
"""

from __future__ import annotations

import re

from csto.procedures import ActionSpec

CONTROL = "control"
SECRETARIAT = "secretariat"
JOINT_STAFF = "joint_staff"
#: The organization's offices that hold a seat of their own.
OFFICES = (SECRETARIAT, JOINT_STAFF)
#: Statuses whose states sit at the table (a frozen or suspended member keeps a seat the rules restrict).
SEATED_STATUSES = ("member", "frozen", "suspended")

_QUOTED = re.compile(r"'([a-z_]+)'")
_STATE_WORDS = ("member", "state", "host", "applicant", "originat", "buyer", "buying", "supplier", "chair")


def is_state(seat: str) -> bool:
    """An ISO3 code (a state's seat), as opposed to an office or Control."""
    return len(seat) == 3 and seat.isalpha() and seat.isupper()


def may_take(spec: ActionSpec, seat: str) -> bool:
    """Whether ``seat`` is among those the spec's ``who`` names (offices quoted, states in words)."""
    offices = set(_QUOTED.findall(spec.who))
    if seat in offices:
        return True
    if is_state(seat):
        unquoted = _QUOTED.sub("", spec.who).lower()
        return any(w in unquoted for w in _STATE_WORDS)
    return False
