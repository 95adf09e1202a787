"""Fuzz the three kinds of user input file with Hypothesis: scenario files, data files and play scripts.

Issue: "hypothesis-generated scenario files, data files and play scripts: 0 tracebacks, 0 server errors,
and every rejection names its field".

Seeds: every valid input shipped with the project (the bundled scenarios, every file of the bundled dataset,
the example play scripts), plus synthetic seeds for parts no shipped file uses (a scenario with
``force_size`` and one inject of each kind; a script with a ``config:`` block; a script with float,
mapping and JSON parameters: a budget and an exercise). Each example takes one
seed and mutates it:

* structurally (60 %), one or two mutations at paths picked by walking the parsed document, so that they
  hit real fields at every depth: delete a key or list item; replace a value with a generated value of any
  type (text with unicode and control characters, huge and negative integers, floats with nan/inf, None,
  booleans, lists, nested mappings, dates and date-times at the ends of their range, malformed date and
  offset strings); ``tweak`` it to an edge value of its own type (year 1 / 9999, 10**300, -x, inf, a
  50-fold string, a 30-fold list); wrap it in a list; insert an unknown or near-miss key; duplicate a list
  item; or put a raw YAML snippet in its place (``[[[...]]]`` / ``{a: {a: ...}}`` up to 3000 deep, a
  4000-digit integer, ``!!python/...`` tags, an undefined or self-containing alias, a bad explicit tag such
  as ``!!timestamp 'x'``, an impossible date, sexagesimal and octal literals, a complex key);
* as text (40 %): truncate it anywhere, inject broken YAML at a line (unclosed brackets, tabs, merge keys,
  directives, reserved characters, NUL...), repeat a line (a duplicate key), tab-indent a line, insert a
  control character, several documents, an empty / blank / comment-only file, random bytes, a Latin-1
  byte, BOM + CRLF, a document nested thousands deep, a document that is a scalar or a list.

Each mutated file runs through the CLI in-process (``csto.cli.main``, as ``tests/cli`` does):

* scenario: ``csto crisis run FILE --trials 20``;
* data file (one mutated file in a fresh copy of the dataset): ``csto info --data DIR --at 2022-01-05``
  and, if that is accepted, ``csto crisis run kazakhstan-2022 --data DIR --trials 20`` (which also reads
  ``policy.yaml``, ``policy_members.yaml``, ``logistics.yaml`` and the scenario);
* play script: ``csto play FILE --db NEW.db``, then ``csto ledger verify`` on the ledger if there is one.

The checks, for every run:

* no traceback and no "internal error" anywhere in the output; the exit code is 0 (accepted) or 2
  (rejected). ``csto play`` may also exit 1, but only for its documented reason: a step the engine refused
  that the script did not mark ``expect: refused`` (or the reverse), which its summary line says ("... not
  as the script expected");
* a rejection is one line starting ``error: `` (``CstoError.__str__``: ``FILE:LINE: field 'PATH': message
  (expected ...)``), and names where the problem is. The rule per kind of error:

  - YAML that does not parse (syntax, a character YAML does not allow, several documents, nesting too deep
    for the parser, merge keys, a key that is not text): ``FILE:LINE: YAML ...`` — file and line; there is
    no field yet;
  - a file that is not UTF-8: ``FILE: not UTF-8 text ...`` — the file (the decoder gives no line);
  - everything else (wrong type, missing or unknown field, bad value, a value YAML cannot build, a
    duplicate key, a dangling reference, an empty file, a document that is not a mapping): ``FILE:LINE:
    field 'PATH': ...`` — file, line and field, where FILE is one of the input's files (a dangling reference
    may be reported in the file that holds it) and PATH exists in that file (for a missing field, its
    parent does; ``(document)`` is the whole file);
  - data only: an error that only shows when the data is cut to the ``--at`` date may name the option
    instead (``field '--at'``, e.g. an alliance founded after 2022-01-05);
  - play: an error the engine raises for a step while the script runs (not a refusal; e.g. a step in a
    case whose opening step was refused) is located at that step: ``FILE:LINE: field 'steps[i].case'``
    (``test_an_engine_error_during_play_names_the_step`` pins one);
* nothing half-written: no run writes into the example's folder (scenario) or the ``--data`` directory;
  for ``play``, the ledger is either absent (a script is checked whole before the ledger is opened) or
  ``csto ledger verify`` says its chain is intact — also after an accepted or mismatched run.

Generation is derandomized (a fixed seed per test) with no example database, so runs are reproducible; a
failure prints the mutation and the CLI's output. To keep data-file examples cheap, the unmutated dataset
files are parsed once and handed out again (deep copies) by a stand-in for ``read_yaml`` keyed by the
file's bytes; a mutated file always goes through the real parser. Per input kind the counts (examples,
accepted, rejected, play's exit-1 mismatches, rejections by rule, mutations used, seconds) are written to
``tests/reliability/.figures/fuzz-inputs.json``.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import json
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csto.errors import CstoError
from csto.model.alliance import package_data_root
from csto.model.yamlio import YamlDoc, dotted, parse_yaml
from csto.model.yamlio import read_yaml as real_read_yaml
from tests.cli.conftest import Result, cli

__all__ = ["cli"]

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
DATA = package_data_root() / "csto"
SCENARIOS = sorted((DATA / "scenarios").glob("*.yaml"))
SCRIPTS = sorted((ROOT / "examples").glob("*.yaml"))
DATA_FILES = sorted(DATA.glob("*.yaml"))
FIGURES = Path(__file__).resolve().parent / ".figures" / "fuzz-inputs.json"

AT = "2022-01-05"
TRIALS = "20"
DATA_SCENARIO = "kazakhstan-2022"

MAX_EXAMPLES = {"scenario": 150, "data": 60, "script": 150}


def fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=MAX_EXAMPLES[kind],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# ---------------------------------------------------------------------------------------------- documents
@dataclass(frozen=True, repr=False)
class Base:
    """One valid input file: its text, its parsed data and every path into it."""

    name: str
    text: str
    data: Any
    paths: tuple[tuple[str | int, ...], ...]

    def __repr__(self) -> str:
        return f"Base({self.name!r})"


def walk(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, (*path, i))


def load_base(path: Path) -> Base:
    text = path.read_text(encoding="utf-8")
    data = parse_yaml(text, path.name).data
    return Base(path.name, text, data, tuple(p for p, _ in walk(data)))


def synthetic(name: str, text: str) -> Base:
    data = parse_yaml(text, name).data
    return Base(name, text, data, tuple(p for p, _ in walk(data)))


#: Optional parts that no shipped file uses, so that mutations reach them too (both run as they are).
EXTRA_SCENARIO = synthetic(
    "kazakhstan-2022-injects.yaml",
    (DATA / "scenarios" / "kazakhstan-2022.yaml").read_text(encoding="utf-8")
    + """force_size: 2500
injects:
  - {t_hours: 2, kind: note, text: a note}
  - {t_hours: 3, kind: intensity, text: escalation, value: 0.8}
  - {t_hours: 4, kind: framing, text: reframed, value: an armed attack from abroad}
  - {t_hours: 500, kind: request_withdrawn, text: the request is withdrawn}
""",
)
EXTRA_SCRIPT = synthetic(
    "uzbekistan-2012-config.yaml",
    (ROOT / "examples" / "uzbekistan-2012-suspension.yaml").read_text(encoding="utf-8")
    + """config:
  withdrawal_notice_months: 6
  unilateral_withdrawal_allowed: true
  absent_counts_as_stand_aside: true
  quorum_fraction: 0.5
  frozen_members_consent_to_bases: true
  settle_arrears_before_withdrawal: true
""",
)
SCENARIO_BASES = [*(load_base(p) for p in SCENARIOS), EXTRA_SCENARIO]
EXTRA_BUDGET = synthetic(
    "budget-and-exercise.yaml",
    """title: a budget with float and mapping parameters, and an exercise with JSON parameters
start: 2025-01-10T09:00:00
steps:
  - {actor: secretariat, action: propose_budget, case: b25, year: 2025, total: 1000000.5,
     shares: {RUS: 50, KAZ: 15, BLR: 10, ARM: 10, KGZ: 7.5, TJK: 7.5}}
  - {actor: control, action: open_exercise, case: ex1, title: t, scenario: kazakhstan-2022, seed: 3}
  - {actor: joint_staff, action: plan_arrivals, case: ex1,
     schedule: [["2025-01-11T10:00:00+00:00", RUS, 100], ["2025-01-11T12:00:00+00:00", BLR, 50]]}
  - {actor: control, action: advance_clock, case: ex1, hours: 2.5}
""",
)
SCRIPT_BASES = [*(load_base(p) for p in SCRIPTS), EXTRA_SCRIPT, EXTRA_BUDGET]
DATA_BASES = [load_base(p) for p in DATA_FILES]
SEEDS = {"scenario": SCENARIO_BASES, "data": DATA_BASES, "script": SCRIPT_BASES}
COMMANDS = {
    "scenario": f"csto crisis run FILE --trials {TRIALS}",
    "data": f"csto info --data DIR --at {AT}; if 0: csto crisis run {DATA_SCENARIO} --data DIR --trials {TRIALS}",
    "script": "csto play FILE --db NEW.db; csto ledger verify --db NEW.db if it exists",
}


class _Dumper(yaml.SafeDumper):
    """Block style throughout, so that a raw snippet can stand in any value's place."""


def dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1 << 20
    )


# ---------------------------------------------------------------------------------------------- values
EDGE_INTS = [0, -1, 1, 10**20, -(10**20), 2**31, -(2**31), 2**63, -(2**63) - 1, 10**30, -(10**30), 10**300]
EDGE_FLOATS = [float("nan"), float("inf"), float("-inf"), -0.0, 1e308, -1e308, 5e-324, 0.5, -0.5, 2.0]
EDGE_TEXT = [
    "",
    " ",
    "\t",
    "\n",
    "KAZ",
    "RUS",
    "XYZ",
    "kazakhstan-2022",
    "art4",
    "none",
    "csto",
    "2022-02-30",
    "2022-13-01",
    "0000-00-00",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00",
    "2022-01-05T25:00:00",
    "+99:00",
    "-24:00",
    "+06:99",
    "+99999999999999999999",
    "+14:00",
    "Z",
    "1500000000",
    "nan",
    "1e999",
    "yes",
    "null",
    "x" * 5000,
    "\x00\x07\x1b[31m",
    "\u202e\u200b\ufeff",
    "Ünïcødé — 中文 🙂",
    "line one\nline two",
]
EDGE_DATES: list[Any] = [
    dt.date.min,
    dt.date.max,
    dt.date(1900, 1, 1),
    dt.date(2100, 1, 1),
    dt.datetime.min,
    dt.datetime.max,
    dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC),
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(EDGE_INTS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(EDGE_FLOATS),
    st.text(max_size=40),
    st.sampled_from(EDGE_TEXT),
    st.dates(),
    st.datetimes(),
    st.sampled_from(EDGE_DATES),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=12), children, max_size=4),
    ),
    max_leaves=8,
)


def same_type(value: Any) -> st.SearchStrategy[Any]:
    """A value of the same type as ``value``, mostly from the edge of its range."""
    if isinstance(value, bool):
        return st.sampled_from([not value, value])
    if isinstance(value, int):
        return st.one_of(st.sampled_from(EDGE_INTS), st.integers(), st.just(-value))
    if isinstance(value, float):
        return st.one_of(st.sampled_from(EDGE_FLOATS), st.floats(), st.just(-value))
    if isinstance(value, dt.date):  # and dt.datetime
        kind = type(value)
        shifted = [
            value + dt.timedelta(days=d) for d in (-365 * 40, 365 * 40) if 1 < value.year + d / 365 < 9999
        ]
        return st.one_of(
            st.sampled_from([d for d in EDGE_DATES if type(d) is kind] + shifted),
            st.datetimes() if kind is dt.datetime else st.dates(),
        )
    if isinstance(value, str):
        return st.one_of(st.sampled_from(EDGE_TEXT), st.text(max_size=20), st.just(value * 50))
    if isinstance(value, list):
        return st.one_of(st.just([]), st.just(value * 30), st.just(value[::-1]))
    if isinstance(value, dict):
        return st.just({})
    return values


#: Raw YAML that stands in a value's place (things the dumper cannot or would not write).
RAW_SNIPPETS: list[Callable[[int], str]] = [
    lambda n: "[" * n + "]" * n,
    lambda n: "{a: " * n + "1" + "}" * n,
    lambda n: "9" * (4000 + n),
    lambda n: "-" + "9" * (4000 + n),
    lambda n: "!!python/object/apply:os.system ['true']",
    lambda n: "!!python/name:os.system",
    lambda n: "*undefined_alias",
    lambda n: "&anchor [1, *anchor]",
    lambda n: "!!binary 'AAAA'",
    lambda n: "!!timestamp 'not a time'",
    lambda n: "!!float 'x'",
    lambda n: "!!int '0xZZ'",
    lambda n: "!!set {a, b}",
    lambda n: "!!omap [{a: 1}, {b: 2}]",
    lambda n: "!local 1",
    lambda n: "2022-02-30",
    lambda n: "2022-01-05T25:61:00",
    lambda n: "99999-01-01",
    lambda n: "12:30:45",
    lambda n: "0o17",
    lambda n: "0x_1F",
    lambda n: "1_000_000",
    lambda n: ".nan",
    lambda n: "-.inf",
    lambda n: "~",
    lambda n: "'unterminated",
    lambda n: '"bad escape \\q"',
    lambda n: "{? [a, b]: c}",
    lambda n: "[a, b, ]",
]
DEPTHS = st.sampled_from([1, 2, 10, 50, 200, 400, 1000, 3000])

#: Broken YAML injected at the start of a line.
INVALID_SNIPPETS = [
    "key: [unclosed",
    "key: {unclosed",
    ": : :",
    "- - - :",
    "\tindented: with a tab",
    "  bad:\n indentation: here",
    "&a *b",
    "<<: *nothing",
    "<<: {x: 1}",
    "? [complex, key]\n: value",
    "%YAML 9.9",
    "---\n---",
    "...",
    "'unterminated",
    '"unterminated',
    "key: 'a' 'b'",
    "@reserved",
    "`reserved",
    "!!python/object:os.system {}",
    "key: !!python/name:os.system",
    "}",
    "]",
    "|\n  literal at top",
    "key: |\nnot indented",
    "key: >-2\n x",
    "\x00",
    "\x07bell",
    "\ud7ff\ufffe",
]


# ---------------------------------------------------------------------------------------------- mutations
@dataclass(repr=False)
class Mutation:
    """A mutated file: what was done (for the counts and the failure message) and its bytes."""

    base: str
    ops: list[str]
    content: bytes
    written_to: Path | None = None  # kept in pytest's tmp folder: the file to reproduce a failure with

    def describe(self) -> str:
        return f"{self.base}: {'; '.join(self.ops)} (file: {self.written_to})"

    def write(self, path: Path) -> Path:
        path.write_bytes(self.content)
        self.written_to = path
        return path

    def __repr__(self) -> str:
        return f"Mutation({self.describe()!r}, {len(self.content)} bytes)"


def get(data: Any, path: tuple[str | int, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _structural(draw: st.DrawFn, base: Base) -> Mutation:
    data = copy.deepcopy(base.data)
    raws: dict[str, str] = {}
    ops: list[str] = []
    for _ in range(draw(st.integers(1, 2))):
        paths = [p for p, _ in walk(data)]
        op = draw(
            st.sampled_from(
                [
                    "delete",
                    "replace",
                    "replace",
                    "tweak",
                    "tweak",
                    "raw",
                    "insert_key",
                    "dup_item",
                    "wrap_list",
                ]
            )
        )
        if op == "delete":
            candidates = [p for p in paths if p]
            if not candidates:
                continue
            path = draw(st.sampled_from(candidates))
            del get(data, path[:-1])[path[-1]]
            ops.append(f"delete {dotted(path)}")
        elif op in ("replace", "tweak", "raw", "wrap_list"):
            path = draw(st.sampled_from(paths))
            if op == "replace":
                new: Any = draw(values)
                ops.append(f"replace {dotted(path)} with {new!r:.80}")
            elif op == "tweak":
                new = draw(same_type(get(data, path)))
                ops.append(f"tweak {dotted(path)} to {new!r:.80}")
            elif op == "raw":
                snippet = draw(st.sampled_from(RAW_SNIPPETS))(draw(DEPTHS))
                new = f"FUZZRAW{len(raws)}X"
                raws[new] = snippet
                ops.append(f"raw {dotted(path)} := {snippet!r:.80}")
            else:
                new = [get(data, path)]
                ops.append(f"wrap_list {dotted(path)}")
            if path:
                get(data, path[:-1])[path[-1]] = new
            else:
                data = new
        elif op == "insert_key":
            dicts = [p for p in paths if isinstance(get(data, p), dict)]
            if not dicts:
                continue
            path = draw(st.sampled_from(dicts))
            node = get(data, path)
            near = [k + suffix for k in node for suffix in ("_", "s", "x")]
            key = draw(st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(near or ["unknown"])))
            node[key] = draw(values)
            ops.append(f"insert_key {dotted((*path, key))}")
        elif op == "dup_item":
            lists = [p for p in paths if isinstance(get(data, p), list) and get(data, p)]
            if not lists:
                continue
            path = draw(st.sampled_from(lists))
            node = get(data, path)
            i = draw(st.integers(0, len(node) - 1))
            node.insert(i, copy.deepcopy(node[i]))
            ops.append(f"dup_item {dotted((*path, i))}")
    text = dump(data)
    for marker, snippet in raws.items():
        text = text.replace(marker, snippet)
    return Mutation(base.name, ops or ["redump (no change)"], text.encode("utf-8", "surrogatepass"))


def _textual(draw: st.DrawFn, base: Base) -> Mutation:
    text = base.text
    lines = text.splitlines(keepends=True)
    op = draw(
        st.sampled_from(
            [
                "truncate",
                "inject",
                "inject",
                "dup_line",
                "tab_indent",
                "control_char",
                "multi_doc",
                "empty",
                "blank",
                "comment_only",
                "binary",
                "latin1",
                "bom_crlf",
                "deep_doc",
                "scalar_doc",
            ]
        )
    )
    detail = op
    if op == "truncate":
        cut = draw(st.integers(0, len(text)))
        new = text[:cut]
        detail = f"truncate at char {cut}"
    elif op == "inject":
        at = draw(st.integers(0, len(lines)))
        snippet = draw(st.sampled_from(INVALID_SNIPPETS))
        new = "".join([*lines[:at], snippet + "\n", *lines[at:]])
        detail = f"inject {snippet!r} before line {at + 1}"
    elif op == "dup_line":
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        new = "".join([*lines[: at + 1], *lines[at:]])
        detail = f"dup_line {at + 1}"
    elif op == "tab_indent":
        indented = [i for i, ln in enumerate(lines) if ln.startswith(" ")] or [0]
        at = draw(st.sampled_from(indented))
        lines = list(lines)
        lines[at] = "\t" + lines[at].lstrip(" ")
        new = "".join(lines)
        detail = f"tab_indent line {at + 1}"
    elif op == "control_char":
        at = draw(st.integers(0, len(text)))
        ch = draw(st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x7f", "\ufffe", "\x85", "\u2028"]))
        new = text[:at] + ch + text[at:]
        detail = f"control_char {ch!r} at char {at}"
    elif op == "multi_doc":
        new = text + "\n---\n" + text
    elif op == "empty":
        new = ""
    elif op == "blank":
        new = "   \n\n  \n"
    elif op == "comment_only":
        new = "# nothing but a comment\n"
    elif op == "binary":
        raw = draw(st.binary(min_size=1, max_size=300))
        prefix = text[: draw(st.integers(0, min(len(text), 2000)))].encode()
        detail = f"binary: {len(raw)} bytes after {len(prefix)} bytes of the file"
        return Mutation(base.name, [detail], prefix + b"\xff" + raw)
    elif op == "latin1":
        at = draw(st.integers(0, len(text)))
        raw = (text[:at] + "é").encode("latin-1", "replace") + text[at:].encode()
        return Mutation(base.name, [f"latin1 byte at char {at}"], raw)
    elif op == "bom_crlf":
        new = "\ufeff" + text.replace("\n", "\r\n")
    elif op == "deep_doc":
        n = draw(DEPTHS)
        new = draw(st.sampled_from(["[" * n + "]" * n, "{a: " * n + "1" + "}" * n, "- " * n + "x"]))
        detail = f"deep_doc nested {n} deep"
    else:
        new = draw(st.sampled_from(["just text\n", "42\n", "- a\n- b\n", "null\n", "[]\n", "{}\n"]))
        detail = f"scalar_doc {new.strip()!r}"
    return Mutation(base.name, [detail], new.encode("utf-8", "surrogatepass"))


@st.composite
def mutations(draw: st.DrawFn, bases: list[Base]) -> Mutation:
    base = draw(st.sampled_from(bases))
    if draw(st.integers(0, 9)) < 6:
        return _structural(draw, base)
    return _textual(draw, base)


# ---------------------------------------------------------------------------------------------- checks
MESSAGE = re.compile(
    r"^error: (?P<file>\S+?\.ya?ml)(?::(?P<line>\d+))?: (?:field '(?P<field>.*?)': )?(?P<msg>.*)$", re.S
)
OPTION_MESSAGE = re.compile(r"^error: field '(?P<field>--[a-z-]+)': ")
SYNTAX_PREFIXES = ("YAML syntax error", "YAML error", "YAML merge keys", "mapping keys must be plain text")


@dataclass
class Tally:
    """Counts for one input kind, for the figures file."""

    examples: int = 0
    accepted: int = 0
    rejected: int = 0
    play_mismatch_exit_1: int = 0
    tracebacks: int = 0
    internal_errors: int = 0
    rejected_by_rule: Counter[str] = field(default_factory=Counter)
    mutations: Counter[str] = field(default_factory=Counter)
    ledger_after_rejection: int = 0
    seconds: float = 0.0
    example_seconds: float = 0.0

    def to_dict(self, kind: str) -> dict[str, Any]:
        out = {
            "command": COMMANDS[kind],
            "seed_files": len(SEEDS[kind]),
            "max_examples": MAX_EXAMPLES[kind],
            "examples": self.examples,
            "accepted_exit_0": self.accepted,
            "rejected_exit_2": self.rejected,
            "play_mismatch_exit_1": self.play_mismatch_exit_1,
            "tracebacks": self.tracebacks,
            "internal_errors": self.internal_errors,
            "rejected_by_rule": dict(sorted(self.rejected_by_rule.items())),
            "mutations": dict(sorted(self.mutations.items())),
            "seconds": round(self.seconds, 1),
            "seconds_in_examples": round(self.example_seconds, 1),
        }
        if kind == "script":
            out["ledger_left_after_rejection"] = self.ledger_after_rejection
        return out


_TALLIES: dict[str, Tally] = {}
SERIAL = itertools.count()


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    """Write the counts when the module is done; kinds run elsewhere (another xdist worker) are kept."""
    yield
    if not _TALLIES:
        return
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    kinds: dict[str, Any] = {}
    if FIGURES.is_file():
        try:
            kinds = dict(json.loads(FIGURES.read_text(encoding="utf-8")).get("kinds", {}))
        except (ValueError, AttributeError):
            kinds = {}
    kinds.update({k: t.to_dict(k) for k, t in _TALLIES.items()})
    doc = {
        "what": "Hypothesis-mutated scenario files, data files and play scripts run through the CLI in-process "
        "(tests/reliability/test_fuzz_inputs.py)",
        "kinds": dict(sorted(kinds.items())),
        "total_examples": sum(k["examples"] for k in kinds.values()),
        "total_tracebacks": sum(k["tracebacks"] for k in kinds.values()),
        "total_internal_errors": sum(k["internal_errors"] for k in kinds.values()),
    }
    FIGURES.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def field_exists(field_: str, file: Path) -> bool:
    """``field_`` names a node of ``file`` or, for a missing field, a child of an existing node."""
    if field_ == "(document)":
        return True
    text = file.read_text(encoding="utf-8")
    try:
        names = {dotted(p) for p, _ in walk(parse_yaml(text, file.name).data)}
    except CstoError:  # a duplicate key or a value YAML cannot build: look at the nodes instead
        names = {dotted(p) for p in node_paths(yaml.compose(text, Loader=yaml.SafeLoader))}
    if field_ in names:
        return True
    # a key with control characters is reported escaped, as the message prints it (not printable -> \x..)
    escaped = {"".join(c if c.isprintable() else repr(c)[1:-1] for c in n) for n in names}
    if field_ in escaped or any(n.endswith("." + field_) or n == field_ for n in escaped):
        return True
    if not any(c in field_ for c in ".["):
        return True  # a missing top-level key
    return any(field_[i] in ".[" and field_[:i] in names for i in range(1, len(field_)))


def node_paths(node: yaml.Node | None, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every path of a composed (not constructed) YAML document, keys as written (aliases may loop)."""
    yield path
    if len(path) > 120:
        return
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield from node_paths(v, (*path, str(k.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            yield from node_paths(v, (*path, i))


def check_result(r: Result, mut: Mutation, files: dict[str, Path], tally: Tally, kind: str) -> str:
    """Assert the rules of the module docstring for one CLI run; return how it ended."""
    where = f"\n  mutation: {mut.describe()}\n  exit {r.code}\n  stderr: {r.err[:2000]}\n  stdout: {r.out[-1500:]}"
    output = r.out + r.err
    if "Traceback" in output:
        tally.tracebacks += 1
    if "internal error" in output:
        tally.internal_errors += 1
    assert "Traceback" not in output, "a traceback" + where
    assert "internal error" not in output, "an internal error" + where
    if r.code == 0:
        return "accepted"
    play = kind == "script"
    if r.code == 1 and play:
        assert "not as the script expected" in r.out, "play exited 1 without a mismatch" + where
        return "mismatch"
    assert r.code == 2, "exit code neither 0 nor 2" + where
    err = r.err.strip()
    assert err.startswith("error: "), "a rejection without 'error: '" + where
    assert len(err.split("\n")) == 1, "a rejection of more than one line" + where
    m = MESSAGE.match(err)
    if m is None:
        opt = OPTION_MESSAGE.match(err)
        assert opt is not None and opt["field"] == "--at" and kind == "data", (
            "a rejection that names no file" + where
        )
        tally.rejected_by_rule["option field"] += 1
        return "rejected"
    name = Path(m["file"]).name
    assert name in files, f"a rejection naming an unknown file {m['file']!r}" + where
    msg = m["msg"]
    if m["field"] is None and msg.startswith(SYNTAX_PREFIXES):
        assert m["line"] is not None, "a YAML error without a line" + where
        tally.rejected_by_rule["file + line (YAML)"] += 1
    elif m["field"] is None and msg.startswith("not UTF-8"):
        tally.rejected_by_rule["file (encoding)"] += 1
    else:
        assert m["field"] is not None, "a rejection that names no field" + where
        assert m["line"] is not None, "a rejection without a line" + where
        assert field_exists(m["field"], files[name]), f"field {m['field']!r} is not in {name}" + where
        tally.rejected_by_rule["file + line + field"] += 1
    return "rejected"


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    kind = request.node.name.removeprefix("test_fuzz_")
    t = _TALLIES.setdefault(kind, Tally())
    start = time.perf_counter()
    yield t
    t.seconds += time.perf_counter() - start


def record(tally: Tally, mut: Mutation, outcome: str, started: float) -> None:
    tally.examples += 1
    tally.example_seconds += time.perf_counter() - started
    for op in mut.ops:
        tally.mutations[op.split(" ")[0].rstrip(":")] += 1
    if outcome == "accepted":
        tally.accepted += 1
    elif outcome == "mismatch":
        tally.play_mismatch_exit_1 += 1
    else:
        tally.rejected += 1


# ---------------------------------------------------------------------------------------------- read cache
@pytest.fixture
def pristine_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand out the parsed unmutated dataset files again instead of re-parsing them for every example.

    Keyed by the file's bytes: a mutated file is never in the cache and goes through the real
    ``read_yaml``. Each hit is a deep copy, so no run can change what the next one sees.
    """
    pristine: dict[bytes, YamlDoc] = {}
    for p in DATA_FILES:
        doc = real_read_yaml(p)
        pristine[hashlib.sha1(p.read_bytes()).digest()] = doc

    def read_yaml(file: Path, *, display_name: str | None = None) -> YamlDoc:
        try:
            raw = Path(file).read_bytes()
        except OSError:
            return real_read_yaml(file, display_name=display_name)
        hit = pristine.get(hashlib.sha1(raw).digest())
        if hit is None:
            return real_read_yaml(file, display_name=display_name)
        return YamlDoc(Path(display_name or str(file)), copy.deepcopy(hit.data), dict(hit.lines))

    for module in ("csto.model.alliance", "csto.policy.model", "csto.logistics"):
        monkeypatch.setattr(f"{module}.read_yaml", read_yaml)


# ---------------------------------------------------------------------------------------------- the tests
def test_unmutated_inputs_are_accepted(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The harness's baseline: every seed file, re-dumped as the structural mutations write it, runs."""
    for base in SCENARIO_BASES:
        f = tmp_path / base.name
        f.write_text(dump(base.data), encoding="utf-8")
        r = cli("crisis", "run", str(f), "--trials", TRIALS)
        assert r.code == 0, (base.name, r.err)
    for i, base in enumerate(SCRIPT_BASES):
        f = tmp_path / base.name
        f.write_text(dump(base.data), encoding="utf-8")
        db = tmp_path / f"s{i}.db"
        r = cli("play", str(f), "--db", str(db))
        assert r.code == 0, (base.name, r.err)
        assert cli("ledger", "verify", "--db", str(db)).code == 0
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for base in DATA_BASES:
        (data / base.name).write_text(dump(base.data), encoding="utf-8")
    r = cli("info", "--data", str(data), "--at", AT)
    assert r.code == 0, r.err
    r = cli("crisis", "run", DATA_SCENARIO, "--data", str(data), "--trials", TRIALS)
    assert r.code == 0, r.err


@fuzz_settings("scenario")
@given(mut=mutations(SCENARIO_BASES))
def test_fuzz_scenario(cli, tmp_path: Path, tally: Tally, mut: Mutation) -> None:  # type: ignore[no-untyped-def]
    """``csto crisis run FILE``: a mutated scenario runs, or is rejected naming file, line and field."""
    started = time.perf_counter()
    folder = tmp_path / f"scenario-{next(SERIAL)}"
    folder.mkdir()
    f = mut.write(folder / mut.base)
    before = snapshot(folder)
    r = cli("crisis", "run", str(f), "--trials", TRIALS)
    outcome = check_result(r, mut, {mut.base: f}, tally, "scenario")
    assert snapshot(folder) == before, "crisis run wrote files: " + mut.describe()
    record(tally, mut, outcome, started)


@fuzz_settings("data")
@given(mut=mutations(DATA_BASES))
def test_fuzz_data(cli, tmp_path: Path, tally: Tally, pristine_cache: None, mut: Mutation) -> None:  # type: ignore[no-untyped-def]
    """``csto info --data DIR`` then ``csto crisis run --data DIR``: one mutated file in a copy of the data."""
    started = time.perf_counter()
    folder = tmp_path / f"data-{next(SERIAL)}"
    data = folder / "data"
    shutil.copytree(DATA, data)
    mut.write(data / mut.base)
    files = {p.name: p for p in data.rglob("*.yaml")}
    before = snapshot(folder)
    r = cli("info", "--data", str(data), "--at", AT)
    outcome = check_result(r, mut, files, tally, "data")
    if outcome == "accepted":
        r = cli("crisis", "run", DATA_SCENARIO, "--data", str(data), "--trials", TRIALS)
        outcome = check_result(r, mut, files, tally, "data")
    assert snapshot(folder) == before, "a command changed the data directory: " + mut.describe()
    record(tally, mut, outcome, started)


@fuzz_settings("script")
@given(mut=mutations(SCRIPT_BASES))
def test_fuzz_script(cli, tmp_path: Path, tally: Tally, mut: Mutation) -> None:  # type: ignore[no-untyped-def]
    """``csto play FILE --db NEW``: runs (the ledger verifies), or is rejected whole with no ledger written."""
    started = time.perf_counter()
    folder = tmp_path / f"script-{next(SERIAL)}"
    folder.mkdir()
    f = mut.write(folder / mut.base)
    db = folder / "ledger.db"
    r = cli("play", str(f), "--db", str(db))
    outcome = check_result(r, mut, {mut.base: f}, tally, "script")
    if db.exists():
        if outcome == "rejected":
            tally.ledger_after_rejection += 1
        v = cli("ledger", "verify", "--db", str(db))
        assert v.code == 0 and "intact" in v.out, (
            f"ledger does not verify: {v.out} {v.err}: " + mut.describe()
        )
    else:
        assert outcome == "rejected", "play ran but left no ledger: " + mut.describe()
    record(tally, mut, outcome, started)


MID_PLAY = """title: a refused opening step, then a step in its case
start: 2025-03-01T09:00:00
steps:
  - {actor: joint_staff, action: order_deployment, case: d, decision: no-such-decision, commander: X, destination: Almaty}
  - {actor: joint_staff, action: arrive, case: d, state: RUS, personnel: 1, airfield: almaty}
"""


def test_an_engine_error_during_play_names_the_step(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found by the fuzzer: an engine error for a step (not a refusal) names the script's file, line and step."""
    f = tmp_path / "mid.yaml"
    f.write_text(MID_PLAY, encoding="utf-8")
    r = cli("play", str(f), "--db", str(tmp_path / "mid.db"))
    assert r.code == 2
    assert r.err.startswith(f"error: {f}:5: field 'steps[1].case'"), r.err
