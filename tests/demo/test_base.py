"""accord.demo.base: what a sample-data run may be asked for, and the calendar months it
covers, cut at local midnight in the agreement's time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest

from accord.demo.base import Context, SampleDataError, SampleOptions, monthly_value, span_of
from tests.demo.conftest import example

UTC = dt.UTC


def test_a_malformed_end_month_is_refused() -> None:
    with pytest.raises(SampleDataError, match="YYYY-MM"):
        SampleOptions(end="2026-13")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"months": 0}, "months must be 1 to 36, not 0"),
        ({"months": 37}, "months must be 1 to 36, not 37"),
        ({"volume": 0}, "volume must be above 0"),
        ({"volume": 10.5}, "at most 10, not 10.5"),
        ({"end": "2026-1"}, "'2026-1' is not of the form YYYY-MM"),
    ],
)
def test_options_out_of_range_are_refused_with_the_bound(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(SampleDataError, match=message):
        SampleOptions(**options)


def test_the_bounds_themselves_are_accepted() -> None:
    assert SampleOptions(months=36, volume=10).months == 36
    assert SampleOptions(months=1, volume=0.001).volume == 0.001


def test_months_start_at_local_midnight_and_october_in_berlin_has_the_extra_hour() -> None:
    span = span_of(SampleOptions(months=2, end="2026-10"), "Europe/Berlin")
    assert [(m.label, m.back) for m in span.months] == [("2026-09", 1), ("2026-10", 0)]
    september, october = span.months
    assert september.start_at == dt.datetime(2026, 8, 31, 22, tzinfo=UTC)
    assert september.end_at == october.start_at == dt.datetime(2026, 9, 30, 22, tzinfo=UTC)
    # Summer time ends on 25 October: the month ends at 23:00 UTC and lasts 31 days + 1 hour.
    assert october.end_at == dt.datetime(2026, 10, 31, 23, tzinfo=UTC)
    assert october.end_at - october.start_at == dt.timedelta(days=31, hours=1)
    assert (span.start_at, span.end_at) == (september.start_at, october.end_at)


def test_a_span_crosses_the_turn_of_the_year() -> None:
    span = span_of(SampleOptions(months=3, end="2027-02"), "America/New_York")
    assert [m.label for m in span.months] == ["2026-12", "2027-01", "2027-02"]
    assert [m.first_day for m in span.months] == [
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]
    assert span.start_at == dt.datetime(2026, 12, 1, 5, tzinfo=UTC)
    assert span.end_at == dt.datetime(2027, 3, 1, 5, tzinfo=UTC)


def test_a_month_is_found_by_how_many_months_before_the_last_it_is() -> None:
    span = span_of(SampleOptions(months=2, end="2026-10"), "UTC")
    last, before = span.month(0), span.month(1)
    assert last is not None
    assert before is not None
    assert (last.label, before.label) == ("2026-10", "2026-09")
    assert span.month(2) is None
    assert span.month(-1) is None


def test_months_further_back_than_the_values_repeat_the_first_value() -> None:
    values = (0.1, 0.2, 0.3)
    assert [monthly_value(values, back) for back in (0, 1, 2, 3, 8)] == [0.3, 0.2, 0.1, 0.1, 0.1]


def test_a_source_the_agreement_lacks_is_named_with_the_agreement() -> None:
    agreement = example("payments-api")
    options = SampleOptions(months=1)
    with duckdb.connect() as con:
        context = Context(con, agreement, span_of(options, agreement.timezone), options)
        assert context.source("maintenance").path == "payments/maintenance.csv"
        with pytest.raises(SampleDataError, match="'payments-api' has no source 'probes'"):
            context.source("probes")
