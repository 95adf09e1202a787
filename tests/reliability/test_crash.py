"""Crash: a writer process is killed with SIGKILL at random points while it appends, 100 rounds per backend.

Each round forks a writer (``fork``: no re-import) that opens the ledger itself and appends batches of 1-5
events to a few streams with ``expected_version``. Before each ``append`` it announces the batch on a pipe
(``B``); only after ``append`` returned does it send the stored ``(seq, hash)`` pairs (``A``: the
acknowledgement). SQLAlchemy event hooks in the writer also mark when an INSERT was sent (``I``) and when
the COMMIT is about to be sent (``C``), so each kill is placed: before the transaction's first INSERT,
inside the transaction, or after the COMMIT went out. Every message is one ``os.write`` below
``PIPE_BUF``, so it arrives whole or not at all. The parent waits for the first acknowledgement, sleeps a
seeded random while, kills the writer with SIGKILL, then reopens the ledger and checks:

* ``verify()`` is ok and its head is the last stored event;
* every acknowledged event is stored at its seq with its hash (this round's and every earlier round's);
* every batch is all or nothing, the one in flight when the kill landed included (events carry their
  batch id, so a batch's stored events are counted), and it is stored only if its COMMIT was sent;
* nothing is stored that the writer did not announce, and the previous round's head is unchanged.

The ledger grows across rounds. On PostgreSQL the parent also waits until the killed writer's server
backend is gone (``application_name``), so a commit the server finishes after the kill is not mistaken
for an absent batch. Figures go to ``tests/reliability/.figures/crash-<backend>.json``.

What this does not show: SIGKILL leaves the operating system's page cache intact, so it tests atomicity
and the acknowledgement protocol, not durability against power loss (``synchronous = FULL`` covers that).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import select
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from sqlalchemy import event as sa_event

from csto.events import EVENT_TYPES, EventBody, register
from csto.ledger import Event, SqlLedger, open_ledger

pytestmark = pytest.mark.reliability


class CrashProbe(EventBody):
    """The crash test's event (the ledger checks every append against its class): batch, index, size, pad."""

    batch: int
    i: int
    n: int
    pad: str


if "CrashProbe" not in EVENT_TYPES:
    register(CrashProbe)

ROUNDS = 100
STREAMS = ("crash/alpha", "crash/beta", "crash/gamma", "crash/delta")
T0 = datetime(2024, 1, 1, tzinfo=UTC)
PADS = (0, 0, 40, 400, 1500)  # "ω" * 1500 is 3000 bytes: some batches span several pages
# The kill comes a seeded random while after the first acknowledgement: up to KILL_SPREAD times as long as
# that first append took (so it falls within the next few appends however fast the machine), at most
# MAX_DELAY_S. That bounds how much the ledger grows per round, and so the cost of verifying it.
KILL_SPREAD = 1.5
MAX_DELAY_S = 0.08
FIRST_ACK_TIMEOUT_S = 60.0  # generous: CI machines can be very loaded
WRITER_LIFETIME_S = 20.0  # a writer that is never killed stops by itself
BACKEND_GONE_TIMEOUT_S = 30.0
FIGURES = Path(__file__).resolve().parent / ".figures"


# ---------------------------------------------------------------------------------------------- writer


def _say(fd: int, line: str) -> None:
    data = (line + "\n").encode()
    assert len(data) < select.PIPE_BUF, "a message must be one atomic pipe write"
    os.write(fd, data)


def _writer(url: str, rfd: int, wfd: int, first_batch: int, versions: dict[str, int], seed: int) -> None:
    """The child: append until killed (or until its lifetime ends), announcing and acknowledging batches."""
    os.close(rfd)
    try:
        rng = random.Random(seed)
        ledger = open_ledger(url)
        batch = first_batch

        # Markers from inside append(): an INSERT was sent (I), the COMMIT is about to be sent (C).
        # Half the inserts then linger a few ms inside the open transaction (a slow disk's stand-in), so
        # that some kills land between INSERT and COMMIT however fast the group commit is.
        linger = random.Random(seed + 1)

        def on_execute(_c: Any, _cur: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO LEDGER_EVENTS"):
                _say(wfd, f"I {batch}")
                if linger.random() < 0.5:
                    time.sleep(linger.uniform(0.001, 0.008))

        def on_commit(_conn: Any) -> None:
            _say(wfd, f"C {batch}")

        sa_event.listen(ledger.engine, "before_cursor_execute", on_execute)
        sa_event.listen(ledger.engine, "commit", on_commit)
        end = time.monotonic() + WRITER_LIFETIME_S
        while time.monotonic() < end:
            stream = rng.choice(STREAMS)
            n = rng.randint(1, 5)
            pad = "ω" * rng.choice(PADS)
            events = [
                Event(
                    stream=stream,
                    type="CrashProbe",
                    at=T0 + timedelta(seconds=batch),
                    data={"batch": batch, "i": i, "n": n, "pad": pad},
                )
                for i in range(n)
            ]
            _say(wfd, f"B {batch} {stream} {n}")
            took = time.perf_counter()
            stored = ledger.append(events, expected_version=versions[stream])
            took = time.perf_counter() - took
            # Only now is the batch acknowledged.
            _say(wfd, "A " + json.dumps([batch, [[s.seq, s.hash] for s in stored], round(took, 6)]))
            versions[stream] += n
            batch += 1
        ledger.close()
        _say(wfd, "D")
    except BaseException as exc:  # report, never raise: the parent checks for "E"
        _say(wfd, "E " + repr(exc)[:1000])
    finally:
        os._exit(0)


class _Pipe:
    """The parent's end: whole lines, read with a deadline."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = b""
        self.lines: list[str] = []
        self.eof = False

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return
        chunk = os.read(self.fd, 65536)
        if not chunk:
            self.eof = True
            return
        self.buf += chunk
        *whole, self.buf = self.buf.split(b"\n")
        self.lines += [w.decode() for w in whole]

    def wait_for_ack(self, timeout: float) -> float:
        """Wait for the first acknowledgement; return how long that append took (seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines:
                if line.startswith("A "):
                    return float(json.loads(line[2:])[2])
                if line[0] in "DE":
                    raise AssertionError(f"the writer stopped before its first acknowledgement: {line}")
            left = deadline - time.monotonic()
            if self.eof or left <= 0:
                raise AssertionError(f"the writer acknowledged nothing in {timeout:.0f} s: {self.lines}")
            self._pump(left)

    def drain(self, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while not self.eof:
            left = deadline - time.monotonic()
            assert left > 0, "the pipe did not close after the writer died"
            self._pump(left)
        assert self.buf == b"", f"a torn message: {self.buf!r}"
        os.close(self.fd)
        return self.lines


# ---------------------------------------------------------------------------------------------- checks


@dataclass
class Figures:
    backend: str
    rounds: int = 0
    killed: int = 0
    writer_finished_unkilled: int = 0
    batches_acked: int = 0
    acked_events_checked: int = 0
    inflight_committed: int = 0  # killed after the commit, before the acknowledgement
    inflight_absent: int = 0  # killed before or inside the transaction: rolled back
    # Where the in-flight batch was when the kill landed (the writer's last marker): announced but no
    # INSERT sent yet, INSERTs sent but no COMMIT, COMMIT sent; and whether it ended up stored.
    inflight_by_phase: dict[str, dict[str, int]] = field(default_factory=dict)
    no_batch_in_flight: int = 0
    verify_ok: int = 0
    final_events: int = 0
    final_head_seq: int = 0
    seconds: float = 0.0
    delays_ms: list[float] = field(default_factory=list)
    first_append_ms: list[float] = field(default_factory=list)


@dataclass
class State:
    """What the parent knows between rounds."""

    next_batch: int = 1
    head_seq: int = 0
    head_hash: str | None = None
    versions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STREAMS, 0))
    acked: dict[int, str] = field(default_factory=dict)  # seq -> hash, every round


def _parse(
    lines: list[str],
) -> tuple[dict[int, tuple[str, int]], dict[int, list[tuple[int, str]]], dict[int, str], bool]:
    """Batches announced (stream, n), acknowledged (seq, hash), the last marker of each batch, finished."""
    begun: dict[int, tuple[str, int]] = {}
    acked: dict[int, list[tuple[int, str]]] = {}
    phase: dict[int, str] = {}
    finished = False
    for line in lines:
        kind, _, rest = line.partition(" ")
        if kind == "E":
            raise AssertionError(f"the writer failed: {rest}")
        if kind == "D":
            finished = True
        elif kind == "B":
            batch, stream, n = rest.split()
            begun[int(batch)] = (stream, int(n))
            phase[int(batch)] = "B"
        elif kind in ("I", "C"):
            phase[int(rest)] = kind
        elif kind == "A":
            batch, pairs, _took = json.loads(rest)
            acked[int(batch)] = [(int(s), str(h)) for s, h in pairs]
            phase[int(batch)] = "A"
        else:
            raise AssertionError(f"unknown message {line!r}")
    return begun, acked, phase, finished


def _check_round(ledger: SqlLedger, state: State, lines: list[str], figures: Figures, round_no: int) -> None:
    begun, acked, phase, finished = _parse(lines)
    assert acked, f"round {round_no}: nothing acknowledged"
    where = f"round {round_no}"

    report = ledger.verify()
    assert report.ok, f"{where}: chain broken: {report}"
    figures.verify_ok += 1
    head = ledger.head()
    assert head is not None
    assert (report.count, report.head_hash) == (head.seq, head.hash), where

    if state.head_seq:
        before = next(ledger.read(after_seq=state.head_seq - 1))
        assert (before.seq, before.hash) == (state.head_seq, state.head_hash), f"{where}: old head changed"

    new = list(ledger.read(after_seq=state.head_seq))
    assert [e.seq for e in new] == list(range(state.head_seq + 1, head.seq + 1)), f"{where}: seq gap"
    stored: dict[int, list[Any]] = {}
    for e in new:
        batch = e.data["batch"]
        assert isinstance(batch, int) and batch in begun, f"{where}: seq {e.seq} of unannounced batch {batch}"
        stored.setdefault(batch, []).append(e)

    for batch, (stream, n) in begun.items():
        got = stored.get(batch, [])
        assert all(e.stream == stream for e in got), f"{where}: batch {batch} in the wrong stream"
        assert [e.data["i"] for e in got] == list(range(len(got))), f"{where}: batch {batch} out of order"
        if batch in acked:
            assert len(got) == n, f"{where}: acknowledged batch {batch} has {len(got)} of {n} events"
            assert [(e.seq, e.hash) for e in got] == acked[batch], f"{where}: batch {batch} differs"
            figures.batches_acked += 1
            figures.acked_events_checked += n
            state.acked.update(acked[batch])
        else:
            assert batch == max(begun), f"{where}: batch {batch} unacknowledged but not the last"
            assert len(got) in (0, n), f"{where}: partial batch {batch}: {len(got)} of {n} events stored"
            # A batch can only be stored if the kill came after its COMMIT was sent.
            assert not got or phase[batch] == "C", f"{where}: batch {batch} stored before its COMMIT"
            if got:
                figures.inflight_committed += 1
            else:
                figures.inflight_absent += 1
            key = {"B": "before_insert", "I": "mid_transaction", "C": "commit_sent"}[phase[batch]]
            counts = figures.inflight_by_phase.setdefault(key, {"committed": 0, "absent": 0})
            counts["committed" if got else "absent"] += 1
    if set(begun) == set(acked):
        figures.no_batch_in_flight += 1
    figures.writer_finished_unkilled += finished

    for e in new:
        state.versions[e.stream] = e.version
    state.head_seq, state.head_hash = head.seq, head.hash
    state.next_batch = max(begun) + 1


# ---------------------------------------------------------------------------------------------- driver


def _rounds(url: str, backend: str, writer_url: Callable[[int], str], gone: Callable[[int], None]) -> Figures:
    ctx = multiprocessing.get_context("fork")
    figures = Figures(backend=backend)
    state = State()
    started = time.monotonic()
    open_ledger(url).close()  # create the tables before the first writer
    for round_no in range(ROUNDS):
        rng = random.Random(round_no)
        rfd, wfd = os.pipe()
        proc = ctx.Process(
            target=_writer,
            args=(
                writer_url(round_no),
                rfd,
                wfd,
                state.next_batch,
                dict(state.versions),
                7919 * round_no + 1,
            ),
            daemon=True,
        )
        proc.start()
        os.close(wfd)
        pipe = _Pipe(rfd)
        try:
            first_append_s = pipe.wait_for_ack(FIRST_ACK_TIMEOUT_S)
            delay = rng.uniform(0.0, min(KILL_SPREAD * first_append_s, MAX_DELAY_S))
            time.sleep(delay)
            figures.delays_ms.append(round(delay * 1000, 2))
            figures.first_append_ms.append(round(first_append_s * 1000, 2))
            assert proc.pid is not None
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.is_alive():  # also when waiting failed: never leave a writer behind
                proc.kill()
            proc.join(30)
        lines = pipe.drain()
        if proc.exitcode == -signal.SIGKILL:
            figures.killed += 1
        gone(round_no)
        with open_ledger(url, create=False) as ledger:
            _check_round(ledger, state, lines, figures, round_no)
        figures.rounds += 1

    with open_ledger(url, create=False) as ledger:
        report = ledger.verify()
        assert report.ok, report
        everything = {e.seq: e.hash for e in ledger.read()}
    missing = {s for s, h in state.acked.items() if everything.get(s) != h}
    assert not missing, f"acknowledged events lost or changed: {sorted(missing)[:10]}"
    figures.final_events = len(everything)
    figures.final_head_seq = state.head_seq
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def _publish(figures: Figures) -> None:
    FIGURES.mkdir(exist_ok=True)
    doc = asdict(figures)
    for key in ("delays_ms", "first_append_ms"):
        values = sorted(doc.pop(key))
        doc[key.replace("_ms", "_ms_min_median_max")] = [values[0], values[len(values) // 2], values[-1]]
    (FIGURES / f"crash-{figures.backend}.json").write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    print(
        f"\ncrash[{figures.backend}]: {figures.rounds} rounds, {figures.killed} SIGKILLs, "
        f"{figures.acked_events_checked} acknowledged events checked ({figures.batches_acked} batches), "
        f"in flight: {figures.inflight_committed} committed / {figures.inflight_absent} absent "
        f"/ {figures.no_batch_in_flight} none {figures.inflight_by_phase}, verify ok {figures.verify_ok}/{figures.rounds}, "
        f"{figures.final_events} events at the end, {figures.seconds} s"
    )


def _assert_figures(figures: Figures) -> None:
    assert figures.rounds == ROUNDS
    assert figures.verify_ok == ROUNDS
    assert figures.killed + figures.writer_finished_unkilled == ROUNDS
    assert figures.killed >= ROUNDS * 0.9, "most writers must die by SIGKILL, not finish on their own"
    # Most kills must land while a batch is in flight (announced, not yet acknowledged).
    assert figures.inflight_committed + figures.inflight_absent >= ROUNDS // 2, figures
    # ... and some inside a transaction, after an INSERT and before the COMMIT (then rolled back).
    assert figures.inflight_by_phase.get("mid_transaction", {}).get("absent", 0) >= 1, figures


def test_sigkilled_sqlite_writer_loses_no_acknowledged_event(tmp_path: Path) -> None:
    url = str(tmp_path / "crash.db")
    figures = _rounds(url, "sqlite", lambda _round: url, lambda _round: None)
    _publish(figures)
    _assert_figures(figures)


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


@contextmanager
def _psycopg(url: str) -> Iterator[Any]:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        yield conn


@pytest.mark.postgres
def test_sigkilled_postgresql_writer_loses_no_acknowledged_event(
    postgres_url: str, postgres_server_url: str
) -> None:
    tag = f"csto-crash-{os.getpid()}-{time.time_ns() % 10**9}"

    def writer_url(round_no: int) -> str:
        return _with_query(postgres_url, application_name=f"{tag}-{round_no}")

    def gone(round_no: int) -> None:
        # The server may still be finishing the dead writer's COMMIT: wait until its backend has left.
        name = f"{tag}-{round_no}"
        deadline = time.monotonic() + BACKEND_GONE_TIMEOUT_S
        with _psycopg(postgres_server_url) as conn:
            while True:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
                ).fetchone()
                if row is None or row[0] == 0:
                    return
                assert time.monotonic() < deadline, f"the killed writer's backend {name} lingers"
                time.sleep(0.005)

    figures = _rounds(postgres_url, "postgresql", writer_url, gone)
    _publish(figures)
    _assert_figures(figures)
