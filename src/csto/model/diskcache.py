"""A cache on disk for what is computed from the data files (a validated dataset, airlift plans).

An entry's key hashes everything its value depends on: the bytes of the data files, csto's version and the
source of the modules that compute it, so a changed file or a changed schema is a different key, never a
stale hit. It lives in ``$CSTO_CACHE_DIR``, else ``$XDG_CACHE_HOME/csto``, else ``~/.cache/csto``;
``CSTO_CACHE=off`` turns it off. A failure to read or write the cache is a miss, never an error.
It computes nothing itself and knows nothing of what it stores.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

FORMAT = "1"  # bump when the layout of the cache changes
KEEP = 32  # entries kept per kind (the most recently written): test runs make many short-lived datasets


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off."""
    if os.environ.get("CSTO_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    if os.environ.get("CSTO_CACHE_DIR"):
        return Path(os.environ["CSTO_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "csto"


def digest(parts: Iterable[str | bytes]) -> str:
    """A hex SHA-256 over ``parts`` (each length-prefixed, so that no two lists of parts collide)."""
    h = hashlib.sha256(FORMAT.encode())
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """The digest of the files' names and bytes (a missing file counts as absent)."""
    parts: list[str | bytes] = []
    for p in sorted(paths):
        parts.append(p.name)
        parts.append(p.read_bytes() if p.is_file() else b"\0absent")
    return digest(parts)


@lru_cache(maxsize=32)
def code_digest(*packages: str) -> str:
    """The digest of csto's version and the source of every module of ``packages`` (dotted names of modules
    or packages under ``csto``): a change of code or schema changes it."""
    # the package is always imported before this module (read from sys.modules: importing csto here would
    # make the model layer depend, for the import contracts, on everything csto re-exports)
    version = str(getattr(sys.modules.get("csto"), "__version__", ""))
    root = Path(__file__).resolve().parents[1]
    files: list[Path] = []
    for name in packages:
        rel = Path(*name.split(".")[1:])
        d = root / rel
        files += sorted(d.rglob("*.py")) if d.is_dir() else [d.with_suffix(".py")]
    return digest([version, *(str(f.relative_to(root)) for f in files), files_digest(files)])


def load(kind: str, key: str) -> bytes | None:
    """The entry ``kind/key``, or None (absent, cache off or unreadable)."""
    d = cache_dir()
    if d is None:
        return None
    try:
        return (d / kind / key).read_bytes()
    except OSError:
        return None


def store(kind: str, key: str, value: bytes) -> None:
    """Write the entry ``kind/key`` atomically (a reader sees the old entry or the whole new one)."""
    d = cache_dir()
    if d is None:
        return
    try:
        target = d / kind
        target.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(value)
        os.replace(tmp, target / key)
        entries = [e for e in target.iterdir() if not e.name.startswith(".")]
        if len(entries) > KEEP:
            entries.sort(key=lambda e: e.stat().st_mtime)
            for old in entries[: len(entries) - KEEP]:
                old.unlink(missing_ok=True)
    except OSError:
        return
