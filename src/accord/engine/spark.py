"""Measuring on Apache Spark: the same statements, transpiled by SQLGlot to Spark SQL.

Sources are read and checked in DuckDB as always (bad rows quarantined, reports counted);
their checked rows are then written as Parquet and registered in Spark as views of the same
names, and every query the plans build runs on Spark (``portable(…, "spark")``). Small
tables the engine creates on the way (a calendar's working schedule) are made in DuckDB and
shipped to Spark the same way. The answers come back as DuckDB gives them: instants as
tz-aware UTC datetimes.

PySpark is optional (``pip install accord[spark]``) and needs Java 17 or newer; a session is
expensive to start, so one ``SparkEngine`` serves many evaluations.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import duckdb
import sqlglot
from sqlglot import exp

from accord.engine.sql import DIALECT, copy_to, portable, render, table

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["SparkConnection", "SparkEngine", "SparkUnavailable", "spark_available"]

#: Spark settings that make its answers DuckDB's: instants in UTC, and SQL that returns
#: NULL (as DuckDB does) rather than failing where the plans rely on it.
_CONF: Final = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}
_QUERIES: Final = (exp.Select, exp.Union, exp.Intersect, exp.Except)


class SparkUnavailable(Exception):
    """Spark cannot be used here: PySpark is not installed or the session does not start."""


def spark_available() -> bool:
    """Whether PySpark is installed (Java is found only when a session starts)."""
    return importlib.util.find_spec("pyspark") is not None


class SparkEngine:
    """A Spark session to measure on (``local[N]`` or a cluster's master URL)."""

    def __init__(self, session: SparkSession) -> None:
        self.session = session
        #: Seconds spent writing loaded sources as Parquet for Spark, over all connections
        #: (a cluster reads the sources' own files instead; benchmarks report it apart).
        self.staging_seconds = 0.0

    @classmethod
    def start(cls, master: str = "local[2]", conf: dict[str, str] | None = None) -> SparkEngine:
        """Start (or join) a session; SparkUnavailable says why one cannot start."""
        if not spark_available():
            raise SparkUnavailable(
                "the Spark engine needs PySpark: pip install 'accord[spark]' (and Java 17+)"
            )
        from pyspark.sql import SparkSession  # noqa: PLC0415 (an optional dependency)

        builder = SparkSession.builder.master(master).appName("accord")
        for key, value in {**_CONF, **(conf or {})}.items():
            builder = builder.config(key, value)
        try:
            with warnings.catch_warnings():
                # PySpark warns about the pandas version it finds; Accord uses no pandas here.
                warnings.simplefilter("ignore", FutureWarning)
                session = builder.getOrCreate()
        except Exception as exc:  # py4j or Java missing: whatever it is, say it plainly
            raise SparkUnavailable(f"Spark did not start ({master}): {exc}") from None
        session.sparkContext.setLogLevel("ERROR")
        return cls(session)

    @contextmanager
    def connect(self, duck: duckdb.DuckDBPyConnection) -> Iterator[SparkConnection]:
        """A connection measuring on Spark over what ``duck`` has loaded, with a staging
        folder for its Parquet that is removed afterwards."""
        staging = Path(tempfile.mkdtemp(prefix="accord-spark-"))
        connection = SparkConnection(duck, self.session, staging)
        try:
            yield connection
        finally:
            self.staging_seconds += connection.staging_seconds
            connection.close()
            shutil.rmtree(staging, ignore_errors=True)

    def stop(self) -> None:
        self.session.stop()


class SparkConnection:
    """Queries on Spark, everything else (creating small tables) on DuckDB, shipped over."""

    def __init__(self, duck: duckdb.DuckDBPyConnection, session: SparkSession, staging: Path):
        self.duck = duck
        self.session = session
        self.staging = staging
        self._views: list[str] = []
        self.statements = 0
        self.staging_seconds = 0.0

    def stage(self, name: str) -> None:
        """Write DuckDB's table or view ``name`` as Parquet and register it in Spark."""
        started = time.perf_counter()
        target = self.staging / f"{len(self._views)}-{name}.parquet"
        everything = exp.select("*").from_(table(name))
        self.duck.execute(render(copy_to(everything, target, format=exp.var("parquet"))))
        self.session.read.parquet(str(target)).cache().createOrReplaceTempView(f"`{name}`")
        self._views.append(name)
        self.staging_seconds += time.perf_counter() - started

    def execute(self, query: str, parameters: object = None, /) -> _Rows:
        tree = sqlglot.parse_one(query, read=DIALECT)
        if not isinstance(tree, _QUERIES):
            self.duck.execute(query, parameters)
            if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Table):
                self.stage(tree.this.name)
            return _Rows([])
        if parameters is not None:
            raise ValueError("queries on Spark take no parameters: put values in the tree")
        self.statements += 1
        rows = self.session.sql(portable(tree, "spark")).collect()
        return _Rows([tuple(_value(v) for v in row) for row in rows])

    def close(self) -> None:
        for name in self._views:
            self.session.catalog.dropTempView(f"`{name}`")
        self._views.clear()


class _Rows:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return list(self._rows)


def _value(value: object) -> object:
    """Spark's value as DuckDB gives it: PySpark gives an instant as a naive datetime in
    the process's local time, DuckDB (set to UTC) as a tz-aware one in UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.astimezone(dt.UTC)
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value
