"""Parameter sweeps: a crisis run at many points of the model's parameters (a grid, or a Sobol design),
spread over Dask workers, with variance-based sensitivity (Sobol S1/ST) of the expected response level.

The sweepable names live in ``PARAMETERS`` and nowhere else; a point is applied with ``model_copy`` and
each point is an ordinary ``run_crisis`` (kernel path) seeded ``seed + point index``. This module never
prints and never plots: the CLI renders, ``SweepResult.to_frame()`` feeds notebooks.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import os
import socket
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from csto.errors import InputError
from csto.model import RESPONSE_LADDER, Dataset
from csto.policy import FACTORS, PolicyParams
from csto.sim.scenario import Scenario

Method = Literal["grid", "sobol"]
METHODS: tuple[str, ...] = ("grid", "sobol")
DEFAULT_TRIALS = 2000
DEFAULT_SAMPLES: dict[str, int] = {"grid": 11, "sobol": 256}
MAX_GRID_POINTS = 4096
CONNECT_TIMEOUT_S = 10.0
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Parameter:
    """One sweepable parameter: its name, what it changes, and the bounds a range must stay within."""

    name: str
    description: str
    minimum: float | None = None  # inclusive
    maximum: float | None = None  # inclusive

    def allowed(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"within [{self.minimum:g}, {self.maximum:g}]"
        if self.minimum is not None:
            return f"≥ {self.minimum:g}"
        return "any number"


def _parameters() -> dict[str, Parameter]:
    out = {
        f"weight.{f}": Parameter(f"weight.{f}", f"the mean weight of the factor {f}", minimum=0.0)
        for f in FACTORS
    }
    for p in (
        Parameter("threshold.support", "score above which a member supports (must stay above object)"),
        Parameter("threshold.object", "score below which a member objects (must stay below support)"),
        Parameter("threshold.noise_sd", "per-member, per-trial noise on each score", minimum=0.0),
        Parameter("scenario.intensity", "the crisis' intensity", minimum=0.0, maximum=1.0),
        Parameter("timing.session_hours", "hours to convene the Council", minimum=0.0),
        Parameter("timing.decision_hours", "hours of deliberation", minimum=0.0),
        Parameter("timing.readiness_hours", "hours to make units ready", minimum=0.0),
    ):
        out[p.name] = p
    return out


PARAMETERS: dict[str, Parameter] = _parameters()


def _valid_names() -> str:
    return ", ".join(PARAMETERS)


@dataclass(frozen=True)
class ParamRange:
    """A parameter swept from ``low`` to ``high`` (checked against the parameter's allowed bounds)."""

    name: str
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "low": self.low, "high": self.high}


def _bad(message: str, expected: str) -> InputError:
    return InputError(message, field="--param", expected=expected)


def check_range(r: ParamRange) -> ParamRange:
    """``r`` if its name is known and its bounds are ordered and allowed; else ``InputError`` naming the bound."""
    spec = PARAMETERS.get(r.name)
    if spec is None:
        raise _bad(f"unknown parameter '{r.name}'", "one of: " + _valid_names())
    text = f"{r.name}={r.low:g}:{r.high:g}"
    for which, v in (("lower", r.low), ("upper", r.high)):
        if not math.isfinite(v):
            raise _bad(
                f"{text}: the {which} bound is not a finite number", "NAME=LOW:HIGH with finite numbers"
            )
    if r.low >= r.high:
        raise _bad(
            f"{text}: the lower bound {r.low:g} must be below the upper bound {r.high:g}",
            "NAME=LOW:HIGH with LOW < HIGH",
        )
    if spec.minimum is not None and r.low < spec.minimum:
        raise _bad(
            f"{text}: the lower bound {r.low:g} is below {spec.minimum:g}", f"{r.name} {spec.allowed()}"
        )
    if spec.maximum is not None and r.high > spec.maximum:
        raise _bad(
            f"{text}: the upper bound {r.high:g} is above {spec.maximum:g}", f"{r.name} {spec.allowed()}"
        )
    return r


def parse_param(text: str) -> ParamRange:
    """``NAME=LOW:HIGH`` → a checked ``ParamRange``."""
    name, eq, rest = text.partition("=")
    name = name.strip()
    lo_s, colon, hi_s = rest.partition(":")
    if not eq or not colon or not name:
        if name and name not in PARAMETERS:
            raise _bad(f"unknown parameter '{name}'", "one of: " + _valid_names())
        raise _bad(f"'{text}' is not NAME=LOW:HIGH", "NAME=LOW:HIGH, e.g. weight.lead_state=0:2")
    if name not in PARAMETERS:
        raise _bad(f"unknown parameter '{name}'", "one of: " + _valid_names())
    bounds: list[float] = []
    for which, s in (("lower", lo_s), ("upper", hi_s)):
        try:
            bounds.append(float(s))
        except ValueError:
            raise _bad(
                f"'{text}': the {which} bound '{s.strip()}' is not a number", "NAME=LOW:HIGH, e.g. 0:2"
            ) from None
    return check_range(ParamRange(name, bounds[0], bounds[1]))


def apply_point(
    params: PolicyParams, scenario: Scenario, values: Mapping[str, float]
) -> tuple[PolicyParams, Scenario]:
    """The parameters and scenario at one point (unnamed values keep their nominal value)."""
    unknown = [n for n in values if n not in PARAMETERS]
    if unknown:
        raise _bad(f"unknown parameter '{unknown[0]}'", "one of: " + _valid_names())
    groups: dict[str, dict[str, float]] = {"weight": {}, "threshold": {}, "timing": {}, "scenario": {}}
    for name, v in values.items():
        head, _, attr = name.partition(".")
        groups[head][attr] = float(v)
    update: dict[str, Any] = {}
    if groups["weight"]:
        w = groups["weight"]
        update["weights"] = tuple(
            x.model_copy(update={"weight": w[x.factor]}) if x.factor in w else x for x in params.weights
        )
    if groups["threshold"]:
        update["thresholds"] = params.thresholds.model_copy(update=groups["threshold"])
    if groups["timing"]:
        update["timing"] = params.timing.model_copy(update=groups["timing"])
    if update:
        params = params.model_copy(update=update)
    if groups["scenario"]:
        scenario = scenario.model_copy(update=groups["scenario"])
    return params, scenario


def _check_point(params: PolicyParams, values: Mapping[str, float], index: int) -> None:
    """The cross-parameter constraint, at one sample: the support threshold above the object threshold."""
    th = params.thresholds
    support = values.get("threshold.support", th.support)
    obj = values.get("threshold.object", th.object)
    if support > obj:
        return
    if "threshold.support" in values and "threshold.object" in values:
        bound = "the lower bound of threshold.support must lie above the upper bound of threshold.object"
    elif "threshold.support" in values:
        bound = (
            f"the lower bound of threshold.support is too low (must stay above threshold.object = {obj:g})"
        )
    else:
        bound = f"the upper bound of threshold.object is too high (must stay below threshold.support = {support:g})"
    raise _bad(
        f"at sample point {index}, threshold.support = {support:g} is not above threshold.object = {obj:g}: {bound}",
        "ranges in which threshold.support > threshold.object at every sample",
    )


# ---------------------------------------------------------------- designs


def grid_points(ranges: Sequence[ParamRange], k: int) -> tuple[list[dict[str, float]], int, str | None]:
    """Full factorial of ``k`` evenly spaced values per parameter, capped at ``MAX_GRID_POINTS`` in all.

    Returns the points (the first parameter varies slowest), the ``k`` used, and a note when capped."""
    if k < 2:
        raise InputError("a grid needs at least 2 points per parameter", field="--samples", expected="≥ 2")
    note = None
    d = len(ranges)
    if k**d > MAX_GRID_POINTS:
        capped = math.floor(MAX_GRID_POINTS ** (1.0 / d) + 1e-9)
        while (capped + 1) ** d <= MAX_GRID_POINTS:
            capped += 1
        while capped**d > MAX_GRID_POINTS:
            capped -= 1
        if capped < 2:
            raise InputError(
                f"{d} parameters on a grid need at least {2**d:,} points, over the cap of {MAX_GRID_POINTS:,}",
                field="--param",
                expected="fewer parameters, or --method sobol",
            )
        note = (
            f"the grid is capped at {MAX_GRID_POINTS:,} points: {capped} values per parameter instead of {k} "
            f"({capped**d:,} points instead of {k**d:,})"
        )
        k = capped
    axes = [np.linspace(r.low, r.high, k) for r in ranges]
    pts = [
        {r.name: float(v) for r, v in zip(ranges, combo, strict=True)} for combo in itertools.product(*axes)
    ]
    return pts, k, note


def _salib_problem(ranges: Sequence[ParamRange]) -> dict[str, Any]:
    return {
        "num_vars": len(ranges),
        "names": [r.name for r in ranges],
        "bounds": [[r.low, r.high] for r in ranges],
    }


def sobol_points(ranges: Sequence[ParamRange], n: int, seed: int) -> list[dict[str, float]]:
    """Saltelli's design for first, total and second-order indices: ``n · (2D + 2)`` points."""
    if n < 2 or n & (n - 1):
        raise InputError(
            f"--samples {n}: the Sobol design needs a power of two base samples",
            field="--samples",
            expected="a power of two ≥ 2, e.g. 256",
        )
    try:
        from SALib.sample import sobol as sobol_sample
    except ImportError:  # pragma: no cover - SALib before 1.4.6 named it saltelli
        from SALib.sample import saltelli as sobol_sample
    x = sobol_sample.sample(_salib_problem(ranges), n, calc_second_order=True, seed=seed)
    return [{r.name: float(v) for r, v in zip(ranges, row, strict=True)} for row in np.asarray(x)]


def _num(x: Any) -> float | None:
    v = float(x)
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class SobolIndices:
    """First-order (S1) and total (ST) Sobol indices of the expected level, with 95 % bootstrap half-widths."""

    S1: dict[str, float | None]
    S1_conf: dict[str, float | None]
    ST: dict[str, float | None]
    ST_conf: dict[str, float | None]
    variance: float
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "S1": self.S1,
            "S1_conf": self.S1_conf,
            "ST": self.ST,
            "ST_conf": self.ST_conf,
            "variance": self.variance,
        }
        if self.note:
            out["note"] = self.note
        return out

    def ranked(self) -> list[str]:
        """Parameter names, most influential (largest ST) first."""
        return sorted(self.ST, key=lambda n: -(self.ST[n] or 0.0))


def sobol_indices(
    ranges: Sequence[ParamRange], y: np.ndarray, seed: int, noise_var: float = 0.0
) -> SobolIndices:
    """Sobol analysis of ``y`` on the design of ``sobol_points`` (a constant ``y`` has all indices 0).

    ``noise_var`` is the Monte Carlo variance of one point's ``y``; when the spread of ``y`` over the points
    is not clearly above it, the indices measure noise, and the result says so."""
    names = [r.name for r in ranges]
    var = float(np.var(y))
    note = None
    if var <= 4.0 * noise_var:
        note = (
            f"the spread of the expected level over the points (variance {var:.3g}) is within Monte Carlo noise "
            f"(about {noise_var:.3g} a point): these indices measure noise; raise --trials or widen the ranges"
        )
    if var <= 1e-12:
        zero: dict[str, float | None] = dict.fromkeys(names, 0.0)
        return SobolIndices(
            dict(zero),
            dict(zero),
            dict(zero),
            dict(zero),
            var,
            note="the expected level does not vary over the swept ranges, so no parameter explains any variance "
            "(all indices set to 0)",
        )
    from SALib.analyze import sobol

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        si = sobol.analyze(
            _salib_problem(ranges), np.asarray(y, dtype=float), calc_second_order=True, seed=seed
        )

    def pick(key: str) -> dict[str, float | None]:
        return {n: _num(v) for n, v in zip(names, si[key], strict=True)}

    return SobolIndices(pick("S1"), pick("S1_conf"), pick("ST"), pick("ST_conf"), var, note=note)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class PointResult:
    """The odds at one sample point: each rung's probability and the expected rung (0 none .. 4 deployment)."""

    index: int
    values: dict[str, float]
    probabilities: dict[str, float]
    expected_level: float
    hours_to_decision_p50: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "probabilities": self.probabilities,
            "expected_level": self.expected_level,
            "hours_to_decision_p50": self.hours_to_decision_p50,
        }


@dataclass
class SweepResult:
    """A sweep: the design, the odds at every point and, for Sobol, the sensitivity indices."""

    scenario: str
    method: str
    ranges: list[ParamRange]
    trials: int
    seed: int
    samples: int
    points: list[PointResult]
    workers: int
    seconds: float
    sobol: SobolIndices | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "scenario": self.scenario,
            "method": self.method,
            "params": [r.to_dict() for r in self.ranges],
            "trials": self.trials,
            "seed": self.seed,
            "samples": self.samples,
            "points": [p.to_dict() for p in self.points],
        }
        if self.sobol is not None:
            doc["sobol"] = self.sobol.to_dict()
        doc["workers"] = self.workers
        doc["seconds"] = round(self.seconds, 3)
        if self.note:
            doc["note"] = self.note
        return doc

    def to_frame(self) -> Any:
        """One row per point: each parameter, each rung's probability (``p_<rung>``), the expected level."""
        import pandas as pd

        rows = []
        for p in self.points:
            row: dict[str, Any] = {"point": p.index}
            row.update({r.name: p.values[r.name] for r in self.ranges})
            row.update({f"p_{lv}": p.probabilities[lv] for lv in RESPONSE_LADDER})
            row["expected_level"] = p.expected_level
            row["hours_to_decision_p50"] = p.hours_to_decision_p50
            rows.append(row)
        cols = (
            ["point", *(r.name for r in self.ranges)]
            + [f"p_{lv}" for lv in RESPONSE_LADDER]
            + ["expected_level", "hours_to_decision_p50"]
        )
        return pd.DataFrame(rows, columns=cols).astype({"hours_to_decision_p50": "float64"})

    def write_parquet(self, path: str | Path) -> Path:
        """The points as Parquet (pyarrow), written atomically (a temporary file, then a rename)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        try:
            self.to_frame().to_parquet(tmp, engine="pyarrow", index=False)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return target


# ---------------------------------------------------------------- the work on the workers


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


def _warm(ds: Dataset, scenario: Scenario, params: PolicyParams) -> bool:
    """Fill a worker's caches (imports, airlift plans) before anything is timed."""
    from csto.sim.montecarlo import run_crisis

    run_crisis(ds, scenario, trials=200, seed=0, params=params)
    return True


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


def _noise_var(results: Sequence[PointResult], trials: int) -> float:
    """The mean Monte Carlo variance of a point's expected level: Var(level at the point) / trials."""
    if not results:
        return 0.0
    within = [
        sum(p.probabilities[lv] * (i - p.expected_level) ** 2 for i, lv in enumerate(RESPONSE_LADDER))
        for p in results
    ]
    return float(np.mean(within)) / trials


def sweep(
    ds: Dataset,
    scenario: Scenario,
    ranges: Sequence[ParamRange | str],
    *,
    method: str = "sobol",
    trials: int = DEFAULT_TRIALS,
    samples: int | None = None,
    seed: int = 0,
    workers: int = 2,
    scheduler: str | None = None,
    params: PolicyParams | None = None,
    progress: Progress | None = None,
    processes: bool = True,
    client: Any = None,
) -> SweepResult:
    """Sweep ``ranges`` (``ParamRange`` or ``"NAME=LOW:HIGH"``) over ``scenario`` on Dask workers.

    ``grid``: ``samples`` values per parameter (default 11), full factorial, capped. ``sobol``: ``samples``
    base samples (default 256, a power of two) → ``samples · (2D + 2)`` points and Sobol indices of the
    expected level. Pass ``client`` to reuse a Dask client; ``processes=False`` runs workers as threads."""
    t0 = time.perf_counter()
    if method not in METHODS:
        raise InputError(f"unknown method '{method}'", field="--method", expected="grid or sobol")
    if trials < 1:
        raise InputError("the number of trials must be at least 1", field="--trials", expected="≥ 1")
    rs = [parse_param(r) if isinstance(r, str) else check_range(r) for r in ranges]
    if not rs:
        raise _bad("give at least one --param NAME=LOW:HIGH", "one of: " + _valid_names())
    seen: set[str] = set()
    for r in rs:
        if r.name in seen:
            raise _bad(f"parameter '{r.name}' is given twice", "each parameter at most once")
        seen.add(r.name)
    if params is None:
        from csto.policy import load_policy

        params = load_policy(ds)
    k = samples if samples is not None else DEFAULT_SAMPLES[method]
    note = None
    if method == "grid":
        points, k_used, note = grid_points(rs, k)
    else:
        points, k_used = sobol_points(rs, k, seed), k
    for i, v in enumerate(points):
        _check_point(params, v, i)
    if client is not None:
        results = run_points(
            client, ds, scenario, params, points, trials=trials, seed=seed, progress=progress
        )
        n_workers = len(client.nthreads())
    else:
        with connect(workers, scheduler, processes=processes) as c:
            results = run_points(c, ds, scenario, params, points, trials=trials, seed=seed, progress=progress)
            n_workers = len(c.nthreads())
    sob = None
    if method == "sobol":
        y = np.array([p.expected_level for p in results])
        sob = sobol_indices(rs, y, seed, noise_var=_noise_var(results, trials))
    return SweepResult(
        scenario=scenario.id,
        method=method,
        ranges=rs,
        trials=trials,
        seed=seed,
        samples=k_used,
        points=results,
        workers=n_workers,
        seconds=time.perf_counter() - t0,
        sobol=sob,
        note=note,
    )


def dask_scaling(
    scenario_id: str = "kazakhstan-2022",
    points: int = 16,
    trials: int = 20000,
    workers: Sequence[int] = (1, 2),
    *,
    repeats: int = 3,
    alliance: str = "csto",
    data_dir: str | Path | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Time ``points`` crisis runs of ``trials`` trials on local clusters of each size in ``workers``.

    Each cluster is started and warmed (imports, caches) before the clock starts; one point per task; the
    fastest of ``repeats`` runs counts (later runs find every worker's airlift-plan cache filled).
    Returns the seconds per worker count, the efficiency ``t1 / (w · tw)`` of each, and
    ``parallel_efficiency`` = t1 / (2 · t2) when both 1 and 2 workers are timed."""
    from csto.model import load_dataset
    from csto.policy import load_policy
    from csto.sim.catalog import find

    ds = load_dataset(alliance, data_dir=data_dir)
    sc = find(ds, scenario_id)
    params = load_policy(ds)
    pts, _, _ = grid_points([ParamRange("weight.lead_state", 0.0, 2.0)], max(2, points))
    pts = pts[:points]
    seconds: dict[int, float] = {}
    for w in workers:
        with connect(w, None, processes=True) as client:
            client.run(_warm, ds, sc, params)
            runs = []
            for _ in range(max(1, repeats)):
                t = time.perf_counter()
                run_points(client, ds, sc, params, pts, trials=trials, seed=seed, batch_size=1)
                runs.append(time.perf_counter() - t)
            seconds[w] = min(runs)
    t1 = seconds.get(1)
    eff = {w: t1 / (w * s) for w, s in seconds.items()} if t1 else {}
    return {
        "scenario": scenario_id,
        "points": len(pts),
        "trials": trials,
        "repeats": max(1, repeats),
        "cpu_count": os.cpu_count(),
        "seconds": seconds,
        "efficiency": eff,
        "parallel_efficiency": eff.get(2),
    }
