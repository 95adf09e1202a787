"""Reading YAML with line numbers, and turning validation failures into errors for people.

``read_yaml`` returns plain Python data plus a map from each path (tuple of keys and indices)
to its 1-based line, so that a Pydantic error's ``loc`` can be reported as file, line and field.
Parsing uses libyaml (``CSafeLoader``, ten times faster) where PyYAML has it; a document it cannot read is
parsed again by the pure-Python loader, whose error (and line) is the one reported. It knows nothing about
the CSTO; it must not import the rest of the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from csto.errors import DataError

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """One parsed YAML file: its data and the line of every node, keyed by path."""

    file: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the node at ``path`` or, if it is absent, of its nearest existing parent."""
        p: Path_ = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


class _Loader(yaml.SafeLoader):
    """A safe loader; we only use its scalar resolution and constructors."""


_FastBase: Any = getattr(yaml, "CSafeLoader", None)


class _FastLoader(_FastBase or yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's scanner, parser and composer (same nodes and marks), PyYAML's safe constructors."""


def read_yaml(file: Path, *, display_name: str | None = None) -> YamlDoc:
    """Parse ``file``; a syntax error becomes a ``DataError`` with its line."""
    name = display_name or str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("file not found", file=name, expected="a YAML file") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", file=name, expected="a UTF-8 YAML file") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> YamlDoc:
    """Parse YAML ``text`` (reported as file ``name``) into a ``YamlDoc``.

    The fast path (libyaml) builds the same data and lines; on any failure the pure-Python loader parses
    the text again, so that a bad document is reported exactly as before (message, line and field)."""
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
    data = _build(node, (), lines, loader, name)
    return YamlDoc(Path(name), data, lines)


_MAX_DEPTH = 100  # far deeper than any dataset; also stops an alias that contains itself


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int], loader: Any, name: str) -> Any:
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
            out[key] = _build(value_node, (*path, key), lines, loader, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*path, i), lines, loader, name) for i, child in enumerate(node.value)]
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


def _dotted(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(document)"


dotted = _dotted

_EXPECTED = {
    "missing": "this required field",
    "extra_forbidden": "only the documented fields (check the spelling)",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_type": "a date YYYY-MM-DD",
    "int_parsing": "an integer",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "float_parsing": "a number",
    "float_type": "a number",
    "string_type": "text",
    "literal_error": None,
    "enum": None,
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def validate(model: type[BaseModel], doc: YamlDoc, context: Mapping[str, Any] | None = None) -> Any:
    """Validate ``doc.data`` against ``model``; the first failure becomes a located ``DataError``."""
    try:
        return model.model_validate(doc.data, context=dict(context or {}))
    except ValidationError as exc:
        raise located_error(exc, doc) from None


def located_error(exc: ValidationError, doc: YamlDoc, prefix: Sequence[str | int] = ()) -> DataError:
    """Turn the first error of a ``ValidationError`` into a ``DataError`` with file, line and field."""
    errors = exc.errors(include_url=False)
    err = errors[0]
    loc = [p for p in (*prefix, *err["loc"]) if isinstance(p, (str, int))]
    # Pydantic puts union/tagged member names into loc; drop parts that are not in the document.
    loc = _real_path(doc, loc)
    kind = err["type"]
    msg = str(err["msg"])
    expected = _EXPECTED.get(kind)
    if kind in ("literal_error", "enum"):
        expected = msg.removeprefix("Input should be ")
        msg = f"unexpected value {err.get('input')!r}"
    elif kind == "missing":
        msg = "missing required field"
    elif kind == "extra_forbidden":
        msg = "unknown field"
    elif kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    more = f" ({len(errors) - 1} more problem(s) in this file)" if len(errors) > 1 else ""
    return DataError(
        msg + more,
        file=str(doc.file),
        line=doc.line_of(loc),
        field=_dotted(loc),
        expected=expected,
    )


def _real_path(doc: YamlDoc, loc: list[str | int]) -> list[str | int]:
    out: list[str | int] = []
    node: Any = doc.data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        elif node is None and isinstance(part, str) and out:
            out.append(part)
            break
        # else: a union tag or a function name pydantic added; skip it
    return out
