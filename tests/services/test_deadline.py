"""Work deadlines: a timed-out answer is never given for work that changed anything."""

from __future__ import annotations

import time

import pytest

from accord.services.deadline import WorkDeadline, current_deadline, work_deadline
from accord.services.errors import WorkTimedOut
from accord.services.ingestion import PushBatch
from tests.services.world import CONSOLE, World, events


def test_past_the_deadline_a_commit_is_refused() -> None:
    deadline = WorkDeadline(0.01)
    time.sleep(0.02)
    with pytest.raises(WorkTimedOut) as refused:
        deadline.begin_commit()
    assert (refused.value.retry_after_seconds, refused.value.seconds) == (1, 0.01)


def test_once_the_caller_gave_up_no_commit_begins() -> None:
    deadline = WorkDeadline(60)
    assert deadline.expire()
    with pytest.raises(WorkTimedOut):
        deadline.begin_commit()


def test_once_a_commit_began_the_caller_waits_for_the_answer() -> None:
    deadline = WorkDeadline(60)
    deadline.begin_commit()
    assert not deadline.expire()
    deadline.begin_commit()  # the rest of the work commits too: never half of it


def test_the_deadline_is_known_only_inside_its_block() -> None:
    assert current_deadline() is None
    with work_deadline(5) as deadline:
        assert current_deadline() is deadline
    assert current_deadline() is None


def test_a_unit_of_work_past_its_deadline_keeps_nothing(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    batch = PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(5))
    with work_deadline(60) as deadline:
        deadline.expire()  # the caller gave up while the batch was being written
        with pytest.raises(WorkTimedOut):
            world.services.ingestion.push(partner, batch)

    assert world.services.ingestion.batches(CONSOLE, "acme-bravo", None) == []
    pushed = world.services.ingestion.push(
        partner,
        PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(5)),
    )
    assert (pushed.status, pushed.accepted) == ("accepted", 5)
