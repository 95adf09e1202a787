"""The procedure interface: actions, events, action specifications and the ``Procedure`` base class.

A procedure is a state machine over one case (one stream of events). ``decide`` checks an action
against the rules and returns events without changing anything; ``evolve`` folds an event into the
state. ``apply`` is both, so that state is always what the events say (and replay is exact).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from csto.rules import Refused, RefusedError

if TYPE_CHECKING:
    from csto.procedures.world import World


@dataclass(frozen=True)
class Action:
    """A step someone takes: what (``kind``), who (``actor``), when, in which case, with what parameters."""

    kind: str
    actor: str
    at: dt.datetime
    case: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened (past tense), time-stamped, in one procedure's stream."""

    type: str
    at: dt.datetime
    stream: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Param:
    """One parameter of an action: its type, whether it is required, allowed values, and help."""

    #: "str", "int", "float", "bool", "date", "list[str]", "dict[str,int]", "state", "states" or "json"
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    default: Any = None


@dataclass(frozen=True)
class ActionSpec:
    """What an action takes and who may take it (for scripts, the web, and ``legal_actions``)."""

    kind: str
    who: str
    help: str
    params: Mapping[str, Param] = field(default_factory=dict)


def check_params(spec: ActionSpec, params: Mapping[str, Any]) -> None:
    """Refuse malformed parameters (whatever the channel: script, web or simulation) with the field named."""
    from csto.errors import InputError

    for name in params:
        if name not in spec.params:
            raise InputError(
                f"'{spec.kind}' takes no parameter '{name}'",
                field=name,
                expected="one of: " + (", ".join(sorted(spec.params)) or "none"),
            )
    for name, p in spec.params.items():
        v = params.get(name)
        if v is None:
            if p.required:
                raise InputError(f"'{spec.kind}' needs '{name}'", field=name, expected=p.type)
            continue
        ok = True
        if p.type in ("str", "state"):
            ok = isinstance(
                v, str
            )  # allowed values are the rules' business (they refuse, citing the article)
        elif p.type == "int":
            ok = isinstance(v, int) and not isinstance(v, bool)
        elif p.type == "float":
            ok = isinstance(v, (int, float)) and not isinstance(v, bool)
        elif p.type == "bool":
            ok = isinstance(v, bool)
        elif p.type == "date":
            try:
                dt.date.fromisoformat(str(v))
            except ValueError:
                ok = False
        elif p.type in ("list[str]", "states"):
            ok = isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)
        elif p.type == "json":
            ok = isinstance(v, (list, dict))
        elif p.type.startswith("dict"):
            ok = isinstance(v, dict) and all(
                isinstance(k, str) and isinstance(x, (int, float)) and not isinstance(x, bool)
                for k, x in v.items()
            )
        if not ok:
            expected = p.type
            raise InputError(f"bad value {v!r} for '{name}'", field=name, expected=expected)


class Procedure:
    """Base of every procedure. Subclasses set ``kind``, ``starts``, ``specs`` and the handlers."""

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: (instrument, article) that governs the order of steps; out-of-order steps are refused citing it.
    article: ClassVar[tuple[str, str]] = ("charter", "12")
    #: Action kinds that open a new case of this procedure.
    starts: ClassVar[frozenset[str]] = frozenset()
    specs: ClassVar[dict[str, ActionSpec]] = {}

    def __init__(self, case: str, world: World) -> None:
        self.case = case
        self.world = world
        self.step = "new"
        self.history: list[DomainEvent] = []
        self.opened_at: dt.datetime | None = None

    # ------------------------------------------------------------------ interface
    @property
    def stream(self) -> str:
        return f"{self.kind}/{self.case}"

    def legal_actions(self, actor: str) -> list[str]:
        """The action kinds ``actor`` may take now (each would pass the sequence check; rules may still refuse)."""
        out = []
        for kind in self.specs:
            if self.allowed_now(kind, actor) is None:
                out.append(kind)
        return out

    def apply(self, action: Action) -> list[DomainEvent]:
        """Check ``action`` and return its events (raises ``RefusedError``); the state moves on."""
        events = self.decide(action)
        for e in events:
            self.evolve(e)
            self.world.evolve(e)
        return events

    @property
    def is_terminal(self) -> bool:
        return self.step in self.terminal_steps()

    @property
    def outcome(self) -> str | None:
        """The result once terminal (e.g. 'admitted', 'deployment'), else None."""
        return self.step if self.is_terminal else None

    # ------------------------------------------------------------------ for subclasses
    def terminal_steps(self) -> frozenset[str]:
        return frozenset()

    def allowed_now(self, kind: str, actor: str) -> str | None:
        """None if ``kind`` fits the current step for ``actor``, else the reason it does not."""
        raise NotImplementedError

    def decide(self, action: Action) -> list[DomainEvent]:
        if action.kind not in self.specs:
            raise RefusedError(self.refusal(f"'{action.kind}' is not a step of {self.title or self.kind}"))
        if self.is_terminal:
            raise RefusedError(self.refusal(f"{self.title} '{self.case}' is closed ({self.step})"))
        reason = self.allowed_now(action.kind, action.actor)
        if reason is not None:
            raise RefusedError(self.refusal(reason))
        check_params(self.specs[action.kind], action.params)
        handler = getattr(self, "on_" + action.kind)
        events: list[DomainEvent] = handler(action)
        return events

    def evolve(self, event: DomainEvent) -> None:
        if self.opened_at is None:
            self.opened_at = event.at
        self.history.append(event)
        fn = getattr(self, "ev_" + event.type, None)
        if fn is not None:
            fn(event)

    # ------------------------------------------------------------------ helpers
    def event(self, type_: str, action: Action, **data: Any) -> DomainEvent:
        payload = {"actor": action.actor, **data}
        return DomainEvent(type=type_, at=action.at, stream=self.stream, data=payload)

    def refusal(self, reason: str) -> Refused:
        sit = self.world.situation()
        inst, art = self.article
        return Refused(article=sit.cite(inst, art), reason=reason, rule=f"{self.kind}-sequence")

    def check(self, verdict: Any) -> None:
        """Raise the verdict if it is a refusal."""
        if isinstance(verdict, Refused):
            raise RefusedError(verdict)

    def snapshot(self) -> dict[str, Any]:
        """The procedure's state as plain data (for projections and the replay test)."""
        return {"kind": self.kind, "case": self.case, "step": self.step, "events": len(self.history)}
