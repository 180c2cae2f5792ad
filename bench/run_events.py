"""Benchmark (a): the engine against a hand-written DuckDB query and a pandas version.

Usage: .venv/bin/python -m bench.run_events [--events 50000000] [--repeat 3] [--pandas-events N]

All three compute, per partner × region over one 30-day month: availability (good/valid),
p99 latency (nearest rank) and 1-minute time-slice uptime (slice good when ≥ 95% of its
events are good; slices without traffic count as good). Prints medians and ratios measured
in the same run on the same data.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from accord.connectors.files import FileReader
from accord.core.loader import load_agreement
from accord.core.periods import parse_period
from accord.engine.evaluate import EvaluationRequest, evaluate
from bench.events import AGREEMENT, generate

HAND_WRITTEN = """
WITH ev AS (
  SELECT ts, partner, region, status, latency_ms FROM read_parquet('{files}')
  WHERE ts >= TIMESTAMPTZ '2026-09-01 00:00:00+00' AND ts < TIMESTAMPTZ '2026-10-01 00:00:00+00'
),
agg AS (
  SELECT partner, region, count(*) FILTER (WHERE status < 500) AS good, count(*) AS valid,
         quantile_disc(latency_ms, 0.99) AS p99
  FROM ev GROUP BY ALL
),
sl AS (
  SELECT partner, region, count(*) FILTER (WHERE g >= 0.95 * c) AS good_slices,
         count(*) AS busy_slices
  FROM (SELECT partner, region, epoch_us(ts) // 60000000 AS m, count(*) AS c,
               count(*) FILTER (WHERE status < 500) AS g
        FROM ev GROUP BY ALL)
  GROUP BY ALL
)
SELECT partner, region, good::DOUBLE / valid AS availability, p99,
       (good_slices + 43200 - busy_slices) / 43200.0 AS uptime
FROM agg JOIN sl USING (partner, region)
"""


def run_engine(data: Path) -> int:
    agreement = load_agreement(AGREEMENT).agreement
    assert agreement is not None
    period = parse_period("2026-09", "UTC")
    result = evaluate(
        agreement, EvaluationRequest(data, period, period.end_at, reader=FileReader())
    )
    return len(result.verdicts)


def run_hand_written(data: Path) -> int:
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        rows = con.execute(HAND_WRITTEN.format(files=data / "events" / "*.parquet")).fetchall()
    return len(rows)


def run_pandas(data: Path) -> int:
    # pandas is only the comparison baseline: the engine runs without it.
    import numpy as np  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    frame = pd.read_parquet(
        data / "events", columns=["ts", "partner", "region", "status", "latency_ms"]
    )
    frame["good"] = frame["status"] < 500
    keys = ["partner", "region"]
    grouped = frame.groupby(keys)
    availability = grouped["good"].mean()
    p99 = grouped["latency_ms"].quantile(0.99, interpolation="higher")
    frame["minute"] = frame["ts"].dt.floor("min")
    slices = frame.groupby([*keys, "minute"])["good"].agg(["mean"])
    good_slices = (slices["mean"] >= 0.95).groupby(level=keys).sum()
    result = pd.concat([availability, p99, good_slices], axis=1)
    return int(np.int64(len(result)))


def _time(function: Callable[[Path], int], data: Path, repeat: int) -> tuple[float, int]:
    times = []
    rows = 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = function(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "accord-bench")
    args = parser.parse_args()
    data = args.data / f"events-{args.events}"
    if not (data / "events").exists():
        start = time.perf_counter()
        generate(data, args.events)
        print(f"generated {args.events:,} events in {time.perf_counter() - start:.1f} s")
    engine, verdicts = _time(run_engine, data, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    floor, _ = _time(run_hand_written, data, args.repeat)
    print(
        f"engine        {engine:8.2f} s  {args.events / engine:14,.0f} events/s "
        f"({verdicts} verdicts)"
    )
    print(f"hand-written  {floor:8.2f} s  {args.events / floor:14,.0f} events/s")
    print(f"ratio engine / hand-written: {engine / floor:.2f}× (target ≤ 1.5×)")
    print(f"peak memory of the engine runs: {peak:,.0f} MB (target < 2048 MB)")
    pandas_time, _ = _time(run_pandas, data, 1)
    print(f"pandas        {pandas_time:8.2f} s  {args.events / pandas_time:14,.0f} events/s")
    print(f"ratio pandas / engine: {pandas_time / engine:.1f}× (target ≥ 10×)")
    # What this machine allows: the same ratio for the hand-written query.
    print(f"ratio pandas / hand-written: {pandas_time / floor:.1f}×")


if __name__ == "__main__":
    main()
