"""Requirements resolved against the installed distributions (the project venv): what a set of requirements
pulls in, with the extras asked of each. Shared by the packaging tests; offline, nothing is downloaded.
"""

from __future__ import annotations

import importlib.metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def closure(reqs: list[Requirement]) -> dict[str, importlib.metadata.Distribution]:
    """Every distribution ``reqs`` pull in, as installed here (with the extras asked of each, e.g.
    ``psycopg[binary]``), by canonical name."""
    found: dict[str, importlib.metadata.Distribution] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = list(reqs)
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        dist = found.setdefault(name, importlib.metadata.distribution(req.name))
        envs = [{"extra": e} for e in ("", *req.extras)]
        for line in dist.requires or []:
            sub = Requirement(line)
            if sub.marker is None or any(sub.marker.evaluate(env) for env in envs):
                todo.append(sub)
    return found
