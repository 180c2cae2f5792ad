"""Backing off from guessing: failures counted per key (an account, a client address) and,
past a number of free failures, each further attempt refused until a wait that doubles with
every failure (up to a longest wait) has passed.

The counts live in the process (a bounded table, oldest keys dropped first), measured on
the services' clock; a deployment with several server processes multiplies the free
failures by their number, which the doubling wait still makes worthless to an attacker.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

__all__ = ["Throttle", "ThrottlePolicy"]

_CAPACITY: Final = 100_000


@dataclass(frozen=True, kw_only=True)
class ThrottlePolicy:
    """After ``free_failures`` failures in a row each attempt waits ``first_wait``, doubled
    with every further failure, up to ``longest_wait``."""

    free_failures: int
    first_wait: dt.timedelta = dt.timedelta(seconds=1)
    longest_wait: dt.timedelta = dt.timedelta(minutes=15)
    #: A key whose last failure is older than this starts again with no failures.
    forget_after: dt.timedelta = dt.timedelta(hours=1)

    def wait(self, failures: int) -> dt.timedelta:
        """The wait after ``failures`` failures in a row (zero while they are free)."""
        beyond = failures - self.free_failures
        if beyond < 0:
            return dt.timedelta(0)
        return min(self.first_wait * (1 << min(beyond, 32)), self.longest_wait)


@dataclass
class _Record:
    failures: int
    last_at: dt.datetime


class Throttle:
    """Failures per key under one policy; safe to share between threads."""

    def __init__(self, policy: ThrottlePolicy, capacity: int = _CAPACITY) -> None:
        self.policy = policy
        self._capacity = capacity
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def retry_after(self, key: str, now: dt.datetime) -> dt.timedelta | None:
        """How long ``key`` must still wait before its next attempt; None: it may try now."""
        with self._lock:
            record = self._current(key, now)
            if record is None:
                return None
            remaining = record.last_at + self.policy.wait(record.failures) - now
            return remaining if remaining > dt.timedelta(0) else None

    def failed(self, key: str, now: dt.datetime) -> None:
        with self._lock:
            record = self._current(key, now)
            failures = 1 if record is None else record.failures + 1
            self._records[key] = _Record(failures, now)
            self._records.move_to_end(key)
            while len(self._records) > self._capacity:
                self._records.popitem(last=False)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def _current(self, key: str, now: dt.datetime) -> _Record | None:
        record = self._records.get(key)
        if record is not None and now - record.last_at > self.policy.forget_after:
            del self._records[key]
            return None
        return record
