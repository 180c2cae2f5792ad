"""What the engine needs of a database to measure with: run a statement, fetch its rows.

DuckDB's connection is one; ``accord.engine.spark.SparkConnection`` (Spark SQL over
Parquet) is another. Loading and checking sources always happens in DuckDB; measuring
(every query the plans build) runs on whichever connection the evaluation is given.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["Connection", "Cursor"]


class Cursor(Protocol):
    """The rows of the statement last run."""

    def fetchone(self) -> tuple[Any, ...] | None: ...

    def fetchall(self) -> list[tuple[Any, ...]]: ...


class Connection(Protocol):
    """A statement in DuckDB's SQL (each engine transpiles it), with named parameters."""

    def execute(self, query: str, parameters: object = None, /) -> Cursor: ...
