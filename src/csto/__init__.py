"""csto: the Collective Security Treaty Organization as code.

The package root only re-exports the public entry points (``load``) lazily, so that
``import csto`` and ``csto --help`` stay fast. It must not import heavy libraries. ``__version__`` is the
one statement of the version: pyproject.toml reads it (setuptools' dynamic version), ``csto --version``
prints it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from csto.crisis import backtest
    from csto.model import Alliance, load

__all__ = ["Alliance", "__version__", "backtest", "load"]


def __getattr__(name: str) -> Any:
    if name in ("load", "Alliance"):
        from csto import model

        return getattr(model, name)
    if name == "backtest":
        from csto import crisis

        return crisis.backtest
    if name == "crisis":
        import importlib

        return importlib.import_module("csto.crisis")
    raise AttributeError(name)
