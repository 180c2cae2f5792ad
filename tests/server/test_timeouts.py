"""The time limit on a request's work: a 503 problem with Retry-After, and nothing kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Iterator

import anyio
import pytest
from starlette.types import Message, Receive, Scope, Send

from accord.server.app import create_app
from accord.server.timeouts import WorkTimeout
from accord.services.container import Services
from tests.server.conftest import TestClient
from tests.services.world import CONSOLE, World, events

BATCHES = "/api/v1/agreements/acme-bravo/sources/requests/batches"
PROBLEM = "application/problem+json"
LIMIT = dt.timedelta(seconds=0.5)


class SlowWriter:
    """The real batch writer, slower than the limit; says when each write has returned."""

    def __init__(self, services: Services, delay: float) -> None:
        self._write = services.context.batch_writer
        self._delay = delay
        self.done = threading.Event()

    def __call__(self, **arguments: object) -> object:
        time.sleep(self._delay)
        try:
            return self._write(**arguments)  # type: ignore[arg-type]
        finally:
            self.done.set()


@pytest.fixture
def slow(world: World) -> Iterator[tuple[TestClient, SlowWriter]]:
    writer = SlowWriter(world.services, delay=2 * LIMIT.total_seconds())
    context = dataclasses.replace(
        world.services.context,
        limits=dataclasses.replace(world.services.limits, work_timeout=LIMIT),
        batch_writer=writer,
    )
    with TestClient(create_app(Services.create(context))) as client:
        yield client, writer


def _push(client: TestClient, world: World, batch_id: str) -> object:
    token = world.tokens["partner@bravo.example"]
    return client.put(
        f"{BATCHES}/{batch_id}",
        json={"events": events(10)},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_work_past_its_limit_is_a_503_with_retry_after_and_nothing_is_kept(
    world: World, slow: tuple[TestClient, SlowWriter]
) -> None:
    client, writer = slow

    response = _push(client, world, "slow")

    assert (response.status_code, response.headers["content-type"]) == (503, PROBLEM)  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["type"], body["limit"]) == ("urn:accord:problem:work-timeout", "0.5 seconds")
    assert "nothing was changed" in body["detail"]
    assert response.headers["retry-after"] == "1"  # type: ignore[attr-defined]
    assert writer.done.wait(10)  # the work ran on to its end ...
    time.sleep(0.3)  # ... and to its commit, which was refused
    assert world.services.ingestion.batches(CONSOLE, "acme-bravo", None) == []
    trail = [entry["action"] for entry in world.services.audit.export(CONSOLE)]
    assert "measurement_batch.accepted" not in trail


def test_the_same_work_within_its_limit_is_answered_as_usual(world: World) -> None:
    with TestClient(create_app(world.services)) as client:
        response = _push(client, world, "quick")

    assert response.status_code == 201  # type: ignore[attr-defined]
    assert [b.batch_id for b in world.services.ingestion.batches(CONSOLE, "acme-bravo", None)] == [
        "quick"
    ]


async def _slow_app(scope: Scope, receive: Receive, send: Send) -> None:
    await anyio.to_thread.run_sync(time.sleep, 1.0)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"the route answer"})


def test_the_503_goes_out_at_the_limit_and_the_late_answer_is_dropped() -> None:
    sent: list[tuple[float, Message]] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append((time.monotonic(), message))

    async def call() -> float:
        started = time.monotonic()
        scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
        await WorkTimeout(_slow_app, seconds=0.2)(scope, receive, send)
        return started

    started = anyio.run(call)

    statuses = [m["status"] for _, m in sent if m["type"] == "http.response.start"]
    assert statuses == [503]
    assert sent[0][0] - started < 0.8  # at the limit, not when the work ended
    assert b"the route answer" not in b"".join(m.get("body", b"") for _, m in sent)
