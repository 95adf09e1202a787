"""Reading YAML with line numbers, and turning validation failures into errors for people.

``read_yaml`` returns plain Python data plus a map from each path (tuple of keys and indices)
to its 1-based line, so that a Pydantic error's ``loc`` can be reported as file, line and field. The
parsing itself is ``csto.model.yamlparse``'s, imported on first use (with PyYAML). It knows nothing about
the CSTO; it must not import the rest of the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from csto.errors import DataError

Path_ = tuple[str | int, ...]
#: The longest YAML text read, in characters (``yamlparse`` refuses a longer text; kept here so that a
#: file's size can be checked before PyYAML is imported).
MAX_TEXT = 8 * 1024 * 1024


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


def read_yaml(file: Path, *, display_name: str | None = None) -> YamlDoc:
    """Parse ``file``; a syntax error becomes a ``DataError`` with its line, and so does a path that is not a
    readable file or a file larger than ``yamlparse.MAX_CHARS`` allows (checked before it is read)."""
    name = display_name or str(file)
    try:
        if file.is_dir():
            raise DataError("is a directory", file=name, expected="a YAML file")
        if file.stat().st_size > 4 * MAX_TEXT:  # 4 bytes per character at most in UTF-8
            raise DataError(
                f"the file has {file.stat().st_size:,} bytes, too large for a YAML input",
                file=name,
                expected=f"a file of at most {MAX_TEXT:,} characters",
            )
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("file not found", file=name, expected="a YAML file") from None
    except OSError as exc:
        raise DataError(
            f"cannot read the file ({exc.strerror or type(exc).__name__})",
            file=name,
            expected="a readable YAML file",
        ) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", file=name, expected="a UTF-8 YAML file") from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> YamlDoc:
    """Parse YAML ``text`` (reported as file ``name``) into a ``YamlDoc`` (see ``csto.model.yamlparse``).

    PyYAML is imported on the first parse: a command served from the dataset cache never needs it."""
    from csto.model.yamlparse import parse_yaml as parse

    return parse(text, name)


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
