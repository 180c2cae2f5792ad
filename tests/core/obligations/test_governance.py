"""Governance reviews from the cadence: periods cut from the calendar year in the agreement's
time zone, each review due a month (or review_within) after its period ends, owed by the
consumer; nothing for a period before the term or one whose review was due already."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.core.obligations import governance_reviews, review_period
from tests.engine.builders import agreement_of


@pytest.mark.parametrize(
    ("cadence", "label", "start", "end"),
    [
        ("monthly", "2026-11", dt.date(2026, 11, 1), dt.date(2026, 12, 1)),
        ("quarterly", "2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("half_yearly", "2026-Q4", dt.date(2026, 7, 1), dt.date(2027, 1, 1)),
        ("yearly", "2026-Q4", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
    ],
)
def test_a_review_period_is_named_by_the_pack_it_reviews(
    cadence: str, label: str, start: dt.date, end: dt.date
) -> None:
    found = review_period(dt.date(2026, 11, 3), cadence)

    assert (found.label, found.start, found.end) == (label, start, end)


def test_the_first_half_year_is_reviewed_with_the_second_quarter_s_pack() -> None:
    assert review_period(dt.date(2026, 2, 28), "half_yearly").label == "2026-Q2"


OFFICE = {"id": "office", "timezone": "Europe/Berlin", "hours": {"mon-fri": "09:00-17:00"}}


def _agreement(**governance: Any) -> Any:
    return agreement_of(
        {
            "calendars": [OFFICE],
            "governance": {
                "review_cadence": "monthly",
                "participants": ["buyer", "seller"],
                "data_sharing": "Monthly exports.",
                **governance,
            },
        }
    )


def _due(**governance: Any) -> list[tuple[str, dt.datetime, dt.datetime, str]]:
    now = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)
    return [
        (o.key, o.trigger_at, o.due_at, o.party)
        for o in governance_reviews(_agreement(**governance), now)
    ]


def test_each_review_is_due_a_month_after_its_period_ends_in_local_time() -> None:
    # October ended at 1 November 00:00 in Berlin (CET); its review is due by 1 December.
    assert _due() == [
        (
            "governance_review:2026-10",
            dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 30, 23, tzinfo=dt.UTC),
            "buyer",
        ),
        (
            "governance_review:2026-11",
            dt.datetime(2026, 11, 30, 23, tzinfo=dt.UTC),
            dt.datetime(2026, 12, 31, 23, tzinfo=dt.UTC),
            "buyer",
        ),
    ]


def test_the_agreement_may_give_the_review_less_time() -> None:
    # With two days, October's review was due on 2 November: not scheduled after the fact.
    assert [key for key, *_ in _due(review_within="2 days")] == ["governance_review:2026-11"]


def test_no_review_for_a_period_that_ended_before_the_term_began() -> None:
    agreement = _agreement(review_cadence="quarterly")
    now = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)

    assert [o.key for o in governance_reviews(agreement, now)] == ["governance_review:2026-Q1"]


def test_an_agreement_without_governance_owes_no_review() -> None:
    now = dt.datetime(2026, 11, 3, tzinfo=dt.UTC)

    assert governance_reviews(agreement_of({}), now) == []


def test_a_business_calendar_counts_the_review_s_time_in_its_working_hours() -> None:
    # November ends at 1 December 00:00 Berlin, a Tuesday: ten business days of 09:00-17:00
    # run out at 17:00 on Monday 14 December (CET, 16:00 UTC).
    found = [due for key, _, due, _ in _due(review_within="10 business days", calendar="office")]
    assert found[-1] == dt.datetime(2026, 12, 14, 16, tzinfo=dt.UTC)
    [duty] = governance_reviews(
        _agreement(review_within="10 business days", calendar="office"),
        dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )[-1:]
    assert duty.calendar == "office"


def test_without_a_calendar_business_days_are_whole_days() -> None:
    found = [due for key, _, due, _ in _due(review_within="10 business days")]
    assert found[-1] == dt.datetime(2026, 12, 10, 23, tzinfo=dt.UTC)


def test_the_governance_calendar_must_be_declared() -> None:
    document = {"governance": {"review_cadence": "monthly", "participants": ["buyer"],
                               "data_sharing": "x", "calendar": "offfice"}}  # fmt: skip
    with pytest.raises(AssertionError, match="calendar 'offfice'"):
        agreement_of({"calendars": [OFFICE], **document})
