"""The drill-down of a recorded verdict: its worst hours recomputed from the pushed batches it
was judged on, paged, as CSV, and only for those who may see the verdict."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from accord.services.errors import Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.world import CONSOLE, World, events


def _push(world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


@pytest.fixture
def verdict(world: World) -> int:
    """1,000 requests in October, one in 50 failing (20 failing in all, a few per day)."""
    _push(world, "october", events(1000, failing_every=50))
    manager = world.principal("manager@acme.example")
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    return world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery()).items[0].id


def test_a_verdict_s_worst_hours_come_from_the_batches_it_was_judged_on(
    world: World, verdict: int
) -> None:
    page = world.services.drilldowns.items(CONSOLE, "acme-bravo", verdict, limit=3)

    assert page.kind == "worst_hours"
    assert page.total == 10  # the ten worst of twenty failing hours
    assert [item["bad"] for item in page.items] == [1, 1, 1]
    # Every failing request is the first of its local hour: 2 October 00:00 UTC is 02:00 in
    # Berlin, summer time.
    assert page.items[0]["hour"] == "2026-10-02T02:00:00+02:00"
    assert page.next_offset == 3
    assert [b["batch_id"] for b in page.batches] == ["october"]
    rest = world.services.drilldowns.items(CONSOLE, "acme-bravo", verdict, limit=100, offset=3)
    assert (len(rest.items), rest.next_offset) == (7, None)


def test_a_batch_pushed_after_the_run_does_not_change_its_drill_down(
    world: World, verdict: int
) -> None:
    before = world.services.drilldowns.items(CONSOLE, "acme-bravo", verdict)
    world.clock.advance(dt.timedelta(minutes=5))
    _push(world, "later", events(50, failing_every=1, prefix="later"))
    after = world.services.drilldowns.items(CONSOLE, "acme-bravo", verdict)

    assert after.items == before.items
    assert [b["batch_id"] for b in after.batches] == ["october"]


def test_the_items_as_csv_have_one_row_each(world: World, verdict: int) -> None:
    kind, text = world.services.drilldowns.csv(CONSOLE, "acme-bravo", verdict)
    rows = list(csv.DictReader(io.StringIO(text)))

    assert kind == "worst_hours"
    assert len(rows) == 10
    assert set(rows[0]) == {"objective", "window", "scope", "hour", "good", "valid", "bad"}


def test_a_partner_sees_its_own_verdict_s_items_and_no_one_else_s(
    world: World, verdict: int
) -> None:
    mine = world.principal("partner@bravo.example")
    other = world.principal("partner@charlie.example")

    assert world.services.drilldowns.items(mine, "acme-bravo", verdict).total == 10
    with pytest.raises(NotFound):
        world.services.drilldowns.items(other, "acme-bravo", verdict)
    with pytest.raises(NotFound):
        world.services.drilldowns.items(CONSOLE, "acme-bravo", verdict + 1000)


def test_a_page_out_of_bounds_is_refused(world: World, verdict: int) -> None:
    with pytest.raises(Invalid, match="limit must be between 1 and 500"):
        world.services.drilldowns.items(CONSOLE, "acme-bravo", verdict, limit=0)
