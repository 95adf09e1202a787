"""Print the README's Reliability table from the figures the reliability tests wrote.

Run after ``make reliability`` (which runs ``pytest -m reliability``): each test writes its figures as
JSON under ``tests/reliability/.figures/``; this script only formats them, it measures nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

FIGURES = Path(__file__).resolve().parents[1] / "tests" / "reliability" / ".figures"


def load(name: str) -> dict[str, Any] | None:
    p = FIGURES / f"{name}.json"
    return json.loads(p.read_text()) if p.exists() else None


def row(test: str, backend: str, figure: str, goal: str) -> str:
    return f"| {test} | {backend} | {figure} | {goal} |"


def main() -> int:
    out = ["| test | backend | measured | goal |", "|---|---|---|---|"]
    for b in ("sqlite", "postgresql"):
        c = load(f"crash-{b}")
        if c:
            out.append(
                row(
                    "Crash: writer SIGKILLed mid-append",
                    b,
                    f"{c['rounds']} rounds, {c['killed']} kills, {c['acked_events_checked']} acknowledged events all "
                    f"present and intact, in-flight batch stored {c['inflight_committed']} / absent "
                    f"{c['inflight_absent']} (never partial), verify ok {c['verify_ok']}/{c['rounds']}",
                    "0 lost, 0 partial, verify every time",
                )
            )
    for b in ("sqlite", "postgresql"):
        c = load(f"concurrency-{b}")
        if c:
            out.append(
                row(
                    "Concurrency: 6 delegations voting at once via 2 server processes",
                    b,
                    f"{c['decisions']} decisions, {c['votes']} votes: lost {c['lost']}, duplicated {c['duplicated']}, "
                    f"outcome ≠ rule {c['outcome_mismatches']} ({c['seconds']} s)",
                    "0 / 0 / 0",
                )
            )
    for b, profile in (("sqlite", "paced"), ("postgresql", "paced"), ("sqlite", "stress")):
        c = load(f"load-{b}-{profile}")
        if c:
            lo, hi = c["think_s"]
            out.append(
                row(
                    f"Load: 100 delegations on loopback, {profile} ({lo:g}-{hi:g} s between steps)",
                    b,
                    f"{c['requests']} requests, p50 {c['p50_ms']} ms, p99 {c['p99_ms']} ms, errors {c['errors']} "
                    f"({c['throughput_rps']} req/s)",
                    "p99 < 100 ms, 0 errors",
                )
            )
    f = load("fuzz-inputs")
    if f:
        for kind, v in f["kinds"].items():
            out.append(
                row(
                    f"Fuzz: hypothesis-mutated {kind} files through the CLI",
                    "—",
                    f"{v['examples']} inputs: accepted {v['accepted_exit_0']}, rejected {v['rejected_exit_2']} "
                    f"(every one naming file, line or field), tracebacks {v['tracebacks']}",
                    "0 tracebacks, every rejection names its field",
                )
            )
    s = load("fuzz-api")
    if s:
        out.append(
            row(
                "Fuzz: schemathesis over the whole API",
                "sqlite",
                f"{s['cases']} requests as Control, a delegation and anonymous: server errors {s['server_errors']}",
                "0 server errors",
            )
        )
    m, i = load("access-matrix"), load("access-intel")
    if m:
        out.append(
            row(
                "Access: role × endpoint",
                "sqlite",
                f"{m['endpoints']} endpoints × {m['users']} accounts ({m['calls']} calls, room steps by kind): every "
                "call allowed or refused as roles.py says",
                "no difference",
            )
        )
    if i:
        out.append(
            row(
                "Access: intelligence releasability",
                "engine + ledger browser",
                f"{i['reads_tried']} reads tried, {i['refused']} refused, leaks {i['leaks']}",
                "0 leaks",
            )
        )
    for b in ("sqlite", "postgresql"):
        t = load(f"tamper-{b}")
        if t:
            out.append(
                row(
                    "Tamper: one byte flipped per event",
                    b,
                    f"{t['sample']} events flipped, {t['detected']} detected, {t['named_correctly']} named as the first bad event",
                    "all named",
                )
            )
    b = load("backup")
    if b:
        out.append(row("Backup: export → import", "sqlite ↔ postgresql", b["summary"], "identical"))
    print("\n".join(out))
    return 0 if len(out) > 2 else 1


if __name__ == "__main__":
    sys.exit(main())
