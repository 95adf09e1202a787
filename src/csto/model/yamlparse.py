"""Parsing YAML text into a ``YamlDoc`` (data and the line of every node), for ``csto.model.yamlio``.

Parsing uses libyaml (``CSafeLoader``, ten times faster) where PyYAML has it; a document it cannot read is
parsed again by the pure-Python loader, whose error (and line) is the one reported. Kept apart from
``yamlio`` so that PyYAML is imported only when a file is parsed. It must not import the rest of the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from csto.errors import DataError
from csto.model.yamlio import MAX_TEXT, Path_, YamlDoc
from csto.model.yamlio import dotted as _dotted


class _Loader(yaml.SafeLoader):
    """A safe loader; we only use its scalar resolution and constructors."""


_FastBase: Any = getattr(yaml, "CSafeLoader", None)


class _FastLoader(_FastBase or yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's scanner, parser and composer (same nodes and marks), PyYAML's safe constructors."""


def parse_yaml(text: str, name: str) -> YamlDoc:
    """Parse YAML ``text`` (reported as file ``name``) into a ``YamlDoc``.

    The fast path (libyaml) builds the same data and lines; on any failure the pure-Python loader parses
    the text again, so that a bad document is reported exactly as before (message, line and field).
    A text longer than ``MAX_CHARS`` is refused before it is parsed."""
    if len(text) > MAX_CHARS:
        raise DataError(
            f"the document has {len(text):,} characters, more than the {MAX_CHARS:,} a YAML input may have",
            file=name,
            expected="a smaller file",
        )
    if _FastBase is not None:
        try:
            return _parse(text, name, _FastLoader)
        except (DataError, yaml.YAMLError, RecursionError, ValueError, TypeError):
            pass  # fall through: the pure-Python loader names the problem
    return _parse(text, name, _Loader)


def _parse(text: str, name: str, cls: type[Any]) -> YamlDoc:
    loader: Any = None
    try:
        loader = cls(text)  # the reader rejects characters YAML does not allow here already
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise DataError(
            f"YAML syntax error: {exc.problem or exc.context}", file=name, line=line, expected="valid YAML"
        ) from None
    except yaml.reader.ReaderError as exc:
        raise DataError(
            f"YAML error: unacceptable character #x{exc.character:04x} ({exc.reason})"
            if isinstance(exc.character, int)
            else f"YAML error: {exc.reason}",
            file=name,
            line=text.count("\n", 0, max(exc.position, 0)) + 1,
            expected="valid YAML (printable characters only)",
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(f"YAML error: {str(exc).splitlines()[0]}", file=name, expected="valid YAML") from None
    except RecursionError:
        line = loader.get_mark().line + 1 if loader is not None else None
        raise DataError(
            "YAML syntax error: nested too deeply", file=name, line=line, expected="valid YAML"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[Path_, int] = {}
    if node is None:
        return YamlDoc(Path(name), None, {(): 1})
    data = _build(node, (), lines, loader, _Budget(name))
    return YamlDoc(Path(name), data, lines)


_MAX_DEPTH = 100  # far deeper than any dataset; also stops an alias that contains itself
#: The longest YAML text read (the largest bundled data file is about 140 kB).
MAX_CHARS = MAX_TEXT
#: How many times a document may use an alias (a node already built), and how many values it may build in
#: all with the aliases expanded: an alias bomb (aliases of aliases, each expanding tenfold) stops here.
MAX_ALIASES = 10_000
MAX_NODES = 1_000_000


class _Budget:
    """What one document has spent building its data: the file's name, the nodes seen, aliases and values."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: set[int] = set()
        self.aliases = 0
        self.nodes = 0

    def spend(self, node: yaml.Node, path: Path_) -> None:
        """Count ``node``; a ``DataError`` (with its line) when the document uses too many aliases or values."""
        self.nodes += 1
        if id(node) in self.seen:
            self.aliases += 1
        else:
            self.seen.add(id(node))
        if self.aliases > MAX_ALIASES or self.nodes > MAX_NODES:
            what = (
                f"more than {MAX_ALIASES:,} alias uses"
                if self.aliases > MAX_ALIASES
                else (f"more than {MAX_NODES:,} values with its aliases expanded")
            )
            raise DataError(
                f"the document has {what} (an alias bomb?)",
                file=self.name,
                line=node.start_mark.line + 1,
                field=_dotted(path[:4]) + ("..." if len(path) > 4 else ""),
                expected="fewer aliases (&anchor / *alias)",
            )


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int], loader: Any, budget: _Budget) -> Any:
    name = budget.name
    budget.spend(node, path)
    lines[path] = node.start_mark.line + 1
    if len(path) > _MAX_DEPTH:
        raise DataError(
            f"nested more than {_MAX_DEPTH} levels deep (or an alias that contains itself)",
            file=name,
            line=node.start_mark.line + 1,
            field=_dotted(path[:4]) + "...",
            expected="a shallower document",
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DataError(
                    "YAML merge keys (<<) are not supported",
                    file=name,
                    line=key_node.start_mark.line + 1,
                    expected="plain mappings",
                )
            key = _construct(key_node, path, loader, name)
            if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
                raise DataError(
                    "mapping keys must be plain text",
                    file=name,
                    line=key_node.start_mark.line + 1,
                    expected="a text key",
                )
            key = str(key)
            if key in out:
                raise DataError(
                    f"duplicate key '{key}'",
                    file=name,
                    line=key_node.start_mark.line + 1,
                    field=_dotted((*path, key)),
                    expected="each key once per mapping",
                )
            out[key] = _build(value_node, (*path, key), lines, loader, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*path, i), lines, loader, budget) for i, child in enumerate(node.value)]
    return _construct(node, path, loader, name)


def _construct(node: yaml.Node, path: Path_, loader: Any, name: str) -> Any:
    """A scalar's value (or a key's); a value YAML cannot build is a located ``DataError``."""
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's constructors raise more than YAMLError for a bad explicit tag (!!timestamp 'x');
        # the message stays on one line (a MarkedYAMLError's text quotes the source over several).
        if isinstance(exc, (TypeError, AttributeError)):
            text = f"not a valid {node.tag}"
        elif isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
            text = exc.problem
        else:
            text = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise DataError(
            f"cannot read value: {text}", file=name, line=node.start_mark.line + 1, field=_dotted(path)
        ) from None


__all__ = ["parse_yaml"]
