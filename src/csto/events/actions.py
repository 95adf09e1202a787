"""Typed actions: a frozen Pydantic class for an action kind, built from the procedure's ``ActionSpec``.

The procedures' ``specs`` stay the one statement of what each step takes (type, required, choices,
help); ``action_class`` turns a spec into a class, so parameters are never written twice. The registry
of every procedure's classes is ``csto.actions`` (it must read the procedures, which this layer may not).
This module must not import the procedures, the ledger or anything above ``csto.model``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, JsonValue, create_model

__all__ = ["PARAM_TYPES", "ActionBody", "ActionSpecLike", "ParamLike", "action_class"]


class ParamLike(Protocol):
    """What ``action_class`` reads of a parameter (``csto.procedures.Param``)."""

    @property
    def type(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def choices(self) -> tuple[str, ...]: ...
    @property
    def help(self) -> str: ...
    @property
    def default(self) -> Any: ...


class ActionSpecLike(Protocol):
    """What ``action_class`` reads of an action's specification (``csto.procedures.ActionSpec``)."""

    @property
    def kind(self) -> str: ...
    @property
    def who(self) -> str: ...
    @property
    def help(self) -> str: ...
    @property
    def params(self) -> Mapping[str, ParamLike]: ...


#: The Python type of each parameter type a spec may name.
PARAM_TYPES: Mapping[str, Any] = {
    "str": str,
    "state": str,
    "int": int,
    "float": int | float,
    "bool": bool,
    "date": dt.date,
    "list[str]": tuple[str, ...],
    "states": tuple[str, ...],
    "json": list[JsonValue] | dict[str, JsonValue],
    "dict[str,int]": dict[str, int],
    "dict[str,float]": dict[str, int | float],
}


class ActionBody(BaseModel):
    """The parameters of one action kind; ``action_kind``, ``who`` and ``help`` come from its spec."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False, defer_build=True)

    action_kind: ClassVar[str] = ""
    who: ClassVar[str] = ""
    help: ClassVar[str] = ""
    #: The allowed values of each parameter that has a closed list (its field is a ``Literal`` of them).
    choices: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def params(self) -> dict[str, Any]:
        """The parameters that were given (as the procedures take them)."""
        return self.model_dump(exclude_unset=True)


def _camel(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def action_class(spec: ActionSpecLike, name: str | None = None) -> type[ActionBody]:
    """A frozen class for ``spec``: one field per parameter, typed, required or defaulted as the spec says."""
    fields: dict[str, Any] = {}
    for pname, p in spec.params.items():
        if p.type not in PARAM_TYPES:
            raise ValueError(f"{spec.kind}: parameter {pname!r} has unknown type {p.type!r}")
        t: Any = Literal[p.choices] if p.choices else PARAM_TYPES[p.type]
        if p.required:
            fields[pname] = (Annotated[t, Field(description=p.help)], ...)
        else:
            fields[pname] = (Annotated[t | None, Field(description=p.help)], p.default)
    cls = create_model(name or _camel(spec.kind), __base__=ActionBody, __doc__=spec.help, **fields)
    cls.action_kind, cls.who, cls.help = spec.kind, spec.who, spec.help
    cls.choices = {pname: tuple(p.choices) for pname, p in spec.params.items() if p.choices}
    return cls
