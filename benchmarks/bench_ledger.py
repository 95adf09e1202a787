"""The ledger beside the ``eventsourcing`` library's SQLite recorder: batched append, one-by-one append, replay.

Both sides write the same events to a SQLite file in the same folder with the same durability (WAL,
``synchronous=FULL``, checked on each side's connection), in interleaved repetitions (csto, then
eventsourcing, then csto ...), and the table gives the median and range of each side and of the ratio
csto/eventsourcing (> 1: csto is faster). Each side's input objects are built before the clock starts:
csto's ``Event``s (validated, their canonical JSON made once) and eventsourcing's ``StoredEvent``s (state
already JSON bytes); the clock times the library's own call. csto numbers, hashes, chains and checks each
event through its class; eventsourcing's ``SQLiteApplicationRecorder`` stores ``(originator_id, version,
topic, state)``. Replay reads every event back in order, 500 a page on both sides, and eventsourcing's
side decodes each state (``json.loads``), as csto's read gives the data decoded. Also times ``verify``
(the whole chain: every hash, link and version, and each event read through its class). Figures to read, not a test: prints PASS/MISS against the targets
(ratios ≥ 1, verify ≥ 100,000 events/s), writes its keys for ``make bench`` to
``benchmarks/.results/ledger.json`` and ends with one JSON line.
Run: make bench   (or .venv/bin/python benchmarks/bench_ledger.py [--reps 5] [--events 20000])
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from csto.ledger import Event, open_ledger

RESULTS = Path(__file__).resolve().parent / ".results" / "ledger.json"
POSITIONS = ("support", "stand_aside", "object")
MEMBERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
T0 = datetime(2022, 1, 5, 9, 0, tzinfo=UTC)


def make_events(n: int, per_stream: int) -> list[Event]:
    """``n`` VoteCast events (a real event type, checked through its class), ``per_stream`` to a stream."""
    out = []
    for i in range(n):
        member = MEMBERS[i % len(MEMBERS)]
        out.append(
            Event(
                stream=f"council/session-{i // per_stream}",
                type="VoteCast",
                at=T0 + timedelta(seconds=i),
                data={
                    "actor": member,
                    "state": member,
                    "position": POSITIONS[i % 3],
                    "reason": f"the collective-security clause applies (round {i % 7})",
                    "changed": i % 11 == 0,
                },
            )
        )
    return out


def batches(events: list[Event], size: int) -> list[list[Event]]:
    """Consecutive runs of at most ``size`` events of one stream (an append holds one stream)."""
    out: list[list[Event]] = []
    for e in events:
        if out and out[-1][0].stream == e.stream and len(out[-1]) < size:
            out[-1].append(e)
        else:
            out.append([e])
    return out


# -- csto ------------------------------------------------------------------------------------------


def csto_run(folder: Path, bat: list[list[Event]], ones: list[Event]) -> dict[str, float]:
    """Seconds for: batched appends of ``bat``, one append per event of ``ones``, replay, verify."""
    ledger = open_ledger(folder / "csto-batched.db")
    sync = ledger.engine.connect().exec_driver_sql("PRAGMA synchronous").scalar()
    assert sync == 2, f"csto ledger runs with synchronous={sync}, not FULL"
    out: dict[str, float] = {}
    t = time.perf_counter()
    for b in bat:
        ledger.append(b)
    out["append_batched"] = time.perf_counter() - t
    t = time.perf_counter()
    n = sum(1 for _ in ledger.read())
    out["replay"] = time.perf_counter() - t
    assert n == sum(map(len, bat))
    t = time.perf_counter()
    report = ledger.verify()
    out["verify"] = time.perf_counter() - t
    assert report.ok and report.count == n, report
    ledger.close()
    with open_ledger(folder / "csto-one.db") as one:
        t = time.perf_counter()
        for e in ones:
            one.append([e])
        out["append_one"] = time.perf_counter() - t
    return out


# -- eventsourcing ---------------------------------------------------------------------------------


def es_recorder(path: Path) -> Any:
    """An ``SQLiteApplicationRecorder`` on ``path`` (text originator ids, as our streams are names), FULL sync."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

    datastore = SQLiteDatastore(str(path), originator_id_type="text")
    pool = datastore.pool
    create = pool._create_connection

    def create_full_sync() -> Any:
        conn = create()
        conn._sqlite_conn.execute("PRAGMA synchronous = FULL")
        return conn

    pool._create_connection = create_full_sync  # type: ignore[method-assign]
    recorder = SQLiteApplicationRecorder(datastore)
    recorder.create_table()
    with datastore.transaction(commit=False) as cur:
        cur.execute("PRAGMA synchronous")
        sync = cur.fetchone()[0]
        cur.execute("PRAGMA journal_mode")
        mode = cur.fetchone()[0]
    assert sync == 2 and mode == "wal", f"eventsourcing runs with synchronous={sync}, journal {mode}"
    return recorder


def es_stored(batch: list[Event], versions: dict[str, int]) -> list[Any]:
    """The recorder's ``StoredEvent``s of a batch: the caller serialises the state (JSON bytes) and numbers it."""
    from eventsourcing.persistence import StoredEvent

    out = []
    for e in batch:
        v = versions.get(e.stream, 0) + 1
        versions[e.stream] = v
        state = {"at": e.at.isoformat(), "data": e.data}
        out.append(StoredEvent(e.stream, v, e.type, json.dumps(state, separators=(",", ":")).encode()))
    return out


def es_run(folder: Path, bat: list[list[Event]], ones: list[Event]) -> dict[str, float]:
    recorder = es_recorder(folder / "es-batched.db")
    out: dict[str, float] = {}
    versions: dict[str, int] = {}
    inputs = [es_stored(b, versions) for b in bat]  # built before the clock, as csto's Events are
    t = time.perf_counter()
    for stored in inputs:
        recorder.insert_events(stored)
    out["append_batched"] = time.perf_counter() - t
    t = time.perf_counter()
    n, start = 0, 1
    while True:
        page = recorder.select_notifications(start, 500)
        for note in page:
            json.loads(note.state)
        n += len(page)
        if len(page) < 500:
            break
        start = page[-1].id + 1
    out["replay"] = time.perf_counter() - t
    assert n == sum(map(len, bat))
    recorder.datastore.close()
    one = es_recorder(folder / "es-one.db")
    versions = {}
    inputs = [es_stored([e], versions) for e in ones]
    t = time.perf_counter()
    for stored in inputs:
        one.insert_events(stored)
    out["append_one"] = time.perf_counter() - t
    one.datastore.close()
    return out


# -- the table -------------------------------------------------------------------------------------


def spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="interleaved repetitions (default 5)")
    ap.add_argument("--events", type=int, default=20_000, help="events for batched append and replay")
    ap.add_argument("--one", type=int, default=1_000, help="events appended one by one")
    ap.add_argument("--batch", type=int, default=100, help="events per batched append")
    ap.add_argument("--dir", type=Path, default=None, help="where the databases go (default: a temp folder)")
    args = ap.parse_args()

    events = make_events(args.events, per_stream=args.batch)
    bat = batches(events, args.batch)
    ones = make_events(args.one, per_stream=10)
    sides: dict[str, Callable[[Path, list[list[Event]], list[Event]], dict[str, float]]] = {
        "csto": csto_run,
        "eventsourcing": es_run,
    }
    rates: dict[str, dict[str, list[float]]] = {s: {} for s in sides}
    counts = {"append_batched": len(events), "append_one": len(ones), "replay": len(events)}
    counts["verify"] = len(events)
    for rep in range(args.reps):
        order = list(sides) if rep % 2 == 0 else list(reversed(sides))
        for side in order:
            folder = Path(tempfile.mkdtemp(prefix=f"bench-ledger-{side}-", dir=args.dir))
            try:
                secs = sides[side](folder, bat, ones)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            for key, s in secs.items():
                rates[side].setdefault(key, []).append(counts[key] / s)

    print(
        f"ledger vs eventsourcing SQLite recorder: WAL, synchronous=FULL, {args.reps} interleaved repetitions"
    )
    print(f"{args.events:,} events in appends of {args.batch}; {args.one:,} appended one by one")
    print(
        f"{'events/s':16} {'csto median (range)':>30} {'eventsourcing median (range)':>32} {'ratio median (range)':>26}"
    )
    ratios: dict[str, list[float]] = {}
    for key in ("append_batched", "append_one", "replay"):
        c, e = rates["csto"][key], rates["eventsourcing"][key]
        ratios[key] = [a / b for a, b in zip(c, e, strict=True)]
        cm, cl, ch = spread(c)
        em, el, eh = spread(e)
        rm, rl, rh = spread(ratios[key])
        mark = "PASS" if rm >= 1.0 else "MISS"
        print(
            f"{key:16} {cm:>12,.0f} ({cl:,.0f}–{ch:,.0f}) {em:>14,.0f} ({el:,.0f}–{eh:,.0f}) "
            f"{rm:>9.2f}× ({rl:.2f}–{rh:.2f}) {mark}"
        )
    vm, vl, vh = spread(rates["csto"]["verify"])
    print(
        f"{'verify':16} {vm:>12,.0f} ({vl:,.0f}–{vh:,.0f}) events/s  {'PASS' if vm >= 100_000 else 'MISS'} (≥ 100,000)"
    )
    keys = {
        "ledger_vs_eventsourcing": {
            key: {"median": round(statistics.median(r), 3), "min": round(min(r), 3), "max": round(max(r), 3)}
            for key, r in ratios.items()
        },
        "verify_events_per_s": round(vm),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(keys, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(keys, sort_keys=True))


if __name__ == "__main__":
    main()
