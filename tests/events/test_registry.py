"""The event registry (csto.events): every type the engine records has a class, and each reads its data."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from csto.events import EVENT_TYPES, EventDataError, UnknownEventType, event_type_enum, parse, serialise
from csto.events.base import EventBody
from csto.report.events import describe

SRC = Path(__file__).resolve().parents[2] / "src" / "csto"


def _emitted() -> set[str]:
    """Event type names the procedures write: ``self.event("X", ...)``, ``DomainEvent("X"|type="X")``,
    and names chosen in a conditional (``"A" if ... else "B"``)."""
    names: set[str] = set()
    for path in (SRC / "procedures").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func
            called = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if called not in ("event", "DomainEvent"):
                continue
            first = (
                node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "type"), None)
            )
            for sub in ast.walk(first) if first is not None else ():
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value[:1].isupper():
                    names.add(sub.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # a name chosen first: kind = "ConsentGiven" if ... else "ConsentRefused"
            if isinstance(node, ast.IfExp) and all(
                isinstance(b, ast.Constant) and isinstance(b.value, str) and b.value[:1].isupper()
                for b in (node.body, node.orelse)
            ):
                names.update({node.body.value, node.orelse.value})  # type: ignore[attr-defined]
    return names


def test_every_event_type_the_procedures_write_has_a_class_and_every_class_is_written() -> None:
    emitted = _emitted()
    assert len(emitted) >= 70
    engine_types = {t for t, c in EVENT_TYPES.items() if c.__module__.startswith("csto.events.")}
    assert emitted == engine_types


def test_classes_are_frozen_named_after_their_type_and_describe_themselves() -> None:
    for name, cls in EVENT_TYPES.items():
        assert cls.type == name and issubclass(cls, EventBody)
        assert cls.model_config.get("frozen") is True
        assert cls.__doc__ and cls.__doc__.strip()


def test_an_unknown_type_is_named() -> None:
    with pytest.raises(UnknownEventType, match="unknown event type 'Foo'") as info:
        parse("Foo", {})
    assert info.value.type_name == "Foo" and info.value.field == "type"
    assert describe("Foo", {"actor": "X", "n": 1, "l": [1]}) == "Foo (n=1)"


def test_bad_data_names_the_field_and_describe_falls_back_to_the_generic_line() -> None:
    with pytest.raises(EventDataError) as info:
        parse("UnitsDeparted", {"actor": "KAZ", "state": "KAZ", "personnel": "many"})
    assert info.value.field == "data.personnel"
    assert describe("UnitsDeparted", {"state": "KAZ"}) == "UnitsDeparted (state=KAZ)"


def test_serialise_gives_the_same_data_or_refuses() -> None:
    data = {"actor": "js", "state": "KAZ", "personnel": 120}
    assert serialise("UnitsDeparted", data) == data
    assert describe("UnitsDeparted", data) == "KAZ units leave: 120"
    with pytest.raises(EventDataError, match="personnel"):
        serialise("UnitsDeparted", {**data, "personnel": 120.0})


def test_the_clock_event_keeps_its_from_field_under_its_stored_name() -> None:
    data = {"actor": "control", "hours": 6.0, "from": "2026-01-01T00:00:00+00:00"}
    body = parse("ClockAdvanced", data)
    assert body.to_data() == data and body.describe() == "Clock moved forward 6 h"


def test_the_enum_lists_every_type() -> None:
    assert sorted(event_type_enum()) == sorted(EVENT_TYPES)
