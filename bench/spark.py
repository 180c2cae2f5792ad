"""Benchmark (a) on Apache Spark: the engine measuring on DuckDB and on local Spark.

Usage: .venv/bin/python -m bench.spark [--sizes 1000000 2000000 4000000] [--cores 2]
       [--master spark://host:7077]

Workload (a) (``bench/events.py``) at growing sizes, evaluated by ``accord.engine.evaluate``
on DuckDB and with ``spark=SparkEngine.start("local[N]")``; the verdicts must be equal. Prints
seconds, the ratio Spark / DuckDB, Spark's time without staging (writing the checked rows as
Parquet, which a cluster skips by reading the sources' own files) and its per-core
throughput, then the marginal per-core throughput between the two largest sizes (the fixed
cost of planning and scheduling taken out) and the cluster size that evaluates a month of
10^11 events within an hour at that rate.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from accord.connectors.files import FileReader
from accord.core.evaluation import Evaluation
from accord.core.loader import load_agreement
from accord.core.periods import parse_period
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.spark import SparkEngine
from bench.events import AGREEMENT, generate

MONTH_OF_EVENTS = 10**11
HOUR = 3600.0


def _evaluate(data: Path, spark: SparkEngine | None) -> Evaluation:
    agreement = load_agreement(AGREEMENT).agreement
    assert agreement is not None
    period = parse_period("2026-09", "UTC")
    return evaluate(
        agreement, EvaluationRequest(data, period, period.end_at, reader=FileReader(), spark=spark)
    )


def _numbers(evaluation: Evaluation) -> list[tuple[object, ...]]:
    return [(v.objective, sorted(v.scope.items()), v.value, v.outcome) for v in evaluation.verdicts]


def _timed(data: Path, spark: SparkEngine | None, repeat: int) -> tuple[float, float, Evaluation]:
    """Median seconds in all, median seconds staging, and the evaluation."""
    times, staging = [], []
    result = None
    for _ in range(repeat):
        before = spark.staging_seconds if spark else 0.0
        start = time.perf_counter()
        result = _evaluate(data, spark)
        times.append(time.perf_counter() - start)
        staging.append((spark.staging_seconds if spark else 0.0) - before)
    assert result is not None
    return statistics.median(times), statistics.median(staging), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 2_000_000, 4_000_000])
    parser.add_argument("--cores", type=int, default=2, help="cores Spark uses in all")
    parser.add_argument("--master", help="Spark master URL (default local[CORES])")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "accord-bench")
    args = parser.parse_args()
    print(f"machine: {platform.machine()} {os.cpu_count()} CPUs, {platform.python_version()}")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    spark = SparkEngine.start(args.master or f"local[{args.cores}]")
    _evaluate(_data(args.data, min(args.sizes)), spark)  # warm the JVM up
    rows = []
    for size in sorted(args.sizes):
        data = _data(args.data, size)
        duck, _, on_duckdb = _timed(data, None, args.repeat)
        total, staging, on_spark = _timed(data, spark, args.repeat)
        assert _numbers(on_spark) == _numbers(on_duckdb), f"verdicts differ at {size:,} events"
        measuring = total - staging
        rows.append((size, duck, total, staging, measuring))
        print(
            f"{size:>12,} events  duckdb {duck:7.2f} s  spark {total:7.2f} s "
            f"(staging {staging:5.2f} s, measuring {measuring:7.2f} s)  "
            f"spark/duckdb {total / duck:5.1f}×  measuring/duckdb {measuring / duck:5.1f}×  "
            f"spark {size / measuring / args.cores:12,.0f} events/s per core  "
            f"({len(on_spark.verdicts)} verdicts, equal)"
        )
    (small, _, _, _, t_small), (large, _, _, _, t_large) = rows[-2], rows[-1]
    marginal = (large - small) / max(t_large - t_small, 1e-9) / args.cores
    cores = MONTH_OF_EVENTS / (marginal * HOUR)
    print(f"marginal Spark throughput: {marginal:,.0f} events/s per core")
    print(
        f"a month of {MONTH_OF_EVENTS:.0e} events within an hour: {cores:,.0f} cores "
        f"(≈ {cores / 16:,.0f} executors of 16 cores), before shuffle and storage overheads"
    )
    spark.stop()


def _data(root: Path, size: int) -> Path:
    data = root / f"events-{size}"
    if not (data / "events").exists():
        generate(data, size)
    return data


if __name__ == "__main__":
    main()
