"""Calendars and peak periods as written: days, time ranges, zones, holidays, date ranges."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.calendars.spec import (
    Calendar,
    DateRange,
    Holidays,
    PeakPeriod,
    TimeRange,
    expand_days,
)


def calendar(hours: object, timezone: str = "Europe/Berlin", **holidays: Any) -> Calendar:
    return Calendar.model_validate(
        {"id": "office", "timezone": timezone, "hours": hours, "holidays": holidays}
    )


def peak(**fields: Any) -> PeakPeriod:
    return PeakPeriod.model_validate({"id": "season", "timezone": "Europe/Berlin", **fields})


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str, tuple[Any, ...]]:
    """The message, hint and place of the one problem found."""
    (found,) = error.value.errors()
    context = found.get("ctx", {})
    return found["msg"], context.get("hint", ""), tuple(context.get("at", ()))


# -- days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "days"),
    [
        ("mon-fri", ("mon", "tue", "wed", "thu", "fri")),
        ("Sat", ("sat",)),
        ("weekends", ("sat", "sun")),
        ("mon,wed-thu", ("mon", "wed", "thu")),
        ("daily", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    ],
)
def test_day_keys_expand_to_the_days_they_name(key: str, days: tuple[str, ...]) -> None:
    assert expand_days(key) == days


@pytest.mark.parametrize(
    ("key", "message"), [("fri-mon", "inverted"), ("monday", "not a day"), ("mon-xyz", "not a day")]
)
def test_a_week_does_not_wrap_and_day_names_are_short(key: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        expand_days(key)


# -- time ranges --------------------------------------------------------------------------


def test_a_range_may_end_at_midnight_written_24_00() -> None:
    whole_day = TimeRange.parse("00:00-24:00")

    assert (whole_day.start_minute, whole_day.end_minute) == (0, 24 * 60)
    assert str(TimeRange.parse("9:05-17:30")) == "09:05-17:30"


@pytest.mark.parametrize("text", ["00:00-24:30", "24:00-24:00", "08:60-09:00", "25:00-26:00"])
def test_times_outside_the_day_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="outside 00:00-24:00"):
        TimeRange.parse(text)


def test_a_night_shift_across_midnight_is_told_to_split_at_24_00() -> None:
    with pytest.raises(ValidationError) as error:
        calendar({"mon": ["22:00-06:00"]})

    message, hint, at = refusal(error)
    assert message == "time range '22:00-06:00' ends before it starts"
    assert "end the range at 24:00" in hint
    assert at == ("mon", 0)


def test_an_empty_range_is_refused_as_ending_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        TimeRange.parse("09:00-09:00")


# -- working hours ------------------------------------------------------------------------


def test_windows_that_touch_do_not_overlap_and_are_kept_in_order() -> None:
    office = calendar({"mon": ["13:00-17:00", "09:00-13:00"], "tue": "09:00-12:00"})

    assert [str(window) for window in office.hours["mon"]] == ["09:00-13:00", "13:00-17:00"]
    assert [str(window) for window in office.hours["tue"]] == ["09:00-12:00"]


def test_overlapping_windows_of_one_day_point_at_the_later_one() -> None:
    with pytest.raises(ValidationError) as error:
        calendar({"wed": ["09:00-12:30", "12:00-18:00"]})

    message, _, at = refusal(error)
    assert message == "working hours on wed overlap: 09:00-12:30 and 12:00-18:00"
    assert at == ("wed", 1)


def test_a_day_given_by_a_range_and_again_by_name_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        calendar({"mon-fri": ["09:00-17:00"], "fri": ["09:00-15:00"]})

    message, _, at = refusal(error)
    assert message == "fri is given twice in the working hours (again in 'fri')"
    assert at == ("fri",)


def test_hours_written_as_a_list_are_refused_with_an_example() -> None:
    with pytest.raises(ValidationError) as error:
        calendar(["09:00-17:00"])

    _, hint, _ = refusal(error)
    assert hint == "write e.g. hours: {mon-fri: ['09:00-17:00']}"


def test_hours_come_back_in_week_order_whatever_order_they_were_written() -> None:
    office = calendar({"sun": "10:00-14:00", "mon": "09:00-17:00"})

    assert list(office.hours) == ["mon", "sun"]
    assert office.model_dump()["hours"] == {"mon": ["09:00-17:00"], "sun": ["10:00-14:00"]}


# -- time zones and holidays --------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("europe/berlin", "did you mean 'Europe/Berlin'?"),
        ("Europe/Berln", "did you mean 'Europe/Berlin'?"),
        ("utc", "did you mean 'UTC'?"),
        # an abbreviation is not guessed at: 'EST' is one letter from 'CEST', seven hours away
        ("CEST", "use an IANA name, e.g. 'Europe/Berlin'"),
    ],
)
def test_an_unknown_time_zone_suggests_the_name_meant(zone: str, hint: str) -> None:
    with pytest.raises(ValidationError) as error:
        calendar({"mon": "09:00-17:00"}, timezone=zone)

    assert refusal(error)[:2] == (f"unknown time zone {zone!r}", hint)


def test_a_subdivision_needs_its_country() -> None:
    with pytest.raises(ValidationError) as error:
        Holidays.model_validate({"subdivision": "BY"})

    assert refusal(error) == (
        "subdivision 'BY' needs a country",
        "add e.g. country: DE",
        ("subdivision",),
    )


def test_a_country_written_in_lower_case_is_corrected() -> None:
    with pytest.raises(ValidationError) as error:
        Holidays.model_validate({"country": "de"})

    assert refusal(error)[1] == "did you mean 'DE'?"


def test_an_unknown_subdivision_names_the_country() -> None:
    with pytest.raises(ValidationError) as error:
        Holidays.model_validate({"country": "DE", "subdivision": "by"})

    message, hint, at = refusal(error)
    assert (message, hint, at) == (
        "unknown subdivision 'by' of DE",
        "did you mean 'BY'?",
        ("subdivision",),
    )


# -- date ranges and peak periods ---------------------------------------------------------


def test_a_date_range_of_one_day_is_allowed_and_an_inverted_one_is_not() -> None:
    one_day = DateRange.model_validate({"from": "2026-11-27", "to": "2026-11-27"})
    assert one_day.start == one_day.end == date(2026, 11, 27)

    with pytest.raises(ValidationError) as error:
        DateRange.model_validate({"from": "2026-12-01", "to": "2026-11-27"})
    assert refusal(error)[2] == ("to",)


def test_a_peak_period_covers_its_dates_on_the_days_it_has_hours() -> None:
    season = peak(dates=[{"from": "2026-11-27", "to": "2026-12-24"}])
    office = peak(hours={"weekdays": ["09:00-17:00"]})

    assert season.covers(date(2026, 11, 27))
    assert season.covers(date(2026, 12, 24))
    assert not season.covers(date(2026, 11, 26))
    assert office.covers(date(2026, 10, 16))  # a Friday
    assert not office.covers(date(2026, 10, 17))  # a Saturday


def test_a_peak_period_with_dates_and_hours_needs_both() -> None:
    black_friday = peak(
        dates=[{"from": "2026-11-27", "to": "2026-11-30"}], hours={"fri": "08:00-20:00"}
    )

    assert black_friday.covers(date(2026, 11, 27))  # the Friday
    assert not black_friday.covers(date(2026, 11, 28))  # Saturday, in the dates, without hours
    assert not black_friday.covers(date(2026, 12, 4))  # a Friday after the dates


def test_a_peak_period_without_dates_or_hours_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        peak()

    assert refusal(error)[0] == "peak period 'season' needs 'dates', 'hours' or both"


def test_date_ranges_sharing_a_day_overlap_and_the_later_written_is_blamed() -> None:
    with pytest.raises(ValidationError) as error:
        peak(
            dates=[
                {"from": "2026-12-20", "to": "2026-12-31"},
                {"from": "2026-11-27", "to": "2026-12-20"},
            ]
        )

    message, _, at = refusal(error)
    assert message == "date range 2026-12-20..2026-12-31 overlaps 2026-11-27..2026-12-20"
    assert at == ("dates", 0)


def test_date_ranges_that_follow_each_other_do_not_overlap() -> None:
    season = peak(
        dates=[
            {"from": "2026-11-27", "to": "2026-11-30"},
            {"from": "2026-12-01", "to": "2026-12-24"},
        ]
    )

    assert season.covers(date(2026, 11, 30))
    assert season.covers(date(2026, 12, 1))
