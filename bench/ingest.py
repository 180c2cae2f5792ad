"""Ingestion benchmark: throughput of writing pushed batches (checked, deduplicated, stored).

Usage: .venv/bin/python -m bench.ingest [--batch-size 10000] [--batches 10] [--repeat 3]

Measures ``accord.connectors.batches.write_batch`` in-process, on events shaped like the
payments example's ``authorisations`` source, each batch checked against the identity keys of
the batches already stored (held in memory here; the service keeps them in its database). Two
inputs: a list of event dictionaries (includes writing them as JSON lines) and a JSON-lines
file (what an HTTP handler streaming the body to disk hands over). The HTTP benchmark of
issue 4 builds on ``events`` below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from accord.connectors.batches import write_batch
from accord.core.model.measurement import Source
from accord.engine.sources import BadRowPolicy

#: The payments example's ``authorisations`` source, pushed instead of read from files,
#: with an event id as its key (as it is written in an agreement).
AUTHORISATIONS_DECLARATION: dict[str, object] = {
    "id": "authorisations",
    "kind": "events",
    "format": "push",
    "key": "event_id",
    "owner": "payco",
    "columns": {
        "event_id": {"column": "event_id", "type": "string"},
        "timestamp": {"column": "requested_at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
        "status": {"column": "http_status", "type": "integer"},
        "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
        "caused_by": {"column": "caused_by", "type": "string"},
    },
}
AUTHORISATIONS = Source.model_validate(AUTHORISATIONS_DECLARATION)
REGIONS = ("eu", "eu", "eu", "uk", "us")
START = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def events(count: int, *, seed: int = 1, first: int = 0) -> list[dict[str, object]]:
    """``count`` authorisation events keyed by physical column, as a partner would push
    them: ids unique per (seed, index), instants as zoned ISO text about 30 ms apart,
    mostly 200s with some declines, rate limits and server errors, long-tailed latency."""
    chance = random.Random(seed * 1_000_003 + first)
    made: list[dict[str, object]] = []
    for index in range(first, first + count):
        roll = chance.random()
        status = 503 if roll < 0.002 else 429 if roll < 0.005 else 402 if roll < 0.03 else 200
        at = START + dt.timedelta(milliseconds=30 * index + chance.randrange(30))
        made.append(
            {
                "event_id": f"auth-{seed}-{index:010d}",
                "requested_at": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "region": REGIONS[index % len(REGIONS)],
                "http_status": status,
                "latency_ms": round(80 + chance.expovariate(1 / 150), 1),
                "caused_by": "acme" if status == 429 and roll < 0.004 else None,
            }
        )
    return made


def write_lines(batch: list[dict[str, object]], target: Path) -> Path:
    target.write_text("".join(json.dumps(event) + "\n" for event in batch), encoding="utf-8")
    return target


def ingest(batches: list[list[dict[str, object]]] | list[Path], folder: Path) -> int:
    """Write every batch in turn, each deduplicated against those before it."""
    held: set[str] = set()  # the service keeps this index in its database
    accepted = 0
    for index, batch in enumerate(batches):
        result = write_batch(
            source=AUTHORISATIONS,
            events=batch,
            batch_dir=folder / "batches",
            batch_id=f"batch-{index:05d}",
            known=held.intersection,
            policy=BadRowPolicy.QUARANTINE,
            quarantine_dir=folder / "quarantine",
        )
        held.update(result.keys)
        accepted += result.accepted
    return accepted


def _median_rate(run: Callable[[Path], int], total: int, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="accord-bench-ingest-") as scratch:
            start = time.perf_counter()
            accepted = run(Path(scratch))
            times.append(time.perf_counter() - start)
        assert accepted == total, (accepted, total)
    median = statistics.median(times)
    return total / median, median


def machine() -> str:
    return (
        f"{platform.machine()} {platform.processor() or platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, DuckDB {duckdb.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size, count = args.batch_size, args.batches
    total = size * count
    lists = [events(size, first=index * size) for index in range(count)]
    print(f"machine: {machine()}")
    print(f"{count} batches × {size:,} events, median of {args.repeat}")
    rate, seconds = _median_rate(lambda folder: ingest(lists, folder), total, args.repeat)
    print(f"list of events    {seconds:7.2f} s  {rate:12,.0f} events/s")
    with tempfile.TemporaryDirectory(prefix="accord-bench-lines-") as scratch:
        files = [write_lines(b, Path(scratch) / f"{i}.jsonl") for i, b in enumerate(lists)]
        rate, seconds = _median_rate(lambda folder: ingest(files, folder), total, args.repeat)
    print(f"JSON-lines files  {seconds:7.2f} s  {rate:12,.0f} events/s")


if __name__ == "__main__":
    main()
