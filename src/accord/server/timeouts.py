"""A time limit on the work of each request: past it the caller is answered 503 with
``Retry-After`` (problem ``work-timeout``, naming the limit) and nothing the work does is
kept.

The route runs on under a work deadline (``accord.services.deadline``), in a task of its own
that is never cancelled (a worker thread cannot be). When the limit passes before the route
has answered, the deadline is expired: if no commit has begun, the 503 goes out at once and
whatever the route answers later is dropped (its commit, when it comes, is refused and rolled
back); if a commit has begun, the caller waits for the route's own answer. Inside the body
guard, so the time a body takes to arrive is the guard's limit (408), not this one; a pushed
batch streams its body through the route and so within this limit.
"""

from __future__ import annotations

import logging
from typing import Final

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.server.problems import timed_out
from accord.services.deadline import work_deadline

__all__ = ["WorkTimeout"]

_LOG: Final = logging.getLogger("accord.server")


class WorkTimeout:
    """ASGI middleware giving each HTTP request's work ``seconds``."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = dropped = False
        failure: Exception | None = None

        async def answered(message: Message) -> None:
            nonlocal started
            if dropped:
                return  # the caller was told the work timed out
            started = started or message["type"] == "http.response.start"
            await send(message)

        with work_deadline(self.seconds) as deadline:
            finished = anyio.Event()

            async def work() -> None:
                nonlocal failure
                try:
                    await self.app(scope, receive, answered)
                except Exception as exc:  # raised below, as it would have been without us
                    failure = exc
                finally:
                    finished.set()

            async with anyio.create_task_group() as tasks:
                tasks.start_soon(work)
                with anyio.move_on_after(self.seconds):
                    await finished.wait()
                if not finished.is_set() and not started and deadline.expire():
                    dropped = True
                    await timed_out(deadline.timed_out())(scope, receive, send)
        if failure is not None and dropped:
            _LOG.error("timed-out work failed after its 503", exc_info=failure)
        elif failure is not None:
            raise failure
