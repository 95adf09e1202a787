"""Which steps a seat may take on an engine now, for any procedure: the moves of the open cases that
pass their procedure's sequence check, and the procedures the seat may open (with a fresh case id).

Read from the procedures' own ``legal_actions`` and action specifications; the treaty's rules may
still refuse a step offered here (citing the article). Used by the crisis game and by ``csto play``.
"""

from __future__ import annotations

from dataclasses import dataclass

from csto.game.seats import SECRETARIAT, may_take
from csto.procedures import Engine, Procedure, starters

#: Steps the game or the room takes itself, never offered to a seat.
SYSTEM_STEPS = frozenset({"open_exercise", "expect", "plan_arrivals", "note_refusal", "advance_clock"})
#: Openers the crisis sequence uses on its own case (and a deployment follows a tasking): a crisis game
#: does not offer them as new cases of their own.
CRISIS_OPENERS = frozenset({"request_assistance", "request_consultation", "order_deployment"})
#: Council steps offered only to the case's convener and the Secretariat (who may also propose).
CONVENER_STEPS = frozenset({"convene", "close", "conclude"})


@dataclass(frozen=True)
class Legal:
    """One legal step: ``kind`` on ``case`` (a new case when ``opens``)."""

    kind: str
    case: str
    opens: bool = False

    @property
    def key(self) -> str:
        return f"{self.kind}@{self.case}"


def chair_or_secretariat(engine: Engine) -> str:
    """Who convenes a council case when no crisis sequence says otherwise: the chair, if a member."""
    world = engine.world
    chair = world.chair(world.situation().top_council())
    return chair if chair and world.statuses.get(chair) == "member" else SECRETARIAT


def legal_steps(
    engine: Engine, seat: str, convener: str | None = None, reserved: frozenset[str] = frozenset()
) -> list[Legal]:
    """The steps ``seat`` may take now, open cases first (sorted by case), then new cases it may open
    (except the ``reserved`` openers, which a crisis game offers on its own case)."""
    convener = convener or chair_or_secretariat(engine)
    out: list[Legal] = []
    for case, proc in sorted(engine.cases.items()):
        if proc.is_terminal:
            continue
        for kind in proc.legal_actions(seat):
            if kind in SYSTEM_STEPS or (kind in proc.starts and proc.step != "new"):
                continue
            leads = hasattr(proc, "ballot") and seat in (convener, SECRETARIAT)
            if kind in CONVENER_STEPS and hasattr(proc, "ballot"):
                if not leads:
                    continue
            elif not (may_take(proc.specs[kind], seat) or (kind == "propose" and leads)):
                continue
            out.append(Legal(kind, case))
    for kind, cls in sorted(starters().items()):
        if kind in SYSTEM_STEPS or kind in reserved or cls.kind == "floor":
            continue
        if may_take(cls.specs[kind], seat):
            out.append(Legal(kind, new_case_id(engine, cls), opens=True))
    return out


def new_case_id(engine: Engine, cls: type[Procedure]) -> str:
    n = sum(1 for p in engine.cases.values() if p.kind == cls.kind) + 1
    while f"{cls.kind}-{n}" in engine.cases:
        n += 1
    return f"{cls.kind}-{n}"
