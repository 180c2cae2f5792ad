"""Work deadlines: how long the work of one request may take, and the rule that keeps a
"timed out" answer true.

An interface opens a deadline around a request's work (``work_deadline``; the HTTP server
does, ``accord.server.app``). When the interface stops waiting it calls ``expire``, which
succeeds only while nothing has begun to commit; every unit of work asks ``begin_commit``
before it commits, which refuses (``WorkTimedOut``, the transaction rolled back) once the
deadline has passed or the interface gave up. So either the caller is told the work timed
out and nothing it did is kept, or a commit began in time and the caller waits for the real
answer: never a refusal for a change that was made, never partial state behind a refusal.

The work itself is not interrupted (a thread cannot be): it runs on to its first commit,
which it is refused. Callers without a deadline (the CLI, the worker) are unaffected.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Final

from accord.services.errors import WorkTimedOut

__all__ = ["WorkDeadline", "current_deadline", "work_deadline"]

_CURRENT: Final[ContextVar[WorkDeadline | None]] = ContextVar("accord_work_deadline", default=None)


class WorkDeadline:
    """The deadline of one request's work, shared by the interface and the units of work
    (which may run on another thread)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._expired = False
        self._committing = False

    @property
    def retry_after_seconds(self) -> int:
        """How long a caller should wait before trying again: the time the work may take."""
        return max(1, math.ceil(self.seconds))

    def expire(self) -> bool:
        """The interface stops waiting. True: no commit had begun and none will be made;
        False: one had, and the caller must wait for the work's own answer."""
        with self._lock:
            if self._committing:
                return False
            self._expired = True
            return True

    def begin_commit(self) -> None:
        """Called before each commit: refuses (``WorkTimedOut``) once the deadline has
        passed or the interface gave up, unless an earlier commit of the same work began
        in time (its work runs to its end: half of it must not be refused)."""
        with self._lock:
            if self._committing:
                return
            if self._expired or time.monotonic() > self._ends:
                self._expired = True
                raise self.timed_out()
            self._committing = True

    def timed_out(self) -> WorkTimedOut:
        return WorkTimedOut(
            f"the work of this request did not finish within {self.seconds:g} s; "
            "nothing was changed. Try again later.",
            retry_after_seconds=self.retry_after_seconds,
            seconds=self.seconds,
        )


@contextlib.contextmanager
def work_deadline(seconds: float) -> Iterator[WorkDeadline]:
    """A deadline for the work done inside the block (and in the tasks and worker threads
    it starts, which inherit it)."""
    deadline = WorkDeadline(seconds)
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def current_deadline() -> WorkDeadline | None:
    return _CURRENT.get()
