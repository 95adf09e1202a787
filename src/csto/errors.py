"""Errors meant for people: each names the file, the line, the field and what was expected.

The CLI turns any ``CstoError`` into one message and exit code 2 (no traceback unless --debug).
This module must stay free of heavy imports; every layer may raise these errors.
"""

from __future__ import annotations

from pathlib import Path


class CstoError(Exception):
    """A user-facing error with an optional location (file, line, field) and what was expected."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.expected = expected

    def location(self) -> str:
        """``file:line`` (or whichever part is known), for the start of the message."""
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def __str__(self) -> str:
        parts: list[str] = []
        loc = self.location()
        if loc:
            parts.append(loc + ":")
        if self.field:
            parts.append(f"field '{self.field}':")
        parts.append(self.message)
        if self.expected:
            parts.append(f"(expected {self.expected})")
        # One line, whatever the input held: a line break or control character in a key or value is
        # shown escaped (\n, \x07, \u2028), never printed.
        return "".join(
            ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
            for ch in " ".join(parts)
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "error": self.message,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "expected": self.expected,
        }


class DataError(CstoError):
    """A dataset file (package data or a user's --data DIR) is malformed."""


class InputError(CstoError):
    """A command-line argument is malformed (a bad date, an unknown alliance or article)."""


class ScriptError(CstoError):
    """A play script, scenario or other user-supplied input file is malformed."""


class LedgerError(CstoError):
    """The ledger could not be opened, read or written (including optimistic-concurrency conflicts)."""
