"""Ingestion: authorised, size-limited, idempotent by batch id and event id, durable first."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update

from accord.connectors.batches import stored_keys
from accord.core.model.measurement import Source
from accord.engine.sources import BadRowPolicy
from accord.services.errors import Forbidden, Invalid, NotFound, TooLarge
from accord.services.ingestion import SWEEP_AFTER, Ingestion, PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.uow import Limits
from accord.store.tables import BatchIndexRow, BatchKeyRow
from tests.services.world import CONSOLE, World, agreement_document, events


def push(batch_id: str = "b1", **changes: Any) -> PushBatch:
    """Ten requests for bravo's agreement, unless told otherwise."""
    fields: dict[str, Any] = {"agreement": "acme-bravo", "source": "requests", "events": events(10)}
    return PushBatch(batch_id=batch_id, **{**fields, **changes})


def test_a_partner_pushes_a_batch_to_its_own_source(world: World) -> None:
    receipt = world.services.ingestion.push(world.principal("partner@bravo.example"), push())
    assert (receipt.status, receipt.received, receipt.accepted) == ("accepted", 10, 10)
    stored = world.services.context.data_dir / "measurements/acme-bravo/requests/b1.parquet"
    assert stored.is_file()
    assert len(receipt.digest) == 64


def test_a_retried_batch_changes_nothing(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    first = world.services.ingestion.push(partner, push())
    again = world.services.ingestion.push(partner, push(events=events(20)))
    assert again.status == "already_received"
    assert (again.received, again.accepted, again.digest) == (10, 10, first.digest)
    assert len(world.services.ingestion.batches(partner, "acme-bravo", "requests")) == 1


def test_events_already_stored_are_dropped_and_counted(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    world.services.ingestion.push(partner, push(events=events(10)))
    second = world.services.ingestion.push(partner, push("b2", events=events(15)))
    assert (second.received, second.accepted, second.duplicates) == (15, 5, 10)


class CountedKeys:
    """The connector's reader of a stored file's keys, counting the files it reads."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, source: Source, path: Path) -> tuple[str, ...]:
        self.read.append(path.name)
        return stored_keys(source, path)


def _counting(world: World) -> tuple[Ingestion, CountedKeys]:
    counted = CountedKeys()
    return Ingestion(dataclasses.replace(world.services.context, batch_keys=counted)), counted


def _key_rows(world: World) -> int:
    with world.services.context.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(BatchKeyRow)) or 0)


def test_duplicates_are_found_without_reading_earlier_batch_files(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    ingestion, counted = _counting(world)
    ingestion.push(partner, push("b1", events=events(10)))
    ingestion.push(partner, push("b2", events=events(20)[10:]))
    folder = world.services.context.data_dir / "measurements/acme-bravo/requests"
    for earlier in folder.glob("*.parquet"):
        earlier.unlink()  # what is no longer there cannot be read

    third = ingestion.push(partner, push("b3", events=[*events(25)[5:], *events(3, prefix="s")]))

    assert (third.received, third.accepted, third.duplicates) == (23, 8, 15)
    assert counted.read == []
    assert _key_rows(world) == 28


def test_batches_recorded_before_the_index_are_indexed_once_from_their_files(
    world: World,
) -> None:
    partner = world.principal("partner@bravo.example")
    world.services.ingestion.push(partner, push("b1", events=events(10)))
    world.services.ingestion.push(partner, push("b2", events=events(20)[10:]))
    with world.services.context.engine.begin() as connection:  # as before migration 0015
        connection.execute(delete(BatchKeyRow))
        connection.execute(delete(BatchIndexRow))
    ingestion, counted = _counting(world)

    third = ingestion.push(partner, push("b3", events=events(25)))
    fourth = ingestion.push(partner, push("b4", events=events(26)))

    assert (third.accepted, third.duplicates) == (5, 20)
    assert (fourth.accepted, fourth.duplicates) == (1, 25)
    assert counted.read == ["b1.parquet", "b2.parquet"]
    assert _key_rows(world) == 26


def test_keys_recorded_under_another_identity_are_recomputed(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    world.services.ingestion.push(partner, push("b1", events=events(10)))
    with world.services.context.engine.begin() as connection:  # as if the key had changed
        connection.execute(update(BatchKeyRow).values(key=func.upper(BatchKeyRow.key)))
        connection.execute(update(BatchIndexRow).values(identity="ticket:string"))
    ingestion, counted = _counting(world)

    again = ingestion.push(partner, push("b2", events=events(12)))

    assert (again.accepted, again.duplicates) == (2, 10)
    assert counted.read == ["b1.parquet"]
    assert _key_rows(world) == 12


def test_bad_events_are_set_aside_with_their_reasons(world: World) -> None:
    batch = [*events(3), {"ts": "2026-10-05 10:00", "request_id": "x", "http_status": 200}]
    receipt = world.services.ingestion.push(
        world.principal("partner@bravo.example"), push(events=batch)
    )
    assert (receipt.accepted, receipt.rejected) == (3, 1)
    assert receipt.issues[0].reason == "at: timestamp without time zone"


def test_bad_events_refuse_the_batch_under_the_reject_policy(world: World) -> None:
    batch = [{"ts": "yesterday", "request_id": "x", "http_status": 200}]
    with pytest.raises(Invalid, match="bad row"):
        world.services.ingestion.push(
            world.principal("partner@bravo.example"),
            push(events=batch, policy=BadRowPolicy.REJECT),
        )


def test_a_batch_from_a_file_of_json_lines_is_accepted(world: World, tmp_path: Path) -> None:
    lines = tmp_path / "batch.jsonl"
    lines.write_text("".join(json.dumps(e) + "\n" for e in events(4)), encoding="utf-8")
    receipt = world.services.ingestion.push(
        world.principal("partner@bravo.example"), push(events=lines)
    )
    assert receipt.accepted == 4


def test_a_partner_cannot_push_to_another_partners_agreement(world: World) -> None:
    with pytest.raises(NotFound, match="no agreement 'acme-charlie'"):
        world.services.ingestion.push(
            world.principal("partner@bravo.example"), push(agreement="acme-charlie")
        )


def test_a_partner_cannot_push_to_a_source_another_party_supplies(world: World) -> None:
    with pytest.raises(Forbidden, match="supplied by party 'acme'"):
        world.services.ingestion.push(
            world.principal("partner@bravo.example"),
            push(source="surveys", events=[{"ts": "2026-10-05T10:00:00Z"}]),
        )


def test_the_company_pushes_to_the_sources_it_supplies(world: World) -> None:
    receipt = world.services.ingestion.push(
        world.principal("manager@acme.example"),
        push(source="surveys", events=[{"ts": "2026-10-05T10:00:00Z"}]),
    )
    assert receipt.accepted == 1


@pytest.mark.parametrize("email", ["viewer@acme.example", "auditor@acme.example"])
def test_readers_cannot_push(world: World, email: str) -> None:
    with pytest.raises(Forbidden):
        world.services.ingestion.push(world.principal(email), push())


def test_an_unknown_source_is_not_found(world: World) -> None:
    with pytest.raises(NotFound, match="no source 'nope'"):
        world.services.ingestion.push(CONSOLE, push(source="nope"))


def test_a_source_read_from_files_takes_no_pushes(world: World) -> None:
    document = agreement_document("bravo", version="2")
    document["sources"][1] = {**document["sources"][1], "format": "csv", "path": "s.csv"}
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    with pytest.raises(Invalid, match="read from csv files"):
        world.services.ingestion.push(
            CONSOLE, push(source="surveys", events=[{"ts": "2026-10-05T10:00:00Z"}])
        )


def test_an_unsafe_batch_id_is_invalid(world: World) -> None:
    with pytest.raises(Invalid, match="batch id"):
        world.services.ingestion.push(CONSOLE, push("../escape"))


def test_a_batch_over_the_event_limit_is_too_large(world: World) -> None:
    context = dataclasses.replace(world.services.context, limits=Limits(max_batch_events=5))
    with pytest.raises(TooLarge, match="at most 5"):
        Ingestion(context).push(CONSOLE, push())
    with pytest.raises(TooLarge, match="bytes"):
        Ingestion(context).push(CONSOLE, push(events=events(1), size_bytes=10**9))


def test_an_accepted_batch_is_audited_with_its_digest(world: World) -> None:
    receipt = world.services.ingestion.push(world.principal("partner@bravo.example"), push())
    last = world.services.audit.entries(CONSOLE, limit=1000)[-1]
    assert (last["action"], last["actor"]) == (
        "measurement_batch.accepted",
        "partner@bravo.example",
    )
    assert last["entity_id"] == "acme-bravo/requests/b1"
    assert last["after"]["digest"] == receipt.digest


def test_a_batch_whose_record_fails_is_never_evaluated(world: World) -> None:
    """The file is durable before the record; without the record it is not listed."""
    partner = world.principal("partner@bravo.example")

    class Boom(Exception):
        pass

    original = world.services.context.batch_writer

    def write_then_fail(**arguments: object) -> object:
        original(**arguments)  # type: ignore[arg-type]
        raise Boom

    failing = dataclasses.replace(world.services.context, batch_writer=write_then_fail)  # type: ignore[arg-type]
    with pytest.raises(Boom):
        Ingestion(failing).push(partner, push())
    assert world.services.ingestion.batches(partner, "acme-bravo", None) == []
    retried = world.services.ingestion.push(partner, push())
    assert (retried.status, retried.accepted) == ("accepted", 10)


def _age(path: Path, world: World, age: dt.timedelta) -> Path:
    """Set a file's modification time ``age`` before the world's now."""
    stamp = (world.clock.now() - age).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_a_sweep_removes_what_crashed_pushes_left_behind(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    world.services.ingestion.push(partner, push("b1"))
    folder = world.services.context.data_dir / "measurements/acme-bravo/requests"
    recorded = _age(folder / "b1.parquet", world, dt.timedelta(days=3))
    orphan = _age(shutil.copy(recorded, folder / "b2.parquet"), world, SWEEP_AFTER * 2)
    in_flight = _age(shutil.copy(recorded, folder / "b3.parquet"), world, SWEEP_AFTER / 2)
    spool = world.services.ingestion.spool_dir
    stale_body = spool / "stale.jsonl"
    stale_body.write_text("{}\n")
    _age(stale_body, world, SWEEP_AFTER * 2)
    arriving_body = spool / "arriving.jsonl"
    arriving_body.write_text("{}\n")
    _age(arriving_body, world, dt.timedelta(seconds=5))

    report = world.services.ingestion.sweep(CONSOLE)

    assert (report.unrecorded, report.spooled) == (1, 1)
    assert not orphan.exists()
    assert not stale_body.exists()
    assert recorded.exists()  # named by a recorded batch, however old
    assert in_flight.exists()  # perhaps a push about to be recorded
    assert arriving_body.exists()
    retried = world.services.ingestion.push(partner, push("b2", events=events(10, prefix="s")))
    assert (retried.status, retried.accepted) == ("accepted", 10)


def test_only_administrators_sweep(world: World) -> None:
    with pytest.raises(Forbidden):
        world.services.ingestion.sweep(world.principal("partner@bravo.example"))
