"""Running a Monte Carlo's chunks on every core: worker processes, BLAS pinned to one thread in each.

``run_chunks(fn, shared, tasks, workers)`` calls ``fn(shared, task)`` for every task and returns the results
in the tasks' order, whatever the number of workers: a result depends on its task alone. The workers are
forked where the system allows (they inherit ``shared``, the loaded dataset, instead of unpickling it); a worker that dies or fails stops the whole run with an error naming
its chunk, never a smaller sample. It knows nothing of crises: ``csto.sim.montecarlo`` supplies ``fn``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from csto.errors import CstoError

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_STARTED: Any = None  # the chunks each worker has begun (shared memory, one flag per chunk)
_SHARED: Any = None  # what every task of the run reads (the dataset, the scenario)


class ChunkFailed(CstoError):
    """A chunk of a Monte Carlo did not complete: no result is given rather than a smaller sample."""


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def pin_blas() -> None:
    """One BLAS thread in this process (each worker is one core's worth of work already)."""
    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - threadpoolctl is a core dependency
        return
    threadpool_limits(1)


def keep_heap() -> None:
    """Let glibc serve a chunk's large arrays from the heap and keep it between chunks: without this each
    array is a fresh mapping whose pages fault in again (a fifth of a worker's time went to the kernel).
    Only in worker processes, which live for one run; elsewhere (not glibc) it does nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 256 << 20)  # M_MMAP_THRESHOLD: arrays up to 256 MB come from the heap
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: keep up to 1 GB of freed heap for the next chunk
    except (OSError, AttributeError):
        return


def _init(started: Any, shared: Any) -> None:
    global _STARTED, _SHARED
    _STARTED, _SHARED = started, shared
    pin_blas()
    keep_heap()


def _call(fn: Callable[[Any, T], R], index: int, task: T) -> R:
    _STARTED[index] = 1
    return fn(_SHARED, task)


def run_chunks(
    fn: Callable[[S, T], R],
    shared: S,
    tasks: Sequence[T],
    workers: int,
    describe: Callable[[int], str] = str,
) -> list[R]:
    """``[fn(shared, t) for t in tasks]`` on up to ``workers`` processes (in this one when a single worker
    or task); ``describe(i)`` names chunk ``i`` in the error when it fails."""
    workers = max(1, min(workers, len(tasks)))
    if workers == 1 or mp.current_process().daemon:  # a daemonic process (a pool's worker) may not fork
        return [fn(shared, t) for t in tasks]
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    started = ctx.Array("b", len(tasks), lock=False)
    results: list[R] = []
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(started, shared)) as pool:
        futures: list[Future[R]] = [pool.submit(_call, fn, i, t) for i, t in enumerate(tasks)]
        for i, fut in enumerate(futures):
            try:
                results.append(fut.result())
            except BrokenProcessPool:
                lost = [k for k in range(len(tasks)) if started[k] and not _done(futures[k])] or [i]
                for f in futures:
                    f.cancel()
                raise ChunkFailed(
                    "a worker process died while running "
                    + " or ".join(f"chunk {k} ({describe(k)})" for k in lost)
                    + f" of {len(tasks)}; the run gives no result rather than a smaller sample",
                    expected="a run whose workers all finish (check memory, or run with --workers 1)",
                ) from None
            except CstoError:
                raise
            except Exception as exc:
                for f in futures:
                    f.cancel()
                raise ChunkFailed(
                    f"chunk {i} ({describe(i)}) failed: {type(exc).__name__}: {exc}",
                    expected="a run whose chunks all finish",
                ) from exc
    return results


def _done(f: Future[Any]) -> bool:
    return f.done() and not f.cancelled() and f.exception() is None
