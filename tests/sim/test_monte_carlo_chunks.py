"""The chunked Monte Carlo: results depend on the seed alone (not on the workers), quantiles are exact, a
worker that dies is an error naming its chunk, and a bad number of trials is refused with exit code 2."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from csto.errors import CstoError
from csto.sim import montecarlo
from csto.sim.chunks import ChunkFailed, run_chunks
from csto.sim.draws import chunk_streams
from csto.sim.quantiles import add_counts, centi_counts, quantiles


@pytest.fixture(autouse=True)
def _cold_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with an empty plan cache of its own (no test depends on a warm one)."""
    monkeypatch.setenv("CSTO_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize(
    "fused", ["off", "on"]
)  # the NumPy kernel; the fused path (where Numba is installed)
def test_the_same_seed_gives_identical_json_with_1_and_with_2_workers(cli, monkeypatch, fused: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(montecarlo, "CHUNK", 4096)  # several chunks without millions of trials
    monkeypatch.setenv("CSTO_FUSED", fused)
    args = ("crisis", "run", "armenia-2022", "--trials", "20000", "--seed", "5", "--json")
    one = cli(*args, "--workers", "1")
    two = cli(*args, "--workers", "2")
    assert one.code == 0 and two.code == 0, one.err + two.err
    assert one.out == two.out
    other = cli(
        "crisis", "run", "armenia-2022", "--trials", "20000", "--seed", "6", "--json", "--workers", "2"
    )
    assert other.json()["probabilities"] != one.json()["probabilities"]  # the seed does matter


def test_a_chunks_stream_does_not_depend_on_how_many_chunks_there_are() -> None:
    a = np.random.Generator(np.random.SFC64(chunk_streams(3, 4)[2])).random(5)
    b = np.random.Generator(np.random.SFC64(chunk_streams(3, 40)[2])).random(5)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("trials", ["0", "-3", "10000000001"])
def test_a_bad_number_of_trials_is_refused_with_exit_code_2(cli, trials: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("crisis", "run", "kazakhstan-2022", "--trials", trials, "--json")
    assert r.code == 2
    assert "trials" in (r.out + r.err) and "Traceback" not in r.err


def test_zero_workers_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("crisis", "run", "kazakhstan-2022", "--trials", "10", "--workers", "0")
    assert r.code == 2 and "worker" in (r.out + r.err)


def _dies_on_chunk_2(shared: int, task: int) -> int:
    if task == 2:
        os._exit(3)  # a worker killed mid-run (out of memory, a signal)
    return shared * task


def _raises_on_chunk_1(shared: int, task: int) -> int:
    if task == 1:
        raise ZeroDivisionError("boom")
    return task


def test_chunks_come_back_in_order_with_any_number_of_workers() -> None:
    assert run_chunks(_dies_on_chunk_2, 10, [0, 1, 3, 4, 5], 1) == [0, 10, 30, 40, 50]
    assert run_chunks(_dies_on_chunk_2, 10, [0, 1, 3, 4, 5], 2) == [0, 10, 30, 40, 50]


def test_a_worker_that_dies_is_an_error_naming_its_chunk_not_a_smaller_sample() -> None:
    with pytest.raises(ChunkFailed) as exc:
        run_chunks(_dies_on_chunk_2, 1, list(range(6)), 2, describe=lambda i: f"trials {i * 10}–{i * 10 + 9}")
    msg = str(exc.value)
    assert "chunk 2 (trials 20–29)" in msg and "died" in msg
    assert isinstance(exc.value, CstoError) and exc.value.exit_code == 2


def test_a_chunk_that_fails_is_named() -> None:
    with pytest.raises(ChunkFailed, match=r"chunk 1 \(1\) failed: ZeroDivisionError"):
        run_chunks(_raises_on_chunk_1, None, [0, 1, 2], 2)


def test_streamed_quantiles_equal_numpy_quantiles_of_the_rounded_hours() -> None:
    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 1000, 12345):
        values = np.round(rng.gamma(2.0, 10.0, n), 2)
        parts = np.array_split(values, 3)
        counts = np.zeros(0, dtype=np.int64)
        for p in parts:
            counts = add_counts(counts, centi_counts(p))
        got = quantiles(counts)
        assert got is not None
        for name, p in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95)):
            assert got[name] == round(float(np.quantile(values, p)), 2), (n, name)
    assert quantiles(centi_counts(np.array([np.nan]))) is None
