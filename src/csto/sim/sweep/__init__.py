"""Parameter sweeps: a crisis run at many points of the model's parameters (a grid, or a Sobol design),
spread over Dask workers, with variance-based sensitivity (Sobol S1/ST) of the expected response level.

``parameters`` (what can be swept, and its bounds), ``design`` (grid and Sobol points), ``cluster`` (Dask,
running points), ``sensitivity`` (the indices), ``results`` (records) and ``run`` (``sweep``, the whole).
This package never prints and never plots; measuring Dask's scaling is a benchmark, in ``benchmarks/``.
"""

from csto.sim.sweep.cluster import CONNECT_TIMEOUT_S, Progress, connect, run_points
from csto.sim.sweep.design import DEFAULT_SAMPLES, MAX_GRID_POINTS, METHODS, Method, grid_points, sobol_points
from csto.sim.sweep.parameters import PARAMETERS, Parameter, ParamRange, apply_point, check_range, parse_param
from csto.sim.sweep.results import PointResult, SweepResult
from csto.sim.sweep.run import DEFAULT_TRIALS, sweep
from csto.sim.sweep.sensitivity import SobolIndices, sobol_indices

__all__ = [
    "CONNECT_TIMEOUT_S",
    "DEFAULT_SAMPLES",
    "DEFAULT_TRIALS",
    "MAX_GRID_POINTS",
    "METHODS",
    "PARAMETERS",
    "Method",
    "ParamRange",
    "Parameter",
    "PointResult",
    "Progress",
    "SobolIndices",
    "SweepResult",
    "apply_point",
    "check_range",
    "connect",
    "grid_points",
    "parse_param",
    "run_points",
    "sobol_indices",
    "sobol_points",
    "sweep",
]
