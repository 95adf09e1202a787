"""What a sweep gives back: the odds at each point (``PointResult``) and the whole sweep (``SweepResult``), as
JSON-ready dicts, a pandas frame or a Parquet file.

Records only: nothing here runs a point or computes an index.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csto.extras import require_extra
from csto.model import RESPONSE_LADDER
from csto.sim.sweep.parameters import ParamRange
from csto.sim.sweep.sensitivity import SobolIndices


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
        require_extra("sweep", "SweepResult.to_frame()")
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
