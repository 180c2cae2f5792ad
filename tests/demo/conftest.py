"""The example agreements and a DuckDB session in which a demo generator has run, for the
tests of each generator's story."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from accord.core.model import Agreement
from accord.demo.base import Context, SampleOptions, Span, span_of
from accord.demo.generate import GENERATORS
from accord.demo.sql import install
from accord.demo.writer import SourceRows
from accord.services.agreements import AgreementFiles

EXAMPLES = Path(__file__).parents[2] / "examples"


def example(name: str) -> Agreement:
    """The example agreement ``examples/<name>.yaml``."""
    loaded = AgreementFiles().load_valid(EXAMPLES / f"{name}.yaml")
    assert loaded.agreement is not None
    return loaded.agreement


@dataclass(frozen=True)
class Generated:
    """A generator's temp tables, still open, by source id."""

    con: duckdb.DuckDBPyConnection
    agreement: Agreement
    span: Span
    rows: dict[str, SourceRows]

    def table(self, source: str) -> str:
        return self.rows[source].table

    def columns(self, source: str) -> set[str]:
        described = self.con.execute(f"DESCRIBE {self.table(source)}").fetchall()
        return {str(row[0]) for row in described}


@contextmanager
def generated(agreement: Agreement, options: SampleOptions) -> Iterator[Generated]:
    """Run the agreement's generator (not the writer) in a fresh DuckDB session."""
    span = span_of(options, agreement.timezone)
    with duckdb.connect() as con:
        install(con, options.seed, span)
        produced = GENERATORS[agreement.metadata.id](Context(con, agreement, span, options))
        yield Generated(con, agreement, span, {rows.source: rows for rows in produced})
