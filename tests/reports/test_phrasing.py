"""Phrasing agreement values in plain words: dates, lists, measures whose percentages share
their decimals, parties and calendars by name, and tolerance bands in either direction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accord.core.calendars.spec import ALWAYS
from accord.core.model import Agreement
from accord.core.model.measurement import Direction
from accord.core.units import Duration, Percentage
from accord.reports.phrasing import (
    band_of,
    calendar_name,
    decimals,
    indicator_of,
    join_words,
    party_name,
    party_names,
    show_date,
    show_measure,
)


def test_dates_read_as_day_month_year() -> None:
    assert show_date(dt.date(2026, 1, 1)) == "1 January 2026"
    assert show_date(dt.date(2027, 12, 31)) == "31 December 2027"


@pytest.mark.parametrize(
    ("words", "last", "said"),
    [
        ([], "and", ""),
        (["a"], "and", "a"),
        (["a", "b"], "and", "a and b"),
        (["a", "b", "c"], "or", "a, b or c"),
    ],
)
def test_lists_are_joined_as_a_sentence(words: list[str], last: str, said: str) -> None:
    assert join_words(words, last) == said


def test_percentages_in_one_phrase_share_their_decimals() -> None:
    target, tolerance = Percentage.parse("99.95%"), Percentage.parse("99.9%")
    assert (decimals(target), decimals(tolerance)) == (2, 1)
    assert show_measure(tolerance, decimals(target)) == "99.90%"
    assert show_measure(Percentage.parse("99%")) == "99%"
    assert decimals(Duration.parse("800 ms")) == 0
    assert show_measure(Duration.parse("4 hours")) == str(Duration.parse("4 hours"))
    assert show_measure(Decimal("4.50")) == "4.5"


def test_parties_and_calendars_are_named_or_left_as_written(payments: Agreement) -> None:
    assert party_name(payments, "payco") == "PayCo Payments Ltd"
    assert party_name(payments, "nobody") == "nobody"
    assert party_names(payments, ["acme", "payco"]) == "Acme Retail GmbH and PayCo Payments Ltd"
    assert calendar_name(payments, ALWAYS) == "around the clock"
    assert calendar_name(payments, "london-support") == "PayCo partner-support hours"
    assert calendar_name(payments, "no-such-calendar") == "no-such-calendar"


def test_an_objective_s_indicator_is_found_or_the_name_is_refused(payments: Agreement) -> None:
    objective = payments.objectives[0]
    assert indicator_of(payments, objective).id == objective.indicator
    stray = objective.model_copy(update={"indicator": "ghost"})
    with pytest.raises(ValueError, match="names unknown indicator 'ghost'"):
        indicator_of(payments, stray)


def test_a_band_reads_for_its_direction(payments: Agreement) -> None:
    availability = next(o for o in payments.objectives if o.target == Percentage.parse("99.95%"))
    up = band_of(availability, Direction.HIGHER_IS_BETTER)
    assert (up.promise, up.met) == ("at least 99.95%", "99.95% or more")
    assert up.sentence() == "99.90% to below 99.95% is a deviation, below 99.90% a breach"
    down = band_of(availability, Direction.LOWER_IS_BETTER)
    assert (down.promise, down.breach) == ("at most 99.95%", "above 99.90%")
    assert down.deviation == "above 99.95% up to 99.90%"
    narrow = availability.model_copy(update={"tolerance": availability.target})
    assert band_of(narrow, Direction.HIGHER_IS_BETTER).sentence() == (
        "below 99.95% is a breach (there is no tolerance band)"
    )
