"""Workload (a): request events for 20 partners × 5 regions over 30 days.

Deterministic generator (DuckDB, set-based) and the agreement the engine evaluates.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

PARTNERS = 20
REGIONS = ("eu", "us", "apac", "latam", "africa")
DAYS = 30
START = "2026-09-01 00:00:00+00"

AGREEMENT = """\
apiVersion: accord/v1
kind: Agreement
metadata: {id: bench-events, title: Benchmark events, version: "1"}
timezone: UTC
parties:
  - {id: shop, name: Shop, role: consumer}
  - {id: hosts, name: Hosts, role: provider}
term:
  effective: 2026-01-01
  duration: 12 months
  renewal: {mode: manual, notice: 30 days}
  termination_notice: 30 days
sources:
  - id: requests
    kind: events
    format: parquet
    path: events/*.parquet
    columns:
      timestamp: {column: ts, type: timestamp}
      partner: {column: partner, type: string}
      region: {column: region, type: string}
      status: {column: status, type: integer}
      latency: {column: latency_ms, type: duration, unit: ms}
indicators:
  - {id: availability, name: Availability, kind: ratio, source: requests, good: status < 500}
  - {id: latency, name: p99 latency, kind: percentile, source: requests, measure: latency,
     percentile: 99}
  - {id: uptime, name: Uptime, kind: timeslice, source: requests, slice: 1m,
     good: status < 500, slice_target: 95%, no_traffic: good}
objectives:
  - {id: availability, name: Availability, indicator: availability, target: 99.9%,
     tolerance: 99.5%, window: month, scope: [partner, region]}
  - {id: latency, name: Latency, indicator: latency, target: 800ms, tolerance: 1200ms,
     window: month, scope: [partner, region]}
  - {id: uptime, name: Uptime, indicator: uptime, target: 99.9%, tolerance: 99.5%,
     window: month, scope: [partner, region]}
"""


def generate(out: Path, events: int, files: int = 8) -> None:
    """Write ``events`` rows spread evenly over 30 days into ``files`` Parquet files."""
    target = out / "events"
    target.mkdir(parents=True, exist_ok=True)
    step = DAYS * 86400 / events
    per_file = events // files
    regions = "[" + ", ".join(f"'{r}'" for r in REGIONS) + "]"
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        for index in range(files):
            first, last = index * per_file, (index + 1) * per_file
            con.execute(
                f"""
                COPY (
                  SELECT TIMESTAMPTZ '{START}'
                           + to_microseconds(CAST(i * {step} * 1e6 AS BIGINT)) AS ts,
                         'p' || lpad(CAST(hash(i, 1) % {PARTNERS} AS VARCHAR), 2, '0') AS partner,
                         {regions}[1 + CAST(hash(i, 2) % {len(REGIONS)} AS INTEGER)] AS region,
                         CASE WHEN hash(i, 3) % 1000 < 1 + hash(i, 1) % 3 THEN 503 ELSE 200 END
                           AS status,
                         CAST(20 + (hash(i, 4) % 1000) * (hash(i, 4) % 1000) / 1200.0 AS DOUBLE)
                           AS latency_ms
                  FROM range({first}, {last}) AS t(i)
                ) TO '{target / f"part-{index:02d}.parquet"}'
                  (FORMAT parquet, ROW_GROUP_SIZE 1000000)
                """
            )
