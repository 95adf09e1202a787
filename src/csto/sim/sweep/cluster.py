"""Running sweep points on Dask: a client on a ``LocalCluster`` or on a running scheduler's address (checked
quickly, so that a wrong address is an ``InputError`` within seconds), and the points shipped in batches.

Each point is an ordinary ``run_crisis`` (kernel path) seeded ``seed + point index``. This module knows
nothing of designs or indices; timing clusters against each other is a benchmark (``benchmarks/``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import socket
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from csto.errors import InputError
from csto.game.scenario import Scenario
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import PolicyParams
from csto.sim.sweep.parameters import apply_point
from csto.sim.sweep.results import PointResult

CONNECT_TIMEOUT_S = 10.0
Progress = Callable[[int, int], None]


def _run_batch(
    batch: list[tuple[int, dict[str, float]]],
    ds: Dataset,
    scenario: Scenario,
    params: PolicyParams,
    trials: int,
    seed: int,
) -> list[PointResult]:
    """Run one batch of points on a worker (the task Dask ships: a module-level function)."""
    from csto.sim.montecarlo import run_crisis

    out = []
    for index, values in batch:
        p, sc = apply_point(params, scenario, values)
        r = run_crisis(ds, sc, trials=trials, seed=seed + index, params=p)
        probs = r.probabilities
        dec = r.timing.get("hours_to_decision")
        out.append(
            PointResult(
                index,
                dict(values),
                probs,
                float(sum(i * probs[lv] for i, lv in enumerate(RESPONSE_LADDER))),
                dec["p50"] if dec else None,
            )
        )
    return out


def _distributed() -> Any:
    """The ``distributed`` package, imported late (it is heavy) and typed loosely (it is partly untyped)."""
    import importlib

    return importlib.import_module("distributed")


def _unreachable(address: str, why: object) -> InputError:
    return InputError(
        f"cannot reach the Dask scheduler at {address} ({why})",
        field="--scheduler",
        expected="the address of a running Dask scheduler, e.g. tcp://127.0.0.1:8786",
    )


def _probe(address: str, deadline: float) -> None:
    """Fail fast on a TCP address that refuses or does not answer (the Dask client would retry until its timeout)."""
    from urllib.parse import urlsplit

    url = urlsplit(address if "://" in address else "tcp://" + address)
    if url.scheme not in ("tcp", "tls"):
        return
    try:
        host, port = url.hostname, url.port
    except ValueError:
        raise _unreachable(address, "malformed port") from None
    if not host or port is None:
        raise _unreachable(address, "give host:port")
    try:
        socket.create_connection((host, port), timeout=max(0.1, deadline - time.monotonic())).close()
    except OSError as exc:
        raise _unreachable(address, exc.strerror or type(exc).__name__) from None


async def _identity(address: str, timeout: float) -> Any:
    comm = await _distributed().comm.connect(address, timeout=timeout)
    try:
        await comm.write({"op": "identity", "reply": True})
        import asyncio

        return await asyncio.wait_for(comm.read(), timeout)
    finally:
        comm.abort()


def _check_scheduler(address: str, deadline: float) -> None:
    """Ask the address who it is before a ``Client`` is built on it: something else listening there (an
    HTTP proxy, say) must fail here, quickly, rather than inside the client."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    timeout = max(0.5, deadline - time.monotonic())
    try:
        # in a thread of its own, so that a caller already inside an event loop (a notebook) can use it too
        with ThreadPoolExecutor(1) as pool:
            who = pool.submit(asyncio.run, _identity(address, timeout)).result(timeout + 1.0)
    except Exception as exc:
        raise _unreachable(address, f"no Dask scheduler answers there: {type(exc).__name__}") from None
    if not isinstance(who, dict) or who.get("type") != "Scheduler":
        raise _unreachable(address, "what answers there is not a Dask scheduler")


@contextlib.contextmanager
def connect(workers: int = 2, scheduler: str | None = None, *, processes: bool = True) -> Iterator[Any]:
    """A Dask ``Client``: on an existing scheduler (``scheduler``), or on a ``LocalCluster`` of ``workers``
    single-threaded processes. Closed on exit. An unreachable scheduler is an ``InputError`` within 10 s."""
    dist = _distributed()
    cluster = None
    client = None
    try:
        if scheduler:
            deadline = time.monotonic() + CONNECT_TIMEOUT_S
            _probe(scheduler, deadline)
            _check_scheduler(scheduler, deadline)
            try:
                client = dist.Client(
                    scheduler, timeout=max(1.0, deadline - time.monotonic()), set_as_default=False
                )
            except Exception as exc:
                raise _unreachable(scheduler, f"{type(exc).__name__}: {exc}") from None
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError):
                raise InputError(
                    f"the Dask scheduler at {scheduler} has no workers",
                    field="--scheduler",
                    expected="a scheduler with at least one worker",
                ) from None
        else:
            if workers < 1:
                raise InputError("--workers must be at least 1", field="--workers", expected="≥ 1")
            cluster = dist.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address="127.0.0.1:0",  # no fixed port: several clusters may run at once
                silence_logs=logging.ERROR,
            )
            client = dist.Client(cluster, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        yield client
    finally:
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()


def run_points(
    client: Any,
    ds: Dataset,
    scenario: Scenario,
    params: PolicyParams,
    points: Sequence[Mapping[str, float]],
    *,
    trials: int,
    seed: int,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> list[PointResult]:
    """Run every point on the client's workers in batches; results come back in the points' order."""
    n = len(points)
    n_workers = max(1, len(client.nthreads()))
    size = batch_size or max(1, min(64, math.ceil(n / (4 * n_workers))))
    items = [(i, dict(v)) for i, v in enumerate(points)]
    batches = [items[i : i + size] for i in range(0, n, size)]
    ds_f = client.scatter(ds, broadcast=True)
    futures = client.map(
        _run_batch, batches, ds=ds_f, scenario=scenario, params=params, trials=trials, seed=seed, pure=False
    )
    sizes = {f.key: len(b) for f, b in zip(futures, batches, strict=True)}
    done = 0
    if progress is not None:
        progress(0, n)
        for fut in _distributed().as_completed(futures, loop=client.loop):
            done += sizes[fut.key]
            progress(done, n)
    results: list[list[PointResult]] = client.gather(futures)
    return [p for batch in results for p in batch]
