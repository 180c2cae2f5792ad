"""Two months of recorded verdicts in the services world: bravo met its target in September
and breached it in October (one request in five failing: 80%); charlie deviated in October
(one in fifty failing: 98%). The world's clock stands on 3 November afterwards."""

from __future__ import annotations

import datetime as dt

from accord.services.ingestion import PushBatch
from accord.services.verdicts import RunEvaluation
from tests.services.world import CONSOLE, World

#: Where the world's clock stands (tests.services.world.NOW): October is closed.
NOW = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)


def requests(
    year: int, month: int, *, failing_every: int = 0, prefix: str = "r"
) -> list[dict[str, object]]:
    """A hundred requests, one every seven hours from the month's second day."""
    start = dt.datetime(year, month, 2, tzinfo=dt.UTC)
    return [
        {
            "ts": (start + dt.timedelta(hours=7 * i)).isoformat(),
            "request_id": f"{prefix}{i}",
            "http_status": 503 if failing_every and i % failing_every == 0 else 200,
        }
        for i in range(100)
    ]


def push(world: World, partner: str, batch: str, events: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal(f"partner@{partner}.example"),
        PushBatch(agreement=f"acme-{partner}", source="requests", batch_id=batch, events=events),
    )


def evaluate(world: World, agreement: str, period: str, reason: str = "requested") -> int:
    """Record an evaluation; the number of verdicts it recorded."""
    command = RunEvaluation(agreement=agreement, period=period, reason=reason)
    return world.services.verdicts.evaluate(CONSOLE, command).verdicts_recorded


def two_months(world: World) -> World:
    # September's data arrives inside its grace period, so it counts when September closes.
    world.clock.at = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    push(world, "bravo", "september", requests(2026, 9, prefix="s"))
    world.clock.at = NOW
    push(world, "bravo", "october", requests(2026, 10, failing_every=5))
    push(world, "charlie", "october", requests(2026, 10, failing_every=50))
    for agreement in ("acme-bravo", "acme-charlie"):
        for period in ("2026-09", "2026-10"):
            evaluate(world, agreement, period)
    return world
