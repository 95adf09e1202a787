"""Parameter sweeps (``csto sweep``): Sobol indices and grids over Dask workers, Parquet and PNG output,
and errors for people (unknown names, bad bounds, an unreachable scheduler) with exit code 2.

Most tests share one in-process Dask client to stay fast; the CLI tests run the real default path
(a ``LocalCluster`` of worker processes).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from csto.errors import InputError
from csto.model import RESPONSE_LADDER, load_dataset
from csto.policy import load_policy
from csto.sim.catalog import find
from csto.sim.sweep import (
    MAX_GRID_POINTS,
    PARAMETERS,
    ParamRange,
    SweepResult,
    apply_point,
    connect,
    grid_points,
    parse_param,
    sweep,
)


@pytest.fixture(scope="module")
def ds() -> Any:
    return load_dataset("csto")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with connect(2, processes=False) as c:
        yield c


@pytest.fixture(scope="module")
def sobol_kz(ds: Any, client: Any) -> SweepResult:
    return sweep(
        ds,
        find(ds, "kazakhstan-2022"),
        ["weight.domestic_constraint=0:3", "weight.capacity_cost=0:3"],
        method="sobol",
        trials=400,
        samples=8,
        seed=3,
        client=client,
    )


@pytest.fixture(scope="module")
def grid_kg(ds: Any, client: Any) -> SweepResult:
    return sweep(
        ds,
        find(ds, "kyrgyz-tajik-border-2021"),
        [ParamRange("weight.severity", 0.0, 3.0)],
        method="grid",
        trials=300,
        samples=5,
        seed=1,
        client=client,
    )


def test_sobol_on_kazakhstan_with_two_params_gives_s1_and_st_for_both(sobol_kz: SweepResult) -> None:
    names = {"weight.domestic_constraint", "weight.capacity_cost"}
    assert len(sobol_kz.points) == 8 * (2 * 2 + 2)
    assert sobol_kz.sobol is not None
    doc = sobol_kz.to_dict()
    for key in ("S1", "S1_conf", "ST", "ST_conf"):
        assert set(doc["sobol"][key]) == names
        assert all(isinstance(v, float) and math.isfinite(v) for v in doc["sobol"][key].values())
    assert sobol_kz.sobol.variance > 0


def test_every_point_has_probabilities_summing_to_one_and_the_expected_level_they_imply(
    sobol_kz: SweepResult, grid_kg: SweepResult
) -> None:
    for p in sobol_kz.points + grid_kg.points:
        assert set(p.probabilities) == set(RESPONSE_LADDER)
        assert sum(p.probabilities.values()) == pytest.approx(1.0)
        implied = sum(i * p.probabilities[lv] for i, lv in enumerate(RESPONSE_LADDER))
        assert p.expected_level == pytest.approx(implied)
        assert 0.0 <= p.expected_level <= 4.0


def test_grid_with_one_param_returns_k_points_along_the_range(grid_kg: SweepResult) -> None:
    xs = [p.values["weight.severity"] for p in grid_kg.points]
    assert xs == pytest.approx([0.0, 0.75, 1.5, 2.25, 3.0])
    assert [p.index for p in grid_kg.points] == list(range(5))
    assert grid_kg.sobol is None and "sobol" not in grid_kg.to_dict()


def test_the_points_round_trip_through_parquet(grid_kg: SweepResult, tmp_path: Path) -> None:
    import pandas as pd

    path = grid_kg.write_parquet(tmp_path / "sub" / "grid.parquet")
    back = pd.read_parquet(path)
    assert list(back.columns) == [
        "point",
        "weight.severity",
        *(f"p_{lv}" for lv in RESPONSE_LADDER),
        "expected_level",
        "hours_to_decision_p50",
    ]
    pd.testing.assert_frame_equal(back, grid_kg.to_frame())
    assert not list(path.parent.glob(".*tmp"))


def test_the_same_seed_gives_the_same_points(ds: Any, client: Any, grid_kg: SweepResult) -> None:
    again = sweep(
        ds,
        find(ds, "kyrgyz-tajik-border-2021"),
        ["weight.severity=0:3"],
        method="grid",
        trials=300,
        samples=5,
        seed=1,
        client=client,
    )
    assert [p.to_dict() for p in again.points] == [p.to_dict() for p in grid_kg.points]


def test_progress_is_reported_up_to_the_number_of_points(ds: Any, client: Any) -> None:
    seen: list[tuple[int, int]] = []
    sweep(
        ds,
        find(ds, "kazakhstan-2022"),
        ["scenario.intensity=0.2:0.8"],
        method="grid",
        trials=50,
        samples=3,
        client=client,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_a_point_replaces_only_the_named_values(ds: Any) -> None:
    params = load_policy(ds)
    sc = find(ds, "kazakhstan-2022")
    p, s = apply_point(
        params,
        sc,
        {
            "weight.lead_state": 0.25,
            "threshold.noise_sd": 0.9,
            "timing.session_hours": 7.0,
            "scenario.intensity": 0.1,
        },
    )
    assert p.weight("lead_state").weight == 0.25
    assert p.weight("lead_state").sd == params.weight("lead_state").sd
    assert p.weight("severity") == params.weight("severity")
    assert (p.thresholds.noise_sd, p.thresholds.support) == (0.9, params.thresholds.support)
    assert (p.timing.session_hours, p.timing.decision_hours) == (7.0, params.timing.decision_hours)
    assert s.intensity == 0.1 and sc.intensity != 0.1
    assert params.weight("lead_state").weight != 0.25  # the original is untouched


def test_a_large_grid_is_capped_and_says_so() -> None:
    ranges = [ParamRange(n, 0.0, 1.0) for n in ("weight.severity", "weight.alignment", "weight.chair_duty")]
    points, k, note = grid_points(ranges, 20)
    assert k == 16 and len(points) == 16**3 <= MAX_GRID_POINTS
    assert note is not None and "capped" in note and "16" in note


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("weight.lead_state=-1:2", "lower bound -1 is below 0"),
        ("scenario.intensity=0:1.5", "upper bound 1.5 is above 1"),
        ("timing.decision_hours=-2:3", "lower bound -2 is below 0"),
        ("weight.lead_state=2:1", "lower bound 2 must be below the upper bound 1"),
        ("weight.lead_state=0:x", "upper bound 'x' is not a number"),
        ("weight.lead_state", "is not NAME=LOW:HIGH"),
    ],
)
def test_a_bad_range_names_the_bound(text: str, words: str) -> None:
    with pytest.raises(InputError) as err:
        parse_param(text)
    assert words in err.value.message and err.value.field == "--param"


def test_thresholds_must_keep_support_above_object_at_every_sample(ds: Any, client: Any) -> None:
    with pytest.raises(InputError, match=r"lower bound of threshold\.support is too low"):
        sweep(
            ds,
            find(ds, "kazakhstan-2022"),
            ["threshold.support=-1:1"],
            method="grid",
            samples=3,
            client=client,
        )


def test_the_cli_lists_the_valid_names_for_an_unknown_parameter(cli: Any) -> None:
    r = cli("sweep", "kazakhstan-2022", "--param", "weight.nonsense=0:1", "--json")
    assert r.code == 2 and r.out == ""
    import json

    err = json.loads(r.err)
    assert err["field"] == "--param" and "weight.nonsense" in err["error"]
    for name in PARAMETERS:
        assert name in err["expected"]


def test_the_cli_names_the_wrong_bound(cli: Any) -> None:
    r = cli("sweep", "kazakhstan-2022", "--param", "scenario.intensity=-0.5:1")
    assert r.code == 2
    assert "lower bound -0.5 is below 0" in r.err and "Traceback" not in r.err


def test_an_unreachable_scheduler_fails_with_exit_2_within_10_seconds(cli: Any) -> None:
    t = time.perf_counter()
    r = cli(
        "sweep", "kazakhstan-2022", "--param", "weight.lead_state=0:2", "--scheduler", "tcp://127.0.0.1:1"
    )
    assert time.perf_counter() - t < 10
    assert r.code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in r.err and "--scheduler" in r.err


def test_the_must_show_sobol_command_returns_the_indices(cli: Any, tmp_path: Path) -> None:
    # The real default path: a LocalCluster of two worker processes.
    png = tmp_path / "sobol.png"
    r = cli(
        "sweep",
        "kazakhstan-2022",
        "--param",
        "weight.lead_state=0:2",
        "--method",
        "sobol",
        "--trials",
        "10000",
        "--samples",
        "8",
        "--plot",
        str(png),
        "--json",
    )
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["method"] == "sobol" and doc["trials"] == 10000 and doc["workers"] == 2
    assert doc["params"] == [{"name": "weight.lead_state", "low": 0.0, "high": 2.0}]
    assert len(doc["points"]) == 8 * 4
    for key in ("S1", "S1_conf", "ST", "ST_conf"):
        assert set(doc["sobol"][key]) == {"weight.lead_state"}
    assert doc["plot"] == str(png) and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_cli_writes_a_grid_parquet_and_its_odds_curve(cli: Any, tmp_path: Path) -> None:
    import pandas as pd

    out, png = tmp_path / "g.parquet", tmp_path / "g.png"
    r = cli(
        "sweep",
        "kyrgyz-tajik-border-2021",
        "--param",
        "weight.severity=0:3",
        "--method",
        "grid",
        "--samples",
        "4",
        "--trials",
        "200",
        "--workers",
        "1",
        "--out",
        str(out),
        "--plot",
        str(png),
    )
    assert r.code == 0, r.err
    assert "Odds at each grid point" in r.out
    frame = pd.read_parquet(out)
    assert len(frame) == 4 and frame["weight.severity"].tolist() == pytest.approx([0, 1, 2, 3])
    assert png.read_bytes()[:4] == b"\x89PNG"
