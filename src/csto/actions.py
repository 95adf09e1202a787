"""The registry of action classes: one frozen Pydantic class per action kind of every procedure.

Built from the procedures' own ``specs`` (``csto.events.actions.action_class``), so a parameter is stated
once, in its ``ActionSpec``. A kind whose parameters differ between procedures (``propose``) has one
class per variant. Layer: above the procedures (it reads them), beside ``session``; the web and the CLI
take their lists of action kinds from here. It must not import the ledger, the web or the CLI.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from csto.errors import InputError
from csto.events.actions import ActionBody, action_class
from csto.procedures import PROCEDURES, ActionSpec

__all__ = [
    "ACTIONS",
    "ACTION_KINDS",
    "ActionBody",
    "action_kind_enum",
    "choices_enum",
    "param_choices",
    "read_params",
]


def _build() -> tuple[dict[tuple[str, str], type[ActionBody]], dict[str, tuple[type[ActionBody], ...]]]:
    by_spec: dict[str, list[tuple[ActionSpec, list[str]]]] = {}
    for proc_kind, proc in PROCEDURES.items():
        for spec in proc.specs.values():
            variants = by_spec.setdefault(spec.kind, [])
            same = next((v for v in variants if v[0] == spec), None)
            if same is None:
                variants.append((spec, [proc_kind]))
            else:
                same[1].append(proc_kind)
    actions: dict[tuple[str, str], type[ActionBody]] = {}
    kinds: dict[str, tuple[type[ActionBody], ...]] = {}
    for kind, variants in by_spec.items():
        classes = []
        for spec, procs in variants:
            camel = "".join(p.capitalize() for p in kind.split("_"))
            name = (
                camel if len(variants) == 1 else "".join(p.capitalize() for p in procs[0].split("_")) + camel
            )
            cls = action_class(spec, name)
            classes.append(cls)
            for proc_kind in procs:
                actions[(proc_kind, kind)] = cls
        kinds[kind] = tuple(classes)
    return actions, kinds


_ACTIONS, _KINDS = _build()
ACTIONS: Final[Mapping[tuple[str, str], type[ActionBody]]] = _ACTIONS
"""(procedure kind, action kind) → the class of that step's parameters."""
ACTION_KINDS: Final[Mapping[str, tuple[type[ActionBody], ...]]] = _KINDS
"""Action kind → its classes (one, unless procedures take different parameters for it)."""


def read_params(procedure: str, kind: str, params: Mapping[str, Any]) -> ActionBody:
    """The typed parameters of a ``kind`` step of ``procedure``; ``InputError`` naming the field."""
    from pydantic import ValidationError

    cls = ACTIONS.get((procedure, kind))
    if cls is None:
        raise InputError(
            f"'{kind}' is not a step of {procedure}",
            field="action",
            expected="one of: " + ", ".join(sorted(k for p, k in ACTIONS if p == procedure)),
        )
    try:
        return cls.model_validate(dict(params))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or None
        raise InputError(f"'{kind}': {first['msg']}", field=field, expected=cls.__name__) from None


def action_kind_enum(name: str = "ActionKind") -> type[StrEnum]:
    """A ``StrEnum`` of every action kind (for an API's schema)."""
    return StrEnum(name, {k: k for k in sorted(ACTION_KINDS)})  # type: ignore[return-value]


def param_choices(kind: str, param: str) -> tuple[str, ...]:
    """The allowed values of ``param`` of action ``kind`` (the same in every procedure, or ``ValueError``)."""
    found = {cls.choices[param] for cls in ACTION_KINDS.get(kind, ()) if param in cls.choices}
    if len(found) != 1:
        raise ValueError(f"'{kind}' has no single closed list of values for {param!r}: {sorted(found)}")
    return found.pop()


def choices_enum(name: str, kind: str, param: str) -> type[StrEnum]:
    """A ``StrEnum`` of ``param_choices(kind, param)``, e.g. ``choices_enum("Position", "vote", "position")``."""
    return StrEnum(name, {v: v for v in param_choices(kind, param)})  # type: ignore[return-value]
