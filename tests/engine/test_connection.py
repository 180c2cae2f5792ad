"""What the engine needs of a database to measure with is only this: run a statement (with
named parameters) and fetch one row or all of them. A connection offering nothing else
measures what DuckDB's own connection measures, clocks on a business calendar included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from accord.core.model import Agreement
from accord.core.periods import parse_period, windows_in_period
from accord.engine.connection import Connection, Cursor
from accord.engine.measure import Measured, measure_window
from tests.engine.builders import (
    BERLIN,
    TICKETS_SOURCE,
    agreement_of,
    load_sources,
    target_of,
    write_csv,
)
from tests.engine.requests import (
    MID_OCTOBER,
    P90_LATENCY,
    requests_agreement,
    spread,
    write_requests,
)


class _Rows:
    """A cursor with only the protocol's two methods."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._cursor = cursor

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cursor.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cursor.fetchall()


class BareConnection:
    """DuckDB behind the protocol and nothing more, counting the statements it runs."""

    def __init__(self, duck: duckdb.DuckDBPyConnection) -> None:
        self._duck = duck
        self.statements = 0

    def execute(self, query: str, parameters: object = None, /) -> Cursor:
        self.statements += 1
        if parameters is None:
            return _Rows(self._duck.execute(query))
        return _Rows(self._duck.execute(query, parameters))


def measured_both_ways(agreement: Agreement, folder: Path) -> tuple[list[Measured], ...]:
    span = windows_in_period(
        agreement.objectives[0].window, parse_period("2026-10", agreement.timezone)
    )[0]
    results = []
    bare: BareConnection | None = None
    for wrapped in (False, True):
        with duckdb.connect() as duck:
            duck.execute("SET TimeZone = 'UTC'")
            load_sources(duck, agreement, folder)
            con: Connection = duck
            if wrapped:
                con = bare = BareConnection(duck)
            results.append(measure_window(con, target_of(agreement, span.end_at), span))
    assert bare is not None
    assert bare.statements > 0
    return tuple(results)


def test_a_bare_connection_measures_what_duckdb_measures(tmp_path: Path) -> None:
    rows = [*spread(MID_OCTOBER, 5, 200), *spread(MID_OCTOBER, 2, 503)]
    write_requests(tmp_path, [*rows, *spread(MID_OCTOBER, 3, 200, "us")])

    duck, bare = measured_both_ways(requests_agreement(), tmp_path)

    assert bare == duck
    assert [m.scope for m in bare] == [{"region": "eu"}, {"region": "us"}]


def test_a_bare_connection_measures_a_percentile(tmp_path: Path) -> None:
    rows = [
        (MID_OCTOBER + dt.timedelta(minutes=n), "eu", 200, 100 * n, "provider") for n in range(10)
    ]
    write_requests(tmp_path, rows)
    objective = {
        "id": "availability",
        "name": "Latency",
        "indicator": "tail",
        "target": "800ms",
        "tolerance": "1s",
        "window": "month",
    }

    duck, bare = measured_both_ways(
        requests_agreement(objective, indicators=[P90_LATENCY]), tmp_path
    )

    assert bare == duck
    assert bare[0].value is not None


def test_a_bare_connection_runs_a_business_clock(tmp_path: Path) -> None:
    opened = dt.datetime(2026, 10, 9, 15, tzinfo=BERLIN)
    answered = dt.datetime(2026, 10, 12, 11, tzinfo=BERLIN)
    write_csv(
        tmp_path, "tickets", ["ticket_id", "opened_at", "answered_at"], [["T-1", opened, answered]]
    )
    agreement = agreement_of(
        {
            "calendars": [
                {"id": "office", "timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}
            ],
            "sources": [TICKETS_SOURCE],
            "indicators": [
                {
                    "id": "answer",
                    "name": "Time to answer",
                    "kind": "business_duration",
                    "source": "tickets",
                    "start": "opened",
                    "end": "answered",
                    "calendar": "office",
                    "statistic": "mean",
                }
            ],
            "objectives": [
                {
                    "id": "answer-time",
                    "name": "Time to answer",
                    "indicator": "answer",
                    "target": "4 business hours",
                    "tolerance": "8 business hours",
                    "window": "month",
                }
            ],
        }
    )

    duck, bare = measured_both_ways(agreement, tmp_path)

    assert bare == duck
    assert bare[0].value == 4 * 3600
