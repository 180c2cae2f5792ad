"""Pushed batches in the store: found by agreement, source and batch id; the files of a
source oldest first (a batch whose file is gone has none); the batches that arrived after a
span had been judged, or that ended before a cutoff (by their last event, else by receipt);
and the index of event keys pushes look duplicates up in: keys known per agreement and
source, in chunks however many are asked, batches not indexed under the source's identity,
and a removed batch taking its keys with it (never, from another tenant's session, keys of a
batch it cannot see)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from accord.store.repositories import Batches
from accord.store.tenancy import Tenant
from tests.store.rows import DAY, batch
from tests.store.seed import AT, open_session, seed


def test_batches_are_found_by_id_and_their_files_listed_oldest_first(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        batches = Batches(session)
        second = batches.add(batch(world.agreement_b, "requests", "b-2", file_path="r/2.parquet"))
        first = batches.add(batch(world.agreement_b, "requests", "b-1", file_path="r/1.parquet"))
        removed = batches.add(batch(world.agreement_b, "requests", "b-0"))
        tickets = batches.add(batch(world.agreement_b, "tickets", "b-1", file_path="t/1.parquet"))
        theirs = batches.add(batch(world.agreement_c, "requests", "b-1", file_path="c.parquet"))
        assert batches.find(world.agreement_b, "requests", "b-1") is first
        assert batches.find(world.agreement_b, "tickets", "b-2") is None
        assert batches.files(world.agreement_b, "requests") == ["r/2.parquet", "r/1.parquet"]
        assert batches.files(world.agreement_b, "logs") == []
        assert batches.all(world.agreement_b) == [second, first, removed, tickets]
        assert batches.all(world.agreement_b, "requests") == [second, first, removed]
        assert batches.stored() == [second, first, tickets, theirs]
        session.commit()
    with open_session(engine, Tenant(world.partner_c)) as session:
        assert [row.id for row in Batches(session).stored()] == [theirs.id]
        assert Batches(session).find(world.agreement_b, "requests", "b-1") is None


def test_batches_that_arrived_after_a_span_had_been_judged(engine: Engine) -> None:
    world = seed(engine)
    end, judged = AT, AT + DAY
    with open_session(engine, Tenant.system()) as session:
        batches = Batches(session)

        def pushed(name: str, first_at: dt.datetime | None, received_at: dt.datetime) -> int:
            row = batch(world.agreement_b, "requests", name, received_at=received_at)
            row.first_at = first_at
            return batches.add(row).id

        late = pushed("late", end - DAY, judged + DAY)
        pushed("in-time", end - DAY, judged)
        pushed("after-the-span", end, judged + DAY)
        pushed("no-events", None, judged + DAY)
        other = pushed("other-span", end + DAY, judged + 3 * DAY)

        def arrived(closings: list[tuple[dt.datetime, dt.datetime]]) -> list[int]:
            return [row.id for row in batches.arrived_after(world.agreement_b, closings)]

        assert arrived([(end, judged)]) == [late]
        assert arrived([(end, judged), (end + 2 * DAY, judged + 2 * DAY)]) == [late, other]
        assert arrived([]) == []
        assert batches.arrived_after(world.agreement_c, [(end, judged)]) == []


def test_batches_that_ended_before_a_cutoff_by_last_event_else_by_receipt(engine: Engine) -> None:
    world = seed(engine)
    cutoff = AT
    with open_session(engine, Tenant.system()) as session:
        batches = Batches(session)
        old = batches.add(batch(world.agreement_b, "requests", "old", last_at=cutoff - DAY))
        batches.add(batch(world.agreement_b, "requests", "at", last_at=cutoff))
        # Received late but its events are old: it ended before the cutoff.
        late = batches.add(
            batch(world.agreement_b, "requests", "late", last_at=cutoff - DAY, received_at=cutoff)
        )
        empty = batches.add(batch(world.agreement_b, "requests", "empty", received_at=cutoff - DAY))
        batches.add(batch(world.agreement_b, "requests", "empty-now", received_at=cutoff))
        assert batches.ended_before(world.agreement_b, cutoff) == [old, late, empty]
        assert batches.ended_before(world.agreement_c, cutoff) == []


def test_event_keys_are_known_per_source_in_chunks_and_leave_with_their_batch(
    engine: Engine,
) -> None:
    world = seed(engine)
    keys = [f"{n:032x}" for n in range(2000)]
    with open_session(engine, Tenant.system()) as session:
        batches = Batches(session)
        first = batches.add(batch(world.agreement_b, "requests", "1", file_path="1.parquet"))
        second = batches.add(batch(world.agreement_b, "requests", "2", file_path="2.parquet"))
        other = batches.add(batch(world.agreement_b, "tickets", "1", file_path="t.parquet"))
        # The same key twice in one batch is indexed once.
        batches.add_keys(first, keys[:1000] + keys[:5], "id:int")
        batches.add_keys(second, keys[1000:1500], "id:int")
        batches.add_keys(other, keys, "id:int")
        asked = keys[995:1005] + keys[1495:1505] + ["f" * 32]
        assert batches.known_keys(world.agreement_b, "requests", asked) == set(
            keys[995:1005] + keys[1495:1500]
        )
        assert len(batches.known_keys(world.agreement_b, "requests", keys)) == 1500
        assert batches.known_keys(world.agreement_c, "requests", keys) == set()
        batches.remove(first)
        assert batches.find(world.agreement_b, "requests", "1") is None
        assert batches.known_keys(world.agreement_b, "requests", keys) == set(keys[1000:1500])


def test_batches_not_indexed_under_the_source_s_identity(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        batches = Batches(session)
        indexed = batches.add(batch(world.agreement_b, "requests", "1", file_path="1.parquet"))
        before = batches.add(batch(world.agreement_b, "requests", "2", file_path="2.parquet"))
        batches.add(batch(world.agreement_b, "requests", "gone"))
        retyped = batches.add(batch(world.agreement_b, "requests", "3", file_path="3.parquet"))
        batches.add_keys(indexed, ["a" * 32], "id:int")
        batches.add_keys(retyped, ["b" * 32], "id:string")
        assert batches.unindexed(world.agreement_b, "requests", "id:int") == [before, retyped]
        assert batches.unindexed(world.agreement_b, "requests", "id:string") == [indexed, before]
        assert batches.unindexed(world.agreement_b, "tickets", "id:int") == []
        batches.remove_keys(indexed)
        assert batches.unindexed(world.agreement_b, "requests", "id:int") == [
            indexed,
            before,
            retyped,
        ]


def test_a_partner_s_session_removes_no_keys_of_another_partner_s_batch(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        batches = Batches(session)
        theirs = batches.add(batch(world.agreement_b, "requests", "1", file_path="1.parquet"))
        batches.add_keys(theirs, ["a" * 32], "id:int")
        session.commit()
    with open_session(engine, Tenant(world.partner_c)) as session:
        Batches(session).remove_keys(theirs)
        session.commit()
    with open_session(engine, Tenant.system()) as session:
        assert Batches(session).known_keys(world.agreement_b, "requests", ["a" * 32]) == {"a" * 32}
        assert Batches(session).unindexed(world.agreement_b, "requests", "id:int") == []
