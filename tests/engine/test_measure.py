"""Measuring objectives over one window: every scope the objective has rows of appears,
silent ones with no data; rows after ``as_of`` are not counted; coverage counts the local
days data is expected on (calendar, peak period) that have rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from accord.core.model import Agreement
from accord.core.periods import WindowSpan, parse_period, windows_in_period
from accord.core.verdicts import Outcome
from accord.engine.measure import Measured, measure_window, measured_span
from tests.engine.builders import (
    BERLIN,
    evaluate_period,
    load_sources,
    target_of,
    utc,
    write_csv,
)
from tests.engine.requests import (
    MID_OCTOBER,
    REQUESTS_SOURCE,
    availability,
    daily,
    only,
    requests_agreement,
    spread,
    verdicts_of,
    write_requests,
)

OCTOBER = WindowSpan("2026-10", utc(2026, 9, 30, 22), utc(2026, 10, 31, 23))


def measure(
    agreement: Agreement, folder: Path, as_of: dt.datetime | None = None, period: str = "2026-10"
) -> dict[str, Measured]:
    """The first objective measured over its first window of the period, by scope."""
    span = windows_in_period(
        agreement.objectives[0].window, parse_period(period, agreement.timezone)
    )[0]
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        load_sources(con, agreement, folder)
        found = measure_window(con, target_of(agreement, as_of or span.end_at), span)
    return {",".join(f"{k}={v}" for k, v in m.scope.items()): m for m in found}


# -- the measured part of a window --------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "end"),
    [
        (utc(2026, 9, 1), OCTOBER.start_at),
        (OCTOBER.start_at, OCTOBER.start_at),
        (MID_OCTOBER, MID_OCTOBER),
        (
            OCTOBER.end_at - dt.timedelta(microseconds=1),
            OCTOBER.end_at - dt.timedelta(microseconds=1),
        ),
        (OCTOBER.end_at, OCTOBER.end_at),
        (utc(2027, 1, 1), OCTOBER.end_at),
    ],
)
def test_the_measured_part_ends_at_as_of_within_the_window(
    as_of: dt.datetime, end: dt.datetime
) -> None:
    assert measured_span(OCTOBER, as_of) == WindowSpan("2026-10", OCTOBER.start_at, end)


# -- scopes -------------------------------------------------------------------------------


def test_a_region_silent_for_the_whole_window_still_appears_with_no_data(tmp_path: Path) -> None:
    write_requests(tmp_path, [*spread(MID_OCTOBER, 5, 200), *spread(utc(2026, 9, 3), 5, 500, "us")])
    verdicts = verdicts_of(evaluate_period(requests_agreement(), tmp_path))

    assert verdicts["region=eu"].outcome is Outcome.MET
    assert verdicts["region=us"].outcome is Outcome.NO_DATA
    assert verdicts["region=us"].counts == {"good": 0, "valid": 0}
    assert "no valid events" in verdicts["region=us"].computation


def test_events_after_as_of_are_not_counted(tmp_path: Path) -> None:
    write_requests(tmp_path, [*spread(MID_OCTOBER, 4, 200), *spread(utc(2026, 10, 20), 4, 500)])
    verdict = only(evaluate_period(requests_agreement(), tmp_path, as_of=utc(2026, 10, 18)))

    assert verdict.counts == {"good": 4, "valid": 4}
    assert verdict.outcome is Outcome.MET


DELIVERY_DAYS = {
    "id": "delivery-days",
    "timezone": "Europe/Berlin",
    "hours": {"mon-sat": ["00:00-24:00"]},
    "holidays": {"country": "DE"},
}
REQUESTS_ON_DELIVERY_DAYS = {**REQUESTS_SOURCE, "expected_on": "delivery-days"}


def test_a_source_without_sunday_data_is_short_of_data_unless_sundays_are_not_expected(
    tmp_path: Path,
) -> None:
    write_requests(tmp_path, daily(dt.date(2026, 10, 1), dt.date(2026, 10, 31), skip=(6,)))
    every_day = only(evaluate_period(requests_agreement(), tmp_path))
    expected = only(
        evaluate_period(
            requests_agreement(requests=REQUESTS_ON_DELIVERY_DAYS, calendars=[DELIVERY_DAYS]),
            tmp_path,
        )
    )

    assert every_day.coverage.detail == "27 of 31 days"
    assert "data covers 27 of 31 days" in every_day.notes
    # 3 October (German Unity Day, a Saturday) is a holiday: 26 delivery days, all with data.
    assert expected.coverage.detail == "26 of 26 days (delivery-days)"
    assert expected.coverage.ratio == 1
    assert not any(note.startswith("data covers") for note in expected.notes)


def test_a_missing_delivery_day_is_a_gap_in_coverage(tmp_path: Path) -> None:
    rows = daily(dt.date(2026, 10, 1), dt.date(2026, 10, 31), skip=(6,))
    write_requests(tmp_path, [row for row in rows if row[0].date() != dt.date(2026, 10, 17)])
    agreement = requests_agreement(requests=REQUESTS_ON_DELIVERY_DAYS, calendars=[DELIVERY_DAYS])
    verdict = only(evaluate_period(agreement, tmp_path))

    assert verdict.coverage.detail == "25 of 26 days (delivery-days)"


def test_a_dated_peak_period_expects_data_only_on_its_dates(tmp_path: Path) -> None:
    write_requests(tmp_path, daily(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    peak = {
        "id": "black-friday",
        "timezone": "Europe/Berlin",
        "dates": [{"from": "2026-11-27", "to": "2026-11-30"}],
    }
    objective = availability(during="black-friday")
    agreement = requests_agreement(objective, peak_periods=[peak])
    verdict = only(evaluate_period(agreement, tmp_path, period="2026-11"))

    assert verdict.counts == {"good": 4, "valid": 4}
    assert verdict.coverage.detail == "4 of 4 days (black-friday)"


def test_a_region_busy_only_off_peak_is_silent_during_the_peak(tmp_path: Path) -> None:
    monday = dt.datetime(2026, 10, 5, tzinfo=BERLIN)
    rows = [
        ((monday + dt.timedelta(hours=10)).astimezone(dt.UTC), "eu", 200),
        ((monday + dt.timedelta(hours=20)).astimezone(dt.UTC), "us", 200),  # evening only
    ]
    write_requests(tmp_path, rows)
    peak = {
        "id": "office-hours",
        "timezone": "Europe/Berlin",
        "hours": {"weekdays": ["09:00-17:00"]},
    }
    objective = availability(during="office-hours")
    verdicts = verdicts_of(
        evaluate_period(requests_agreement(objective, peak_periods=[peak]), tmp_path)
    )

    assert verdicts["region=eu"].outcome is Outcome.MET
    assert verdicts["region=us"].outcome is Outcome.NO_DATA


def test_a_region_whose_first_rows_come_after_as_of_is_silent_until_then(tmp_path: Path) -> None:
    write_requests(
        tmp_path, [*spread(MID_OCTOBER, 3, 200), *spread(utc(2026, 10, 20), 3, 500, "us")]
    )

    measured = measure(requests_agreement(), tmp_path, as_of=utc(2026, 10, 18))

    assert measured["region=us"].value is None
    assert measured["region=us"].counts == {"good": 0, "valid": 0}
    assert measured["region=eu"].value == 1


def test_rows_the_objective_leaves_out_make_no_scope(tmp_path: Path) -> None:
    write_requests(
        tmp_path, [*spread(MID_OCTOBER, 3, 200), *spread(utc(2026, 9, 2), 3, 200, "test")]
    )

    measured = measure(requests_agreement(availability(where="region <> 'test'")), tmp_path)

    assert list(measured) == ["region=eu"]


def test_an_objective_without_any_rows_is_one_silent_scope_none_seen(tmp_path: Path) -> None:
    write_csv(tmp_path, "requests", ["at", "region", "status", "latency_ms", "blame"], [])

    measured = measure(requests_agreement(), tmp_path)

    assert list(measured) == ["region=(none seen)"]
    assert measured["region=(none seen)"].value is None


def test_scopes_are_listed_in_order_with_an_empty_value_last(tmp_path: Path) -> None:
    rows = [*spread(MID_OCTOBER, 1, 200, "us"), *spread(MID_OCTOBER, 1, 200, "ap")]
    write_requests(tmp_path, [*rows, (MID_OCTOBER, None, 200)])

    assert list(measure(requests_agreement(), tmp_path)) == [
        "region=ap",
        "region=us",
        "region=(none seen)",
    ]


def test_the_computation_ends_with_the_value_shown_and_a_silent_scope_s_has_none(
    tmp_path: Path,
) -> None:
    rows = [*spread(MID_OCTOBER, 199, 200), *spread(MID_OCTOBER, 1, 503)]
    write_requests(tmp_path, [*rows, *spread(utc(2026, 9, 2), 1, 200, "us")])

    measured = measure(requests_agreement(), tmp_path)

    assert measured["region=eu"].value == Decimal("0.995")
    assert measured["region=eu"].computation.endswith(" = 99.5%")
    assert "=" not in measured["region=us"].computation


# -- coverage -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "detail"),
    [
        # Midnight in Berlin: 15 October has not started.
        (dt.datetime(2026, 10, 15, tzinfo=BERLIN), "14 of 14 days"),
        # It has, a microsecond later, and its noon event is still to come.
        (dt.datetime(2026, 10, 15, tzinfo=BERLIN) + dt.timedelta(microseconds=1), "14 of 15 days"),
        # 25 October lasts 25 hours (summer time ends); 26 October starts at 23:00 UTC.
        (utc(2026, 10, 25, 22, 59, 59), "25 of 25 days"),
        (utc(2026, 10, 25, 23), "25 of 25 days"),
        (utc(2026, 10, 25, 23, 0, 1), "25 of 26 days"),
    ],
)
def test_coverage_counts_the_local_days_the_window_has_reached(
    tmp_path: Path, as_of: dt.datetime, detail: str
) -> None:
    write_requests(tmp_path, daily(dt.date(2026, 10, 1), dt.date(2026, 10, 31)))

    (measured,) = measure(requests_agreement(), tmp_path, as_of=as_of).values()

    assert measured.coverage.detail == detail


def test_a_window_not_started_covers_nothing(tmp_path: Path) -> None:
    write_requests(tmp_path, daily(dt.date(2026, 10, 1), dt.date(2026, 10, 31)))

    (measured,) = measure(requests_agreement(), tmp_path, as_of=utc(2026, 9, 30, 21)).values()

    assert measured.coverage.ratio == 0
    assert measured.coverage.detail == "none of the window: it has not started"


def test_every_row_of_a_sparse_source_counts(tmp_path: Path) -> None:
    tickets = {**REQUESTS_SOURCE, "kind": "tickets"}
    write_requests(tmp_path, spread(MID_OCTOBER, 2, 200))

    (measured,) = measure(requests_agreement(requests=tickets), tmp_path).values()

    assert measured.coverage.ratio == Decimal(1)
    assert measured.coverage.detail == "31 days (sparse source: every row counts)"
