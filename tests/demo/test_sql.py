"""accord.demo.sql: randomness that is a hash of the row and the seed, the story's small
tables, and business time placed on a calendar's schedule as the engine's clock counts it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pytest

from accord.core.calendars.clock import BusinessCalendar
from accord.core.units import Duration
from accord.demo.base import SampleOptions, Span, span_of
from accord.demo.scenarios import At, Maintenance
from accord.demo.sql import (
    install,
    local_ts,
    maintenance_rows,
    maintenance_table,
    monthly_table,
    peak_table,
    pick,
    register_schedules,
    shift_business,
    table_from_rows,
)
from accord.engine import sql
from tests.demo.conftest import example

UTC = dt.UTC
OCTOBER = span_of(SampleOptions(months=2, end="2026-10"), "Europe/Amsterdam")


def _session(seed: int = 1, span: Span = OCTOBER) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    install(con, seed, span)
    return con


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with _session() as session:
        yield session


def _draws(con: duckdb.DuckDBPyConnection, expression: str, count: int = 20000) -> list[float]:
    rows = con.execute(f"SELECT {expression} FROM range({count}) AS t(key) ORDER BY key")
    return [float(row[0]) for row in rows.fetchall()]


def test_a_draw_depends_on_the_key_the_purpose_and_the_seed_only() -> None:
    with _session(seed=1) as one, _session(seed=1) as again, _session(seed=2) as other:
        first = _draws(one, "rnd(key, 'late')")
        assert first == _draws(again, "rnd(key, 'late')")
        assert first != _draws(other, "rnd(key, 'late')")
        assert first != _draws(one, "rnd(key, 'damage')")
    assert all(0 <= value < 1 for value in first)
    assert sum(first) / len(first) == pytest.approx(0.5, abs=0.01)
    assert sum(value < 0.1 for value in first) / len(first) == pytest.approx(0.1, abs=0.01)


def test_spread_keeps_a_groups_share_almost_exactly_as_planned(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # 1,000 parcels of one group, 3 % late: chance alone would be off by ±5 or more.
    for group in range(20):
        drawn = _draws(con, f"spread({group}, 'late', key)", count=1000)
        assert 29 <= sum(value < 0.03 for value in drawn) <= 31, group


def test_a_log_normal_draw_has_the_median_asked_for(con: duckdb.DuckDBPyConnection) -> None:
    drawn = sorted(_draws(con, "lognormal(key, 'latency', 0.15, 0.45)"))
    assert drawn[len(drawn) // 2] == pytest.approx(0.15, rel=0.03)
    assert min(drawn) > 0


def test_pick_chooses_names_with_their_relative_shares(con: duckdb.DuckDBPyConnection) -> None:
    chosen = pick("key", "priority", {"P1": 1, "P2": 4, "P3": 15})
    query = f"SELECT {sql.render(chosen)} AS name, count(*) FROM range(20000) AS t(key) GROUP BY 1"
    counts = dict(con.execute(query).fetchall())
    assert counts["P1"] / 20000 == pytest.approx(0.05, abs=0.01)
    assert counts["P2"] / 20000 == pytest.approx(0.20, abs=0.01)
    assert counts["P3"] / 20000 == pytest.approx(0.75, abs=0.01)
    alone = sql.render(pick("key", "priority", {"P1": 0.3}))
    assert con.execute(f"SELECT DISTINCT {alone} FROM range(100) AS t(key)").fetchall() == [("P1",)]


def test_the_months_table_holds_the_span(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT back, label, start_at FROM sd_months ORDER BY back").fetchall()
    assert rows == [
        (0, "2026-10", dt.datetime(2026, 9, 30, 22, tzinfo=UTC)),
        (1, "2026-09", dt.datetime(2026, 8, 31, 22, tzinfo=UTC)),
    ]


def test_a_table_from_no_rows_exists_with_its_types(con: duckdb.DuckDBPyConnection) -> None:
    table_from_rows(con, "sd_empty", ("at TIMESTAMPTZ", "share DOUBLE"), [])
    assert con.execute("SELECT count(*) FROM sd_empty").fetchone() == (0,)
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE sd_empty)").fetchall())
    assert types == {"at": "TIMESTAMP WITH TIME ZONE", "share": "DOUBLE"}


def test_monthly_values_are_those_of_the_generated_months(
    con: duckdb.DuckDBPyConnection,
) -> None:
    monthly_table(con, "sd_late", "scope", {"de/same_day": (0.03, 0.05, 0.08)}, OCTOBER)
    rows = con.execute("SELECT scope, back, value FROM sd_late ORDER BY back").fetchall()
    assert rows == [("de/same_day", 0, 0.08), ("de/same_day", 1, 0.05)]


def test_a_peak_runs_from_local_midnight_of_its_first_date_to_after_its_last(
    con: duckdb.DuckDBPyConnection,
) -> None:
    peak_table(con, example("payments-api"))  # Black Friday to Cyber Monday, in Berlin
    assert con.execute("SELECT start_at, end_at FROM sd_peaks").fetchall() == [
        (dt.datetime(2026, 11, 26, 23, tzinfo=UTC), dt.datetime(2026, 11, 30, 23, tzinfo=UTC))
    ]


def test_maintenance_windows_outside_the_span_are_left_out(
    con: duckdb.DuckDBPyConnection,
) -> None:
    windows = (
        Maintenance(At(0, day=11, time="02:00"), 90, notice_days=3.5, failing=0.1, region="nl"),
        Maintenance(At(4, day=11, time="02:00"), 90, notice_days=9, failing=0.1, region="be"),
    )
    maintenance_table(con, windows, OCTOBER, "Europe/Amsterdam", scoped=True)
    start = dt.datetime(2026, 10, 11, tzinfo=UTC)
    assert con.execute("FROM sd_windows").fetchall() == [
        (
            0,
            start,
            start + dt.timedelta(minutes=90),
            start - dt.timedelta(days=3.5),
            "nl",
            None,
            0.1,
        )
    ]
    assert maintenance_rows(con, "starts_at", "region") == "sd_maintenance"
    described = con.execute("SELECT column_name FROM (DESCRIBE sd_maintenance)").fetchall()
    assert [row[0] for row in described] == [
        "__order",
        "starts_at",
        "ends_at",
        "announced_at",
        "region",
    ]


def test_a_local_time_is_read_in_the_zone_given(con: duckdb.DuckDBPyConnection) -> None:
    naive = sql.typed(sql.text("2026-10-25 12:00:00"), "TIMESTAMP")
    expression = sql.render(local_ts("Europe/Amsterdam", naive))
    assert con.execute(f"SELECT {expression}").fetchone() == (
        dt.datetime(2026, 10, 25, 11, tzinfo=UTC),
    )


def _claims_desk() -> BusinessCalendar:
    agreement = example("logistics-carrier")
    return BusinessCalendar.from_spec(next(c for c in agreement.calendars if c.id == "claims-desk"))


#: Starts on a working morning, in the lunch break, on a Friday evening before the weekend
#: on which summer time ends, and on a holiday-free Sunday; business seconds to run.
CLAIMS = [
    (dt.datetime(2026, 10, 5, 7, 15, 3, tzinfo=UTC), 1234.5),
    (dt.datetime(2026, 10, 6, 10, 45, 0, tzinfo=UTC), 3 * 3600 + 0.25),
    (dt.datetime(2026, 10, 23, 17, 0, 7, tzinfo=UTC), 5 * 3600 + 17.75),
    (dt.datetime(2026, 10, 25, 9, 0, 0, tzinfo=UTC), 10 * 8.5 * 3600 + 61.125),
]


def test_business_seconds_land_where_the_calendar_clock_says(
    con: duckdb.DuckDBPyConnection,
) -> None:
    desk = _claims_desk()
    register_schedules(con, [desk], OCTOBER.start_at, OCTOBER.end_at + dt.timedelta(days=60))
    table_from_rows(
        con,
        "sd_claims",
        ("idx INTEGER", "calendar VARCHAR", "filed_at TIMESTAMPTZ", "settle DOUBLE"),
        [(i, desk.id, filed, seconds) for i, (filed, seconds) in enumerate(CLAIMS)],
    )
    shift_business(con, "sd_claims", "filed_at", "settle", "settled_at")
    settled = [
        r[0] for r in con.execute("SELECT settled_at FROM sd_claims ORDER BY idx").fetchall()
    ]
    for (filed, seconds), at in zip(CLAIMS, settled, strict=True):
        expected = desk.deadline(filed, Duration.of_seconds(Decimal(str(seconds))))
        assert at == expected, filed
        assert desk.business_seconds(filed, at) == pytest.approx(seconds, abs=1e-6)


def test_a_shift_beyond_the_schedule_or_without_a_start_is_null(
    con: duckdb.DuckDBPyConnection,
) -> None:
    desk = _claims_desk()
    register_schedules(con, [desk], OCTOBER.start_at, OCTOBER.end_at)
    table_from_rows(
        con,
        "sd_claims",
        ("calendar VARCHAR", "filed_at TIMESTAMPTZ", "settle DOUBLE"),
        [
            (desk.id, dt.datetime(2026, 10, 30, 9, tzinfo=UTC), 40 * 3600.0),
            (desk.id, None, 60.0),
            (desk.id, dt.datetime(2026, 10, 1, 9, tzinfo=UTC), None),
        ],
    )
    shift_business(con, "sd_claims", "filed_at", "settle", "settled_at")
    assert con.execute("SELECT settled_at FROM sd_claims").fetchall() == [(None,)] * 3
