"""The calibrated posterior of the decision model: draws of the factor weights and the thresholds, fitted by
``csto calibrate`` to the calibration set, with their provenance (episodes, seed, date, diagnostics).

It reads, checks and writes the posterior file and turns one draw into policy parameters. It fits nothing
(``csto.sim.calibrate`` does) and holds no member profile: profiles are data, never fitted.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from csto.errors import DataError
from csto.policy.params import FACTORS, PolicyParams

#: The fitted parameters, in a draw's order: each factor's mean weight, then the two thresholds.
THRESHOLDS = ("threshold.support", "threshold.object")
FORMAT = "csto-posterior/1"


def parameter_names(factors: tuple[str, ...] = FACTORS) -> tuple[str, ...]:
    return (*(f"weight.{f}" for f in factors), *THRESHOLDS)


@dataclass(frozen=True)
class Posterior:
    """Draws of the fitted parameters (rows, in ``parameter_names()``'s order) with their provenance."""

    draws: np.ndarray
    summary: dict[str, dict[str, float]]
    provenance: dict[str, Any]
    path: str = ""
    names: tuple[str, ...] = field(default_factory=parameter_names)

    @property
    def size(self) -> int:
        return int(self.draws.shape[0])

    def params(self, base: PolicyParams, k: int) -> PolicyParams:
        """``base`` with draw ``k``'s weights (as the weights' means) and thresholds."""
        return params_at(base, self.draws[k % self.size])

    def mean_params(self, base: PolicyParams) -> PolicyParams:
        """``base`` with the posterior mean of every parameter (the central run's parameters)."""
        return params_at(base, self.draws.mean(axis=0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "parameters": list(self.names),
            "summary": self.summary,
            "provenance": self.provenance,
            "draws": [[round(float(x), 6) for x in row] for row in self.draws],
        }


def params_at(base: PolicyParams, theta: np.ndarray) -> PolicyParams:
    """``base`` with the weights' means and the thresholds of ``theta`` (``parameter_names()``'s order); the
    weights' spreads across trials, the noise and every member profile stay as in the data."""
    nf = len(FACTORS)
    weights = tuple(
        w.model_copy(update={"weight": max(0.0, float(theta[FACTORS.index(w.factor)]))}) for w in base.weights
    )
    th = base.thresholds.model_copy(update={"support": float(theta[nf]), "object": float(theta[nf + 1])})
    return base.model_copy(update={"weights": weights, "thresholds": th})


def bundled_posterior_path() -> Path:
    """Where the package's posterior lives (shared by both alliances: one model of how members decide)."""
    return Path(__file__).resolve().parent.parent / "data" / "posterior.json"


def load_posterior(path: str | Path | None = None) -> Posterior | None:
    """The posterior at ``path`` (the bundled one by default; None when there is no bundled file). A file
    whose factors are not the policy's is refused, naming each missing or extra factor."""
    p = Path(path) if path is not None else bundled_posterior_path()
    if path is None and not p.is_file():
        return None
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("no such posterior file", file=str(p), line=1, field="(file)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise DataError(f"not a posterior file: {exc}", file=str(p), line=line, field="(document)") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DataError(
            "not a csto posterior", file=str(p), line=1, field="format", expected=f"format: {FORMAT}"
        )
    names = tuple(doc.get("parameters") or ())
    want = parameter_names()
    missing = [n for n in want if n not in names]
    extra = [n for n in names if n not in want]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(n.split(".", 1)[1] for n in missing))
        if extra:
            parts.append("extra " + ", ".join(n.split(".", 1)[-1] for n in extra))
        raise DataError(
            "the posterior does not match the policy's factors: " + "; ".join(parts),
            file=str(p),
            line=1,
            field="parameters",
            expected="one weight per factor of policy.yaml and the two thresholds (run csto calibrate again)",
        )
    try:
        draws = np.array(doc["draws"], dtype=np.float64)
    except (KeyError, TypeError, ValueError):
        raise DataError("draws must be rows of numbers", file=str(p), line=1, field="draws") from None
    if draws.ndim != 2 or draws.shape[1] != len(names) or draws.shape[0] < 1:
        raise DataError(f"draws must be rows of {len(names)} numbers", file=str(p), line=1, field="draws")
    order = [names.index(n) for n in want]
    return Posterior(
        draws[:, order], dict(doc.get("summary") or {}), dict(doc.get("provenance") or {}), str(p), want
    )


def save_posterior(post: Posterior, path: str | Path) -> Path:
    """Write ``post`` to ``path`` atomically (a partial file is never left behind)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".posterior-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(post.to_dict(), fh, indent=1)
            fh.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would make it (mkstemp makes it private)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def calibrated_policy(dataset: Any) -> PolicyParams:
    """The dataset's policy with the bundled posterior's mean weights and thresholds (the policy's own values
    where no posterior is bundled): what the room's model seats and a central run play with."""
    from csto.policy.model import load_policy

    base = load_policy(dataset)
    post = load_posterior()
    return post.mean_params(base) if post is not None else base
