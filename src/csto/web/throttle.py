"""What protects the password check: ``LoginThrottle`` (failed logins per account and per client address, with
a backoff that doubles) and ``HashGate`` (at most a few password hashes at once, and a bounded queue before
them, so that a flood of logins cannot take the memory argon2 spends on each).

Both are per server process and timed by the app's injected clock (tests move it, never sleep). They decide
only when a check may run; whether a password is right is ``store.Store.check_password``'s.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from csto.web.store import Clock, utcnow

T = TypeVar("T")


class TooManyAttempts(Exception):
    """Too many failed logins for this account or address (HTTP 429, with ``Retry-After``)."""

    def __init__(self, retry_after_s: int, who: str) -> None:
        super().__init__(f"too many failed logins for this {who}: try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s
        self.who = who


class Busy(Exception):
    """The password checks' queue is full (HTTP 503, with ``Retry-After``)."""

    def __init__(self, retry_after_s: int = 1) -> None:
        super().__init__("the server is checking too many passwords at once: try again in a moment")
        self.retry_after_s = retry_after_s


@dataclass
class _Record:
    failures: int = 0
    last: dt.datetime | None = None


class LoginThrottle:
    """Failed logins by key (``user:NAME``, ``addr:IP``): after ``free`` failures (``address_free`` for an
    address, which people behind one NAT or proxy share) a key waits ``base_s`` seconds after its last failure,
    doubling with each further one up to ``max_s``. A success clears the account's record (not the address's);
    a record quiet for ``forget_s`` is forgotten."""

    def __init__(
        self,
        clock: Clock = utcnow,
        *,
        free: int = 5,
        address_free: int = 20,
        base_s: float = 2.0,
        max_s: float = 900.0,
        forget_s: float = 3600.0,
        max_keys: int = 100_000,
    ) -> None:
        self.clock = clock
        self.free, self.address_free = free, address_free
        self.base_s, self.max_s, self.forget_s = base_s, max_s, forget_s
        self.max_keys = max_keys
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def delay_s(self, failures: int, key: str = "") -> float:
        """How long ``key`` with ``failures`` failures waits after its last one (0 within the free ones)."""
        free = self.address_free if key.startswith("addr:") else self.free
        if failures < free:
            return 0.0
        return float(min(self.max_s, self.base_s * 2 ** min(failures - free, 32)))

    def check(self, keys: Iterable[tuple[str, str]]) -> None:
        """Raise ``TooManyAttempts`` if any (key, what it is) must still wait; the longest wait is named."""
        now = self.clock()
        worst: tuple[float, str] = (0.0, "")
        with self._lock:
            for key, who in keys:
                rec = self._records.get(key)
                if rec is None or rec.last is None:
                    continue
                left = self.delay_s(rec.failures, key) - (now - rec.last).total_seconds()
                if left > worst[0]:
                    worst = (left, who)
        if worst[0] > 0:
            raise TooManyAttempts(max(1, math.ceil(worst[0])), worst[1])

    def failed(self, keys: Iterable[str]) -> None:
        """Count a failed login against every key."""
        now = self.clock()
        with self._lock:
            if len(self._records) >= self.max_keys:
                self._forget(now)
            for key in keys:
                rec = self._records.setdefault(key, _Record())
                if rec.last is not None and (now - rec.last).total_seconds() > self.forget_s:
                    rec.failures = 0
                rec.failures += 1
                rec.last = now

    def succeeded(self, key: str) -> None:
        """A right password: the account's failures are cleared."""
        with self._lock:
            self._records.pop(key, None)

    def _forget(self, now: dt.datetime) -> None:
        quiet = [
            k for k, r in self._records.items() if r.last and (now - r.last).total_seconds() > self.forget_s
        ]
        for k in quiet:
            del self._records[k]
        if len(self._records) >= self.max_keys:  # still full: drop the oldest half
            oldest = sorted(self._records, key=lambda k: self._records[k].last or now)
            for k in oldest[: len(oldest) // 2]:
                del self._records[k]


class HashGate:
    """At most ``slots`` password hashes at once, and at most ``queue`` callers waiting for a slot; a caller
    beyond the queue, or one that waits longer than ``wait_s``, gets ``Busy``."""

    def __init__(self, slots: int = 2, queue: int = 64, wait_s: float = 30.0) -> None:
        self.slots, self.queue, self.wait_s = slots, queue, wait_s
        self._sem = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._inside = 0  # waiting or hashing
        self.peak = 0  # the most hashes that ran at once (for tests and figures)
        self._running = 0

    def run(self, fn: Callable[[], T]) -> T:
        with self._lock:
            if self._inside >= self.slots + self.queue:
                raise Busy()
            self._inside += 1
        try:
            if not self._sem.acquire(timeout=self.wait_s):
                raise Busy()
            try:
                with self._lock:
                    self._running += 1
                    self.peak = max(self.peak, self._running)
                try:
                    return fn()
                finally:
                    with self._lock:
                        self._running -= 1
            finally:
                self._sem.release()
        finally:
            with self._lock:
                self._inside -= 1
