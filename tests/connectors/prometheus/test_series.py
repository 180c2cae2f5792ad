"""Prometheus answers as a source's rows: counter increases per step (a reset counts from
zero, the first sample only sets the level), series sharing the mapped labels summed, good
and bad split by a subset's counters, histogram buckets de-accumulated, gauge samples in a
half-open span."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from accord.connectors.prometheus.series import Subset, counter_rows, histogram_rows, sample_rows
from accord.core.model.sources import Source
from accord.engine import sql

T0 = 1_790_000_100  # an instant on the 5-minute grid
STEP = 300


def source(query: dict[str, str], **columns: dict[str, str]) -> Source:
    return Source.model_validate(
        {
            "id": "requests",
            "kind": "events",
            "format": "prometheus",
            "prometheus": {"url": "http://prometheus:9090", "step": "5m", **query},
            "timestamp": "at",
            "columns": {
                "at": {"column": "__time__", "type": "timestamp"},
                "region": {"column": "region", "type": "string"},
                **columns,
            },
        }
    )


COUNTERS = source({"events": "http_requests_total"})


def answer(folder: Path, name: str, *series: tuple[dict[str, str], list[float]]) -> Path:
    """A range query's answer: each series' labels and its values, one per step from T0."""
    result = [
        {"metric": labels, "values": [[T0 + i * STEP, str(v)] for i, v in enumerate(values)]}
        for labels, values in series
    ]
    path = folder / f"{name}.json"
    path.write_text(
        json.dumps({"status": "success", "data": {"resultType": "matrix", "result": result}}),
        encoding="utf-8",
    )
    return path


def rows(statement: exp.Select) -> list[dict[str, Any]]:
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        cursor = con.execute(sql.render(statement))
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def per_step(found: list[dict[str, Any]], *keys: str) -> Counter[tuple[Any, ...]]:
    return Counter(tuple(row[key] for key in ("__time__", *keys)) for row in found)


def at(step: int) -> str:
    """The start of a step as the rows write it (UTC)."""
    moment = dt.datetime.fromtimestamp(T0 + step * STEP, dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


def test_each_increase_is_that_many_events_at_the_start_of_its_step(tmp_path: Path) -> None:
    events = answer(tmp_path, "events", ({"region": "eu"}, [10, 13, 13, 20]))

    found = rows(counter_rows(COUNTERS, events, None, step_seconds=STEP, origin="q"))

    # The first sample only sets the level: the 10 requests before it are not this range's.
    assert per_step(found, "region") == {(at(0), "eu"): 3, (at(2), "eu"): 7}
    assert {row["filename"] for row in found} == {"q"}


def test_a_counter_that_drops_restarted_from_zero(tmp_path: Path) -> None:
    events = answer(tmp_path, "events", ({"region": "eu"}, [10, 15, 4, 6]))

    found = rows(counter_rows(COUNTERS, events, None, step_seconds=STEP, origin="q"))

    assert per_step(found) == {(at(0),): 5, (at(1),): 4, (at(2),): 2}


def test_series_that_differ_only_in_unmapped_labels_are_summed(tmp_path: Path) -> None:
    events = answer(
        tmp_path,
        "events",
        ({"region": "eu", "instance": "a"}, [0, 2]),
        ({"region": "eu", "instance": "b"}, [5, 8]),
        ({"region": "us", "instance": "a"}, [1, 2]),
    )

    found = rows(counter_rows(COUNTERS, events, None, step_seconds=STEP, origin="q"))

    assert per_step(found, "region") == {(at(0), "eu"): 5, (at(0), "us"): 1}


def test_the_bad_counters_split_each_steps_events_into_good_and_bad(tmp_path: Path) -> None:
    with_bad = source(
        {"events": "http_requests_total", "bad": "http_errors_total"},
        good={"column": "__good__", "type": "boolean"},
    )
    events = answer(tmp_path, "events", ({"region": "eu"}, [0, 10, 20]))
    bad = answer(tmp_path, "bad", ({"region": "eu"}, [0, 3]))  # no errors series at step 1

    found = rows(
        counter_rows(with_bad, events, Subset(bad, bad=True), step_seconds=STEP, origin="q")
    )

    assert per_step(found, "__good__") == {
        (at(0), "true"): 7,
        (at(0), "false"): 3,
        (at(1), "true"): 10,  # no bad counter seen: every event good
    }


def test_histogram_buckets_are_cumulative_and_each_event_sits_at_its_bucket(
    tmp_path: Path,
) -> None:
    histogram = source(
        {"histogram": "http_request_duration_seconds"},
        le={"column": "le", "type": "string"},
    )
    buckets = answer(
        tmp_path,
        "buckets",
        ({"region": "eu", "le": "0.1"}, [0, 5]),
        ({"region": "eu", "le": "0.3"}, [0, 8]),
        ({"region": "eu", "le": "+Inf"}, [0, 9]),
    )

    found = rows(histogram_rows(histogram, buckets, step_seconds=STEP, origin="q"))

    assert per_step(found, "le") == {(at(0), "0.1"): 5, (at(0), "0.3"): 3, (at(0), "+Inf"): 1}


def test_gauge_samples_are_rows_in_a_half_open_span(tmp_path: Path) -> None:
    gauges = source({"samples": "probe_success"}, value={"column": "__value__", "type": "number"})
    samples = answer(tmp_path, "samples", ({"region": "eu"}, [1, 0, 1, 1]))

    found = rows(
        sample_rows(gauges, samples, start_seconds=T0 + STEP, end_seconds=T0 + 3 * STEP, origin="q")
    )

    assert [(row["__time__"], row["__value__"]) for row in found] == [
        (at(1), "0.0"),
        (at(2), "1.0"),
    ]
