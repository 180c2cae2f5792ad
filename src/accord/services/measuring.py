"""Where evaluations measure: DuckDB in process (the default) or Apache Spark.

The choice is the user's (``accord evaluate --engine spark``) or the service's setting
(``ACCORD_ENGINE=spark``, ``ACCORD_SPARK_MASTER``). A Spark session takes seconds to start,
so one session per master serves every evaluation of the process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

from accord.engine.spark import SparkEngine, SparkUnavailable

__all__ = ["Measuring", "MeasuringEngine", "SparkUnavailable", "spark_for"]


class MeasuringEngine(StrEnum):
    DUCKDB = "duckdb"
    SPARK = "spark"


@dataclass(frozen=True)
class Measuring:
    """The engine evaluations measure on; ``spark_master`` is Spark's master URL."""

    engine: MeasuringEngine = MeasuringEngine.DUCKDB
    spark_master: str = "local[*]"


def spark_for(measuring: Measuring) -> SparkEngine | None:
    """The Spark session to measure on (started on first use), or None for DuckDB.

    Raises ``SparkUnavailable`` (PySpark missing, Java missing, master unreachable)."""
    if measuring.engine is MeasuringEngine.DUCKDB:
        return None
    return _session(measuring.spark_master)


@functools.cache
def _session(master: str) -> SparkEngine:
    return SparkEngine.start(master)
