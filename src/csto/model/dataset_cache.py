"""The validated dataset, kept on disk between runs: a command that reads it starts without parsing YAML.

An entry is the pickled ``Dataset`` built from a directory, keyed by the bytes of its YAML files, the
directory, csto's version and the source of ``csto.model`` (the schema): an edited file or a changed model
is a different key, never stale data. A miss builds the dataset as always (the line-tracking loader, the
validation with file, line and field), so bad input is reported exactly as without the cache; only a
dataset that validated is stored. ``CSTO_CACHE=off`` turns it off (see ``csto.model.diskcache``).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from csto.model import diskcache

D = TypeVar("D")


def key_for(directory: str, display: str) -> str:
    """The cache key of the dataset in ``directory`` as it is now."""
    data = diskcache.files_digest(Path(directory).glob("*.yaml"))
    code = diskcache.code_digest("csto.model", "csto.errors")
    return diskcache.digest([code, data, directory, display])


def cached(directory: str, display: str, build: Callable[[], D]) -> D:
    """The dataset of ``directory``: from the cache when its key is there, else ``build()`` (then stored)."""
    if diskcache.cache_dir() is None:
        return build()
    key = key_for(directory, display)
    raw = diskcache.load("datasets", key)
    if raw is not None:
        try:
            value: D = pickle.loads(raw)
            return value
        except Exception:  # a damaged or foreign entry is a miss
            pass
    value = build()
    diskcache.store("datasets", key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value
