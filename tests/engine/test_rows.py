"""The rows an objective reads in a window and which its exclusions leave out: half-open
windows, excluded periods limited to their matched values, rows left out one by one, all
still selected and flagged rather than removed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import pytest

from accord.core.expressions import Predicate
from accord.core.periods import WindowSpan
from accord.engine.rows import INCLUDED, Interval, Restrictions, Rows
from accord.engine.sql import render
from tests.engine.builders import agreement_of, utc

HOUR = dt.timedelta(hours=1)
WINDOW = WindowSpan("2026-10-06", utc(2026, 10, 6), utc(2026, 10, 7))
SOURCE = {
    "id": "requests",
    "kind": "events",
    "format": "csv",
    "path": "requests.csv",
    "timestamp": "at",
    "columns": {
        "at": {"column": "at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
        "status": {"column": "status", "type": "integer"},
    },
}


def rows_of(restrictions: Restrictions, **objective: str) -> Rows:
    agreement = agreement_of(
        {
            "sources": [SOURCE],
            "indicators": [
                {
                    "id": "ok",
                    "name": "OK",
                    "kind": "ratio",
                    "source": "requests",
                    "good": "status < 500",
                }
            ],
            "objectives": [
                {
                    "id": "availability",
                    "name": "Availability",
                    "indicator": "ok",
                    "target": "99%",
                    "tolerance": "95%",
                    "window": "day",
                    "scope": ["region"],
                    **objective,
                }
            ],
        }
    )
    source = agreement.sources[0]
    indicator = agreement.indicators[0]
    return Rows(agreement.objectives[0], indicator, source, restrictions)


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute(
            'CREATE TABLE src_requests ("at" TIMESTAMPTZ, region VARCHAR, status INTEGER)'
        )
        connection.executemany(
            "INSERT INTO src_requests VALUES (?, ?, ?)",
            [
                (utc(2026, 10, 5, 23, 59), "eu", 200),  # the day before
                (utc(2026, 10, 6), "eu", 200),  # the window's first instant
                (utc(2026, 10, 6, 10, 30), "eu", 503),
                (utc(2026, 10, 6, 10, 30), "us", 503),
                (utc(2026, 10, 6, 12), "us", 429),
                (utc(2026, 10, 7), "eu", 200),  # the next window's first instant
            ],
        )
        yield connection


def flags(con: duckdb.DuckDBPyConnection, rows: Rows) -> list[tuple[str, int, bool]]:
    statement = rows.select(WINDOW).order_by('"at"', "region")
    return [(row[1], row[2], row[3]) for row in con.execute(render(statement)).fetchall()]


def test_a_window_holds_its_first_instant_and_not_the_next_windows(
    con: duckdb.DuckDBPyConnection,
) -> None:
    found = flags(con, rows_of(Restrictions("Europe/Berlin")))

    assert found == [("eu", 200, True), ("eu", 503, True), ("us", 503, True), ("us", 429, True)]


def test_an_excluded_period_flags_only_the_rows_of_its_matched_region(
    con: duckdb.DuckDBPyConnection,
) -> None:
    outage = Interval("eu-outage", utc(2026, 10, 6, 10), utc(2026, 10, 6, 11), (("region", "eu"),))

    found = flags(con, rows_of(Restrictions("Europe/Berlin", intervals=(outage,))))

    assert found == [("eu", 200, True), ("eu", 503, False), ("us", 503, True), ("us", 429, True)]


def test_rows_left_out_one_by_one_are_still_selected(con: duckdb.DuckDBPyConnection) -> None:
    throttled = Restrictions("Europe/Berlin", row_exclusions=(Predicate.parse("status = 429"),))

    found = flags(con, rows_of(throttled))

    assert ("us", 429, False) in found
    assert len(found) == 4


def test_the_objectives_own_condition_narrows_the_selection(con: duckdb.DuckDBPyConnection) -> None:
    found = flags(con, rows_of(Restrictions("Europe/Berlin"), where="region = 'us'"))

    assert [region for region, _, _ in found] == ["us", "us"]


def test_without_exclusions_every_row_counts_and_none_are_counted_as_excluded() -> None:
    rows = rows_of(Restrictions("Europe/Berlin"))

    assert rows.included(WINDOW) is None
    assert render(rows.excluded_rows(WINDOW)) == "0"
    assert rows.included(None) is not None  # without a window, any row might be


def test_a_period_outside_the_window_excludes_nothing_in_it() -> None:
    later = Interval("later", utc(2026, 10, 7), utc(2026, 10, 7, 1))

    assert not later.overlaps(WINDOW)  # touching the end is outside
    assert Interval("x", utc(2026, 10, 6, 23), utc(2026, 10, 7, 1)).overlaps(WINDOW)
    assert rows_of(Restrictions("Europe/Berlin", intervals=(later,))).excluded(WINDOW) is None


def test_a_period_applies_to_scopes_that_agree_with_its_matched_values() -> None:
    outage = Interval("eu", WINDOW.start_at, WINDOW.end_at, (("region", "eu"),))

    assert outage.applies_to({"region": "eu"})
    assert not outage.applies_to({"region": "us"})
    assert outage.applies_to({})  # a scope without region could hold eu rows
    assert outage.matching(["status"]) == []  # a source without region is not limited
    assert INCLUDED == "__in"
