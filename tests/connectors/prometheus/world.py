"""A month of one service's traffic, written twice: as raw events (requests, probes) for the
file sources, and as the Prometheus series an exporter would have exposed for the same
traffic (counters, a latency histogram, probe results), in OpenMetrics text for
``promtool tsdb create-blocks-from openmetrics``.

A counter sample at instant t counts the requests before t, as a scrape at t would; the
samples lie on the step grid, so that counts per step are exact. One counter restarts from
zero part-way through the month (a process restart), as real counters do.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

START = dt.datetime(2026, 9, 30, 22, 0, tzinfo=dt.UTC)  # 2026-10-01 00:00 in Berlin
END = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)  # past the month's end in Berlin
STEP = dt.timedelta(minutes=5)
PROBE_EVERY = dt.timedelta(minutes=1)
REGIONS = ("eu", "us")
BUCKETS = (0.1, 0.3, 0.5, 1.0)
#: The eu 5xx counter restarts at this step (its samples from here count from zero).
RESTART = dt.datetime(2026, 10, 14, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Request:
    at: dt.datetime
    region: str
    status: int
    latency_ms: int


def _steps() -> Iterator[dt.datetime]:
    at = START
    while at < END:
        yield at
        at += STEP


def requests(seed: int = 11) -> list[Request]:
    """A few requests per region and step; an outage on 2026-10-20 makes errors and slow
    answers pile up in eu."""
    rng = random.Random(seed)
    found: list[Request] = []
    for step in _steps():
        for region in REGIONS:
            outage = region == "eu" and dt.datetime(2026, 10, 20, 8, tzinfo=dt.UTC) <= step < (
                dt.datetime(2026, 10, 20, 11, tzinfo=dt.UTC)
            )
            for _ in range(rng.randint(0, 4)):
                second = rng.randrange(int(STEP.total_seconds()))
                failed = rng.random() < (0.6 if outage else 0.004)
                slow = rng.random() < (0.7 if outage else 0.03)
                latency = rng.randint(320, 1500) if slow else rng.randint(20, 300)
                found.append(
                    Request(
                        step + dt.timedelta(seconds=second), region, 503 if failed else 200, latency
                    )
                )
    return sorted(found, key=lambda r: r.at)


def probes(seed: int = 5) -> list[tuple[dt.datetime, int]]:
    """A probe every minute, seven seconds past it; down during the eu outage."""
    rng = random.Random(seed)
    found = []
    at = START
    while at < END:
        outage = (
            dt.datetime(2026, 10, 20, 8, tzinfo=dt.UTC)
            <= at
            < dt.datetime(2026, 10, 20, 9, 30, tzinfo=dt.UTC)
        )
        up = 0 if outage or rng.random() < 0.01 else 1
        found.append((at + dt.timedelta(seconds=7), up))
        at += PROBE_EVERY
    return found


def write_raw(folder: Path, traffic: list[Request], checks: list[tuple[dt.datetime, int]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "requests.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ts", "region", "status", "latency_ms"])
        for r in traffic:
            writer.writerow([r.at.isoformat(), r.region, r.status, r.latency_ms])
    with (folder / "probes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ts", "success"])
        for at, up in checks:
            writer.writerow([at.isoformat(), up])


def _counts_before(traffic: list[Request]) -> Iterator[tuple[dt.datetime, dict[str, float]]]:
    """At each step instant: the counters' values, i.e. what happened before it."""
    totals: dict[str, float] = {}
    restarted = 'http_requests_total{region="eu",code="503"}'
    since_restart = 0
    index = 0
    for at in [*_steps(), END]:
        while index < len(traffic) and traffic[index].at < at:
            r = traffic[index]
            code = "503" if r.status >= 500 else "200"
            _add(totals, f'http_requests_total{{region="{r.region}",code="{code}"}}')
            if r.region == "eu" and code == "503" and r.at >= RESTART - STEP:
                since_restart += 1
            for bound in (*(f"{b}" for b in BUCKETS), "+Inf"):
                if bound == "+Inf" or r.latency_ms <= float(bound) * 1000:
                    _add(
                        totals,
                        f'http_request_duration_seconds_bucket{{region="{r.region}",le="{bound}"}}',
                    )
            index += 1
        # The process restarted just after the step before RESTART: from then on its
        # counter holds only what it counted since.
        yield at, ({**totals, restarted: since_restart} if at >= RESTART else dict(totals))


def _add(totals: dict[str, float], series: str) -> None:
    totals[series] = totals.get(series, 0) + 1


def write_openmetrics(
    path: Path, traffic: list[Request], checks: list[tuple[dt.datetime, int]]
) -> None:
    """Counters and histogram buckets at every step, probe results as they were taken."""
    series: dict[str, list[tuple[float, float]]] = {}
    names = [
        f'http_requests_total{{region="{region}",code="{code}"}}'
        for region in REGIONS
        for code in ("200", "503")
    ] + [
        f'http_request_duration_seconds_bucket{{region="{region}",le="{bound}"}}'
        for region in REGIONS
        for bound in (*(f"{b}" for b in BUCKETS), "+Inf")
    ]
    for at, values in _counts_before(traffic):
        for name in names:
            series.setdefault(name, []).append((at.timestamp(), values.get(name, 0)))
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# TYPE http_requests counter\n")
        _samples(handle, series, "http_requests_total")
        handle.write("# TYPE http_request_duration_seconds histogram\n")
        _samples(handle, series, "http_request_duration_seconds_bucket")
        handle.write("# TYPE probe_success gauge\n")
        for at, up in checks:
            handle.write(f'probe_success{{job="blackbox"}} {up} {at.timestamp():.3f}\n')
        handle.write("# EOF\n")


def _samples(handle: object, series: dict[str, list[tuple[float, float]]], prefix: str) -> None:
    for name, points in series.items():
        if not name.startswith(prefix + "{"):
            continue
        for at, value in points:
            handle.write(f"{name} {value:g} {at:.3f}\n")  # type: ignore[attr-defined]
