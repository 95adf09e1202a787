"""The airlift planner: Kazakhstan 2022 within a day and near its bound; bounds hold; bad input is named."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csto.errors import InputError
from csto.logistics import loads_for, plan_airlift
from csto.logistics.planner import Load
from tests.cli.test_bad_input import assert_clean_error


def test_kazakhstan_2022_plan_meets_the_must_show(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    png = tmp_path / "a.png"
    doc = cli("plan", "airlift", "kazakhstan-2022", "--json", "--plot", str(png)).json()
    assert doc["first_units_hours"] <= 24
    assert doc["gap"] <= 0.10
    assert doc["on_ground"][-1]["personnel"] == sum(doc["tasked"].values())
    assert doc["lower_bound_hours"] <= doc["makespan_hours"] + 1e-9
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert {"makespan_hours", "lower_bound_hours", "gap", "first_units_hours", "sorties", "on_ground"} <= set(
        doc
    )


def test_a_short_move_goes_by_road(ds, lg) -> None:  # type: ignore[no-untyped-def]
    plan = plan_airlift(ds, lg, loads_for(lg, {"KGZ": 150}, "almaty", force="peacekeeping"))
    assert not plan.sorties and plan.road_moves
    assert 150 <= plan.road_moves[0]["km"] <= 350


def test_every_person_and_vehicle_arrives_once(ds, lg) -> None:  # type: ignore[no-untyped-def]
    loads = loads_for(lg, {"RUS": 3000, "ARM": 100, "BLR": 100}, "dushanbe", force="crrf")
    plan = plan_airlift(ds, lg, loads)
    assert plan.personnel == sum(ld.personnel for ld in loads)
    end = plan.on_ground()[-1]
    assert end["personnel"] == plan.personnel and end["vehicles"] == plan.vehicles
    per_plane: dict[str, list[tuple[float, float]]] = {}
    for s in plan.sorties:
        per_plane.setdefault(s.aircraft, []).append((s.depart_h, s.arrive_h))
    for trips in per_plane.values():
        trips.sort()
        for (_, a1), (d2, _) in itertools.pairwise(trips):
            assert d2 >= a1, "an aircraft departed before it was back"


def test_small_instances_are_solved_with_the_milp(ds, lg) -> None:  # type: ignore[no-untyped-def]
    from csto.logistics.milp import milp_assignment
    from csto.logistics.planner import Network

    loads = loads_for(lg, {"ARM": 100, "TJK": 200}, "almaty", force="peacekeeping")
    assignment = milp_assignment(Network(ds, lg), [ld for ld in loads if ld.origin != "almaty"])
    assert assignment and sum(assignment.values()) >= 2
    plan = plan_airlift(ds, lg, loads)
    assert plan.gap <= 0.10


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rus=st.integers(0, 4000),
    arm=st.integers(0, 450),
    blr=st.integers(0, 550),
    dest=st.sampled_from(["almaty", "dushanbe", "zvartnots", "manas"]),
)
def test_the_lower_bound_never_exceeds_the_makespan(ds, lg, rus: int, arm: int, blr: int, dest: str) -> None:  # type: ignore[no-untyped-def]
    task = {k: v for k, v in {"RUS": rus, "ARM": arm, "BLR": blr}.items() if v > 0}
    if not task:
        return
    plan = plan_airlift(ds, lg, loads_for(lg, task, dest, force="crrf"))
    assert plan.lower_bound_hours <= plan.makespan_hours + 1e-6


def test_a_unit_no_aircraft_can_carry_is_refused_by_name(ds, lg) -> None:  # type: ignore[no-untyped-def]
    heavy = lg.model_copy(update={"norms": lg.norms.model_copy(update={"vehicle_t": 500.0})})
    with pytest.raises(InputError) as info:
        plan_airlift(ds, heavy, [Load("tank-regiment", "RUS", 100, 10, 0.0, 0.0, "chkalovsky", "almaty")])
    assert "tank-regiment" in str(info.value)


def test_a_leg_out_of_range_without_a_stop_is_refused_by_name(ds, lg) -> None:  # type: ignore[no-untyped-def]
    short = lg.model_copy(
        update={"aircraft": tuple(t.model_copy(update={"range_km": 300.0}) for t in lg.aircraft)}
    )
    with pytest.raises(InputError) as info:
        plan_airlift(ds, short, [Load("u1", "RUS", 100, 0, 0.0, 0.0, "chkalovsky", "almaty")])
    assert "chkalovsky → almaty" in str(info.value)


def test_an_unknown_airfield_in_a_scenario_names_file_line_field(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = Path(__file__).resolve().parents[2] / "src/csto/data/csto/scenarios/kazakhstan-2022.yaml"
    text = src.read_text()
    assert "destination_airfield: almaty" in text
    p = tmp_path / "s.yaml"
    p.write_text(text.replace("destination_airfield: almaty", "destination_airfield: atlantis"))
    assert_clean_error(cli("plan", "airlift", str(p)), "s.yaml:", "destination_airfield", "atlantis")
