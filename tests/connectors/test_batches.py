"""Pushed batches: checked like files, deduplicated by event id, written whole or not at all."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

from accord.connectors.batches import BatchResult, InvalidBatchId, stored_keys, write_batch
from accord.core.model.measurement import Source, SourceKind
from accord.engine.sources import BadRowPolicy, DataError, RejectedRows

SOURCE = Source.model_validate(
    {
        "id": "requests",
        "kind": "events",
        "format": "push",
        "timestamp": "at",
        "key": "id",
        "columns": {
            "at": {"column": "ts", "type": "timestamp"},
            "id": {"column": "request_id", "type": "string"},
            "status": {"column": "status", "type": "integer"},
            "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
            "region": {"column": "region", "type": "string"},
        },
    }
)


def event(request_id: str | None, **changes: object) -> dict[str, object]:
    return {
        "ts": "2026-10-05T10:00:00Z",
        "request_id": request_id,
        "status": 200,
        "latency_ms": 700,
        "region": "eu",
        **changes,
    }


CLEAN = [
    event("r1"),
    event("r2", ts="2026-10-05T12:00:00+02:00", status=503, latency_ms="1100"),
    event("r3", ts="2026-10-05T10:30:00.250Z", region=None),
]


class Index:
    """The identity keys of the batches recorded so far, held in memory as the service holds
    them in its database; counts the keys it is asked about."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.asked = 0

    def known(self, keys: Sequence[str]) -> set[str]:
        self.asked += len(keys)
        return self.keys.intersection(keys)

    def record(self, result: BatchResult) -> BatchResult:
        self.keys.update(result.keys)
        return result


def push(
    folder: Path,
    events: list[dict[str, object]] | Path,
    batch_id: str = "b1",
    index: Index | None = None,
    policy: BadRowPolicy = BadRowPolicy.QUARANTINE,
    source: Source = SOURCE,
) -> BatchResult:
    index = index or Index()
    return index.record(
        write_batch(
            source=source,
            events=events,
            batch_dir=folder / "batches",
            batch_id=batch_id,
            known=index.known,
            policy=policy,
            quarantine_dir=folder / "quarantine",
        )
    )


def stored(path: Path) -> tuple[list[tuple[str, str]], list[tuple[Any, ...]]]:
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        relation = con.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY id")
        types = [
            (name, str(kind)) for name, kind in zip(relation.columns, relation.types, strict=True)
        ]
        return types, relation.fetchall()


def folder_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# -- clean batches ----------------------------------------------------------------------


def test_a_clean_batch_is_one_parquet_file_with_typed_logical_columns(tmp_path: Path) -> None:
    result = push(tmp_path, CLEAN)

    assert result.path == tmp_path / "batches" / "b1.parquet"
    assert (result.received, result.accepted, result.duplicates, result.rejected) == (3, 3, 0, 0)
    assert (result.first_at, result.last_at) == (
        dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 5, 10, 30, 0, 250000, tzinfo=dt.UTC),
    )
    assert folder_names(tmp_path / "batches") == ["b1.parquet"]
    types, rows = stored(result.path)
    assert types == [
        ("at", "TIMESTAMP WITH TIME ZONE"),
        ("id", "VARCHAR"),
        ("status", "BIGINT"),
        ("latency", "DOUBLE"),
        ("region", "VARCHAR"),
    ]
    assert rows == [
        (dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC), "r1", 200, 0.7, "eu"),
        (dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC), "r2", 503, 1.1, "eu"),
        (dt.datetime(2026, 10, 5, 10, 30, 0, 250000, tzinfo=dt.UTC), "r3", 200, 0.7, None),
    ]


def test_the_digest_is_the_sha256_of_the_written_file(tmp_path: Path) -> None:
    result = push(tmp_path, CLEAN)

    assert result.path is not None
    assert result.digest == hashlib.sha256(result.path.read_bytes()).hexdigest()


def test_a_json_lines_file_is_read_like_a_list_of_events(tmp_path: Path) -> None:
    lines = tmp_path / "incoming.jsonl"
    lines.write_text("".join(json.dumps(e) + "\n" for e in CLEAN), encoding="utf-8")

    from_file = push(tmp_path / "a", lines)
    from_list = push(tmp_path / "b", CLEAN)

    assert from_file.path is not None
    assert from_list.path is not None
    assert stored(from_file.path) == stored(from_list.path)


def test_datetimes_in_events_are_read_as_their_iso_text(tmp_path: Path) -> None:
    at = dt.datetime(2026, 10, 5, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    result = push(tmp_path, [event("r1", ts=at)])

    assert result.path is not None
    assert stored(result.path)[1][0][0] == dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)


def test_an_empty_batch_writes_nothing(tmp_path: Path) -> None:
    result = push(tmp_path, [])

    assert (result.received, result.accepted, result.path, result.digest) == (0, 0, None, None)
    assert not (tmp_path / "batches").exists()


# -- duplicates -------------------------------------------------------------------------


def test_a_retried_batch_accepts_nothing_and_counts_every_event_as_a_duplicate(
    tmp_path: Path,
) -> None:
    index = Index()
    first = push(tmp_path, CLEAN, index=index)
    assert first.path is not None

    retried = push(tmp_path, CLEAN, batch_id="b2", index=index)

    assert (retried.received, retried.accepted, retried.duplicates) == (3, 0, 3)
    assert retried.path is None
    assert folder_names(tmp_path / "batches") == ["b1.parquet"]


def test_only_events_not_stored_yet_are_accepted(tmp_path: Path) -> None:
    index = Index()
    first = push(tmp_path, CLEAN[:2], index=index)
    assert first.path is not None

    second = push(tmp_path, CLEAN, batch_id="b2", index=index)

    assert (second.accepted, second.duplicates) == (1, 2)
    assert second.path is not None
    assert [row[1] for row in stored(second.path)[1]] == ["r3"]


def test_an_event_stored_many_batches_before_is_still_a_duplicate(tmp_path: Path) -> None:
    index = Index()
    for number in range(12):
        batch = [
            event(f"r{number:02d}-{i}", ts=f"2026-10-{number + 1:02d}T10:00:00Z") for i in (1, 2)
        ]
        written = push(tmp_path, batch, batch_id=f"b{number}", index=index)
        assert written.path is not None
    late = [event("r99-1", ts="2026-10-30T10:00:00Z"), event("r00-2", ts="2026-10-30T11:00:00Z")]

    result = push(tmp_path, late, batch_id="late", index=index)

    assert (result.accepted, result.duplicates) == (1, 1)
    assert result.path is not None
    assert [row[1] for row in stored(result.path)[1]] == ["r99-1"]


def test_a_status_change_is_a_duplicate_only_at_the_same_instant(tmp_path: Path) -> None:
    changes = Source.model_validate(
        {
            "id": "ticket_status",
            "kind": "status_changes",
            "format": "push",
            "timestamp": "changed_at",
            "key": "ticket_id",
            "columns": {
                "ticket_id": {"column": "ticket_id", "type": "string"},
                "changed_at": {"column": "changed_at", "type": "timestamp"},
                "status": {"column": "new_status", "type": "string"},
            },
        }
    )

    def change(at: str, status: str) -> dict[str, object]:
        return {"ticket_id": "T-1", "changed_at": at, "new_status": status}

    index = Index()
    first = push(tmp_path, [change("2026-10-05T10:00:00Z", "open")], "b1", index, source=changes)
    assert first.path is not None
    again = [change("2026-10-05T10:00:00Z", "open"), change("2026-10-05T11:00:00Z", "solved")]

    second = push(tmp_path, again, "b2", index, source=changes)

    assert (second.accepted, second.duplicates) == (1, 1)


def test_an_event_repeated_inside_a_batch_is_kept_once_the_first_one(tmp_path: Path) -> None:
    events = [event("r1", status=200), event("r2"), event("r1", status=500), event("r1")]
    result = push(tmp_path, events, policy=BadRowPolicy.REJECT)

    assert (result.received, result.accepted, result.duplicates, result.rejected) == (4, 2, 2, 0)
    assert result.path is not None
    assert [(row[1], row[2]) for row in stored(result.path)[1]] == [("r1", 200), ("r2", 200)]


def test_a_source_without_a_key_keeps_every_event(tmp_path: Path) -> None:
    keyless = SOURCE.model_copy(update={"key": None})
    result = write_batch(
        source=keyless,
        events=[event("r1"), event("r1")],
        batch_dir=tmp_path,
        batch_id="b1",
        known=Index().known,
        policy=BadRowPolicy.REJECT,
        quarantine_dir=None,
    )

    assert (result.accepted, result.duplicates) == (2, 0)
    assert result.keys == ()


def test_duplicates_are_found_in_the_index_without_reading_earlier_batch_files(
    tmp_path: Path,
) -> None:
    index = Index()
    first = push(tmp_path, CLEAN[:2], index=index)
    assert first.path is not None
    first.path.unlink()  # earlier files are not read: without them, the index still answers

    second = push(tmp_path, CLEAN, batch_id="b2", index=index)

    assert (second.accepted, second.duplicates) == (1, 2)
    assert index.asked == 2 + 3  # each batch asks once about its own events' keys


def test_the_same_event_has_the_same_key_however_its_values_are_written(tmp_path: Path) -> None:
    index = Index()
    push(tmp_path, [event("r1", ts="2026-10-05T12:00:00+02:00")], index=index)
    changes = SOURCE.model_copy(update={"kind": SourceKind.STATUS_CHANGES})
    stored = push(tmp_path / "s", [event("r1", ts="2026-10-05T12:00:00+02:00")], source=changes)
    restated = push(tmp_path / "s", [event("r1", ts="2026-10-05T10:00:00Z")], "b2", source=changes)

    assert len(index.keys) == 1
    assert stored.keys == restated.keys  # the instant, typed, whatever its zone
    assert stored.keys != tuple(index.keys)  # the identity differs: (key) vs (key, instant)


def test_the_keys_of_a_stored_file_are_the_keys_its_batch_returned(tmp_path: Path) -> None:
    result = push(tmp_path, [*CLEAN, event("r1")])
    assert result.path is not None

    assert stored_keys(SOURCE, result.path) == result.keys
    assert len(result.keys) == 3
    assert stored_keys(SOURCE.model_copy(update={"key": None}), result.path) == ()


# -- bad events -------------------------------------------------------------------------

BAD = [
    event("r4", ts="2026-10-05T10:02:00"),  # no zone
    event("r5", latency_ms="fast"),  # not a number
    event("r6", status="oops"),  # not an integer
    event(None),  # no event id
]


def test_bad_events_are_quarantined_with_the_engines_reasons(tmp_path: Path) -> None:
    result = push(tmp_path, [*CLEAN, *BAD])

    assert (result.received, result.accepted, result.rejected) == (7, 3, 4)
    assert {issue.reason: issue.count for issue in result.issues} == {
        "at: timestamp without time zone": 1,
        "id: missing": 1,
        "latency: not duration": 1,
        "status: not integer": 1,
    }
    zoneless = next(i for i in result.issues if i.reason == "at: timestamp without time zone")
    assert zoneless.samples == ("b1, 2026-10-05T10:02:00, r4, 200, 700, eu",)
    assert result.quarantine_path == tmp_path / "quarantine" / "b1" / "requests.csv"
    with result.quarantine_path.open(newline="") as file:
        quarantined = list(csv.DictReader(file))
    assert sorted(row["raw_request_id"] for row in quarantined) == ["", "r4", "r5", "r6"]
    assert {row["file"] for row in quarantined} == {"b1"}
    assert result.path is not None
    assert [row[1] for row in stored(result.path)[1]] == ["r1", "r2", "r3"]


def test_bad_events_under_reject_refuse_the_whole_batch_with_reasons(tmp_path: Path) -> None:
    with pytest.raises(RejectedRows) as caught:
        push(tmp_path, [*CLEAN, *BAD[:2]], policy=BadRowPolicy.REJECT)

    assert "2 bad row(s)" in str(caught.value)
    assert {issue.reason for issue in caught.value.report.issues} == {
        "at: timestamp without time zone",
        "latency: not duration",
    }
    assert not (tmp_path / "batches").exists()
    assert not (tmp_path / "quarantine").exists()


def test_events_without_a_column_of_the_source_are_a_data_error_naming_it(
    tmp_path: Path,
) -> None:
    events = [{k: v for k, v in event("r1").items() if k != "latency_ms"}]
    with pytest.raises(DataError, match=r"missing column\(s\) latency_ms \(for latency\)"):
        push(tmp_path, events)


def test_malformed_json_lines_are_a_data_error(tmp_path: Path) -> None:
    lines = tmp_path / "incoming.jsonl"
    lines.write_text(json.dumps(event("r1")) + "\n{not json\n", encoding="utf-8")

    with pytest.raises(DataError, match="batch 'b1' cannot be read"):
        push(tmp_path, lines)


# -- durability -------------------------------------------------------------------------


def test_a_failed_rename_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(source: object, target: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk gone"):
        push(tmp_path, CLEAN)

    assert folder_names(tmp_path / "batches") == []


def test_a_failed_sync_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(descriptor: int) -> None:
        raise OSError("sync failed")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="sync failed"):
        push(tmp_path, CLEAN)

    assert folder_names(tmp_path / "batches") == []


def test_a_successful_write_leaves_only_the_batch_file(tmp_path: Path) -> None:
    push(tmp_path, CLEAN)
    push(tmp_path, [event("r9")], batch_id="b2")

    assert folder_names(tmp_path / "batches") == ["b1.parquet", "b2.parquet"]


def test_a_batch_file_that_cannot_be_written_is_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "batches").write_text("a file where the folder should be")

    with pytest.raises(OSError, match="cannot write batch file"):
        push(tmp_path, CLEAN)


@pytest.mark.parametrize(
    "batch_id", ["", ".", "..", ".hidden", "../escape", "a/b", "a b", "x" * 101, "é", "b1\n"]
)
def test_unsafe_batch_ids_are_refused_before_anything_is_written(
    tmp_path: Path, batch_id: str
) -> None:
    with pytest.raises(InvalidBatchId, match="is not allowed"):
        push(tmp_path, CLEAN, batch_id=batch_id)

    assert not (tmp_path / "batches").exists()


@pytest.mark.parametrize("batch_id", ["b1", "2026-10-05T10.00.00Z_0001", "A.b-c_d", "x" * 100])
def test_safe_batch_ids_name_the_file(tmp_path: Path, batch_id: str) -> None:
    result = push(tmp_path, CLEAN, batch_id=batch_id)

    assert result.path == tmp_path / "batches" / f"{batch_id}.parquet"
