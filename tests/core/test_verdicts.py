"""Verdicts shown as people read them: units, plurals and business time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord.core.model.measurement import ValueKind
from accord.core.units import Duration
from accord.core.verdicts import WorkingTime, canonical, show_seconds, show_value


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        ("0", "0 seconds"),
        ("0.25", "250 ms"),
        ("1", "1 second"),
        ("90", "1.5 minutes"),
        ("3600", "1 hour"),
        ("172800", "2 days"),
    ],
)
def test_wall_clock_seconds_are_shown_in_the_largest_readable_unit(
    seconds: str, shown: str
) -> None:
    assert show_seconds(Decimal(seconds)) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [("3600", "1 business hour"), ("172800", "48 business hours"), ("60", "1 business minute")],
)
def test_business_seconds_keep_the_word_business_and_stop_at_hours(
    seconds: str, shown: str
) -> None:
    # A business day's length depends on the calendar: 48 business hours are six 8-hour days.
    assert show_value(Decimal(seconds), ValueKind.DURATION, business=True) == shown


def test_a_business_day_is_the_working_day_of_the_calendar_it_is_measured_on() -> None:
    office = WorkingTime("office", Decimal(8 * 3600))

    assert canonical(Duration.parse("2 business days"), office) == 16 * 3600
    assert canonical(Duration.parse("4 business hours"), office) == 4 * 3600
    assert not WorkingTime("24x7", Decimal(86400)).is_business
    with pytest.raises(ValueError, match="needs a calendar"):
        canonical(Duration.parse("2 business days"))
