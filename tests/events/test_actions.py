"""Every procedure's action kinds have a typed class (csto.actions), built from its ActionSpec, and back."""

from __future__ import annotations

import datetime as dt

import pytest

from csto.actions import ACTION_KINDS, ACTIONS, action_kind_enum, choices_enum, param_choices, read_params
from csto.errors import InputError
from csto.procedures import PROCEDURES, all_action_kinds
from csto.procedures.base import check_params


def test_every_step_of_every_procedure_has_a_class_and_every_class_a_step() -> None:
    steps = {(p, k) for p, cls in PROCEDURES.items() for k in cls.specs}
    assert set(ACTIONS) == steps
    assert set(ACTION_KINDS) == all_action_kinds()
    assert {c for classes in ACTION_KINDS.values() for c in classes} == set(ACTIONS.values())


@pytest.mark.parametrize("step", sorted({(p, k) for p, c in PROCEDURES.items() for k in c.specs}))
def test_a_class_has_exactly_its_spec_parameters(step: tuple[str, str]) -> None:
    proc, kind = step
    spec = PROCEDURES[proc].specs[kind]
    cls = ACTIONS[step]
    assert (cls.action_kind, cls.who, cls.help) == (spec.kind, spec.who, spec.help)
    assert set(cls.model_fields) == set(spec.params)
    for name, p in spec.params.items():
        assert cls.model_fields[name].is_required() == p.required, name


def test_a_kind_whose_parameters_differ_by_procedure_has_one_class_per_variant() -> None:
    names = sorted(c.__name__ for c in ACTION_KINDS["propose"])
    assert len(names) > 1 and ACTIONS[("assistance", "propose")] is ACTIONS[("consultation", "propose")]
    assert len(ACTION_KINDS["vote"]) == 1


def test_classes_are_frozen_and_refuse_what_the_spec_refuses() -> None:
    body = read_params("assistance", "propose", {"level": "deployment", "summary": "CPKF"})
    assert body.params() == {"level": "deployment", "summary": "CPKF"}
    with pytest.raises(Exception, match="frozen"):
        body.level = "none"  # type: ignore[attr-defined]
    with pytest.raises(InputError) as info:
        read_params("assistance", "propose", {"summary": "no level"})
    assert info.value.field == "level"
    with pytest.raises(InputError) as info:
        read_params("assistance", "propose", {"level": "deployment", "colour": "red"})
    assert info.value.field == "colour"
    with pytest.raises(InputError, match="not a step"):
        read_params("assistance", "apply", {})


def test_the_class_and_check_params_agree_on_good_parameters() -> None:
    spec = PROCEDURES["floor"].specs["inject"]
    good = {"text": "riots", "kind": "intensity", "value": 1}
    check_params(spec, good)
    assert read_params("floor", "inject", good).params() == good
    day = read_params("exercise", "plan", {**_PLAN, "start": "2025-09-01"})
    assert day.params()["start"] == dt.date(2025, 9, 1)


_PLAN = {"name": "x", "series": "interaction", "host": "KAZ", "end": "2025-09-05"}


def test_the_enum_lists_every_kind() -> None:
    assert sorted(action_kind_enum()) == sorted(ACTION_KINDS)


def test_closed_lists_of_values_come_from_the_classes_for_the_api() -> None:
    from csto.procedures.council import POSITIONS
    from csto.procedures.floor import INJECT_KINDS

    assert param_choices("vote", "position") == tuple(POSITIONS)
    assert param_choices("inject", "kind") == tuple(INJECT_KINDS)
    assert [p.value for p in choices_enum("Position", "vote", "position")] == list(POSITIONS)
    assert param_choices("propose", "level") == ("none", "statement", "mission", "assistance", "deployment")
    with pytest.raises(ValueError, match="no single closed list"):
        param_choices("vote", "reason")
