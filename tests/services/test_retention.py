"""The retention purge: measurement batches older than the agreement's rule go, with an audit
record of what went; a legal hold keeps what it covers until it is released."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from accord.services.errors import Forbidden, Invalid
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.retention import PlaceHold
from tests.services.world import CONSOLE, World, agreement_document, data_handling, events


def keep_performance_data(world: World, period: str = "30 days") -> None:
    document = agreement_document("bravo", version="2")
    document["data_handling"] = data_handling(
        retention=[{"data": "request logs", "period": period, "applies_to": "performance_data"}]
    )
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))


def push(world: World, batch_id: str, batch: list[dict[str, object]]) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="requests", batch_id=batch_id, events=batch),
    )


@pytest.fixture
def batches(world: World) -> World:
    """A batch of 2 October 2026 and one whose events run to 17 October; now is 3 November,
    so with 30 days kept the first is past the rule and the second is not."""
    keep_performance_data(world)
    push(world, "old", events(10))
    push(world, "recent", events(10, prefix="n", step_minutes=2480))
    return world


def stored(world: World) -> list[str]:
    listed = world.services.ingestion.batches(CONSOLE, "acme-bravo", "requests")
    return [batch.batch_id for batch in listed]


def test_the_purge_removes_batches_past_the_rule_and_records_them(batches: World) -> None:
    world = batches
    files = sorted((world.services.context.data_dir / "measurements").rglob("*.parquet"))
    assert len(files) == 2
    report = world.services.retention.purge(CONSOLE)
    (purged,) = report.agreements
    assert (purged.agreement, purged.removed, purged.events_removed) == (
        "acme-bravo",
        ["requests/old"],
        10,
    )
    assert purged.cutoff == world.clock.now() - dt.timedelta(days=30)
    assert stored(world) == ["recent"]
    assert len(list((world.services.context.data_dir / "measurements").rglob("*.parquet"))) == 1
    entry = list(world.services.audit.export(CONSOLE))[-1]
    assert (entry["action"], entry["actor"]) == ("retention.purged", "console")
    assert entry["after"]["batches"] == ["requests/old"]
    assert world.services.retention.purge(CONSOLE).agreements[0].removed == []
    assert world.services.audit.verify(CONSOLE).ok  # a purge is recorded, not a tampering


def test_a_purged_batch_leaves_the_index_of_duplicates_with_its_events(batches: World) -> None:
    world = batches
    world.services.retention.purge(CONSOLE)

    again = world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="again",
            events=[*events(2), *events(2, prefix="n", step_minutes=2480)],
        ),
    )

    # the purged events are no longer held, so no longer duplicates; the kept ones still are
    assert (again.accepted, again.duplicates) == (2, 2)


def test_a_dry_run_removes_nothing(batches: World) -> None:
    report = batches.services.retention.purge(CONSOLE, dry_run=True)
    assert report.agreements[0].removed == ["requests/old"]
    assert "would remove 1 batches" in report.summary()
    assert stored(batches) == ["old", "recent"]


def test_a_legal_hold_keeps_what_it_covers_until_released(batches: World) -> None:
    world = batches
    manager = world.principal("manager@acme.example")
    hold = world.services.retention.place_hold(
        manager,
        PlaceHold(
            agreement="acme-bravo",
            reason="claim by a customer about 2 October",
            held_from=dt.datetime(2026, 10, 2, tzinfo=dt.UTC),
            held_until=dt.datetime(2026, 10, 3, tzinfo=dt.UTC),
        ),
    )
    (purged,) = world.services.retention.purge(CONSOLE).agreements
    assert (purged.removed, purged.held) == ([], ["requests/old"])
    assert stored(world) == ["old", "recent"]
    world.services.retention.release_hold(manager, "acme-bravo", hold.id)
    (purged,) = world.services.retention.purge(CONSOLE).agreements
    assert purged.removed == ["requests/old"]
    (listed,) = world.services.retention.holds(
        world.principal("partner@bravo.example"), "acme-bravo"
    )
    assert (listed.placed_by, listed.released_by) == ("company staff", "company staff")
    (own,) = world.services.retention.holds(manager, "acme-bravo")
    assert own.released_by == "manager@acme.example"


def test_only_the_company_s_managers_hold_and_purge(batches: World) -> None:
    partner = batches.principal("partner@bravo.example")
    with pytest.raises(Forbidden):
        batches.services.retention.purge(partner)
    with pytest.raises(Forbidden):
        batches.services.retention.place_hold(
            partner, PlaceHold(agreement="acme-bravo", reason="x")
        )


def test_a_hold_without_a_reason_is_refused(batches: World) -> None:
    with pytest.raises(Invalid, match="reason: a legal hold needs a reason"):
        batches.services.retention.place_hold(
            CONSOLE, PlaceHold(agreement="acme-bravo", reason=" ")
        )
