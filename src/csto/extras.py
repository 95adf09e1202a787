"""The package's optional extras: which importable modules each one brings, and the one-line refusal
(``MissingExtra``, exit code 2) when a command or function needs an extra that is not installed.

Standard library only, and it imports nothing it names: every layer may call ``require_extra``, the CLI
at start-up included. It knows no command; callers say what needs the extra. pyproject.toml's
``[project.optional-dependencies]`` is the other half (tests/packaging checks that the two agree).
"""

from __future__ import annotations

import importlib.util
from typing import Final

from csto.errors import CstoError

# extra -> the top-level modules it brings (import names, not distribution names), in pyproject's order
OWN_MODULES: Final[dict[str, tuple[str, ...]]] = {
    "postgres": ("psycopg",),
    "report": ("matplotlib", "fpdf"),
    "sweep": ("dask", "distributed", "SALib", "pyarrow", "pandas"),
    "web": ("fastapi", "starlette", "uvicorn", "jinja2", "argon2", "itsdangerous", "python_multipart"),
    "calibrate": ("emcee",),
}
# extras that bring others: the room renders the after-action report (PNG charts, PDF)
INCLUDES: Final[dict[str, tuple[str, ...]]] = {"web": ("report",)}
EXTRAS: Final = tuple(OWN_MODULES)


class MissingExtra(CstoError, ImportError):
    """A feature needs an extra that is not installed: names the extra and the command that installs it.

    Also an ``ImportError``, so ``except ImportError`` around an optional feature keeps working.
    """

    def __init__(self, feature: str, extra: str, missing: list[str]) -> None:
        super().__init__(
            f"{feature} needs the {extra} extra ({', '.join(missing)} not installed): "
            f"pip install 'csto[{extra}]'"
        )
        self.feature = feature
        self.extra = extra
        self.missing = missing


def modules_of(extra: str) -> tuple[str, ...]:
    """Every top-level module ``extra`` brings, those of the extras it includes too."""
    if extra not in OWN_MODULES:
        raise ValueError(f"no extra {extra!r} (extras: {', '.join(EXTRAS)})")
    included = [m for inc in INCLUDES.get(extra, ()) for m in modules_of(inc)]
    return OWN_MODULES[extra] + tuple(included)


def missing_modules(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported here (found without importing them)."""
    return [m for m in modules_of(extra) if importlib.util.find_spec(m) is None]


def require_extra(extra: str, feature: str) -> None:
    """Raise ``MissingExtra`` unless every module of ``extra`` is installed; ``feature`` names the caller
    as a person would ("csto serve", "csto.web")."""
    missing = missing_modules(extra)
    if missing:
        raise MissingExtra(feature, extra, missing)


def extra_for_module(name: str) -> str | None:
    """The extra that brings module ``name`` (or its top-level package), or None for the core's own."""
    top = name.partition(".")[0]
    return next((extra for extra, mods in OWN_MODULES.items() if top in mods), None)


def missing_extra_error(name: str, feature: str) -> MissingExtra | None:
    """The ``MissingExtra`` for a failed import of module ``name``, or None if no extra brings it."""
    extra = extra_for_module(name)
    if extra is None:
        return None
    return MissingExtra(feature, extra, missing_modules(extra) or [name.partition(".")[0]])


__all__ = [
    "EXTRAS",
    "INCLUDES",
    "OWN_MODULES",
    "MissingExtra",
    "extra_for_module",
    "missing_extra_error",
    "missing_modules",
    "modules_of",
    "require_extra",
]
