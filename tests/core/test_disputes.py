"""The rules of a dispute: the ladder frozen when it is raised, when each step lapses (business
days in the agreement's zone, across weekends and clock changes), the last instant to raise
one, and what the ledger owes after the outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from accord.core.disputes import (
    DisputeOutcome,
    LadderStep,
    freeze_steps,
    owed_after,
    raise_deadline,
    step_due,
    steps_from_json,
    steps_to_json,
)
from accord.core.loader import load_agreement
from accord.core.model import Agreement

EXAMPLES = Path(__file__).parents[2] / "examples"
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def example(name: str) -> Agreement:
    path = EXAMPLES / f"{name}.yaml"
    loaded = load_agreement(path.read_text(encoding="utf-8"), str(path))
    assert loaded.agreement is not None, loaded.problems
    return loaded.agreement


@pytest.fixture(scope="module")
def cloud() -> Agreement:
    return example("cloud-hosting")


def step(within: str) -> LadderStep:
    return LadderStep(1, "Review", within, "Both account managers")


def berlin(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=BERLIN)


# -- the ladder ---------------------------------------------------------------------------


def test_the_ladder_is_the_agreements_steps_then_mediation_without_a_time_limit(
    cloud: Agreement,
) -> None:
    steps = freeze_steps(cloud)

    assert [(s.number, s.within) for s in steps] == [
        (1, "10 business days"),
        (2, "20 business days"),
        (3, ""),
    ]
    assert steps[2].name == "Mediation"
    assert steps[2].decided_by.endswith("(costs: Shared equally)")
    assert step_due(berlin(2026, 10, 1, 9), steps[2], "Europe/Berlin") is None


def test_a_frozen_ladder_reads_back_as_written(cloud: Agreement) -> None:
    steps = freeze_steps(cloud)

    assert steps_from_json(steps_to_json(steps)) == steps


def test_an_agreement_without_a_dispute_procedure_has_no_ladder_and_no_deadline(
    cloud: Agreement,
) -> None:
    without = cloud.model_copy(update={"disputes": None})

    assert freeze_steps(without) == ()
    assert raise_deadline(dt.datetime(2026, 10, 1, tzinfo=UTC), without) is None


# -- when a step lapses -------------------------------------------------------------------


def test_business_days_skip_the_weekend_and_end_at_local_midnight() -> None:
    # Started on a Friday afternoon: counted from Monday; the fifth weekday is Friday, so
    # the step lapses when Saturday begins in Berlin.
    due = step_due(berlin(2026, 10, 9, 15, 30), step("5 business days"), "Europe/Berlin")

    assert due == berlin(2026, 10, 17).astimezone(UTC)


def test_business_days_end_at_local_midnight_after_the_clock_changes() -> None:
    due = step_due(berlin(2026, 10, 16, 15), step("10 business days"), "Europe/Berlin")

    assert due == dt.datetime(2026, 10, 30, 23, tzinfo=UTC)  # 31 October 00:00 CET


def test_a_step_started_at_local_midnight_counts_that_day() -> None:
    monday = berlin(2026, 10, 19)

    assert step_due(monday, step("1 business day"), "Europe/Berlin") == berlin(2026, 10, 20)


def test_business_days_are_counted_in_the_agreements_zone_not_in_utc() -> None:
    # 23:30 UTC on Friday is already Saturday in Berlin: the count starts on Monday the 12th
    # in either case, but in New York it is still Friday afternoon.
    friday_night = dt.datetime(2026, 10, 9, 23, 30, tzinfo=UTC)

    in_berlin = step_due(friday_night, step("1 business day"), "Europe/Berlin")
    in_new_york = step_due(friday_night, step("1 business day"), "America/New_York")

    assert in_berlin == berlin(2026, 10, 13).astimezone(UTC)
    assert in_new_york == dt.datetime(2026, 10, 13, tzinfo=ZoneInfo("America/New_York"))


def test_business_hours_without_a_calendar_run_as_wall_clock_time() -> None:
    start = berlin(2026, 10, 9, 16)  # a Friday, late afternoon

    assert step_due(start, step("4 business hours"), "Europe/Berlin") == berlin(2026, 10, 9, 20)


# -- the last instant to raise a dispute ---------------------------------------------------


def test_a_dispute_may_be_raised_until_raise_within_after_the_report(cloud: Agreement) -> None:
    reported = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)

    assert raise_deadline(reported, cloud) == dt.datetime(2027, 1, 1, 9, tzinfo=UTC)  # 60 days


def test_days_to_raise_are_whole_24_hour_days_even_across_a_clock_change(
    cloud: Agreement,
) -> None:
    in_berlin = cloud.model_copy(update={"timezone": "Europe/Berlin"})
    reported = berlin(2026, 10, 1, 10)  # summer time

    deadlines = {
        raise_deadline(reported, in_berlin),
        raise_deadline(reported.astimezone(UTC), in_berlin),
    }

    assert deadlines == {dt.datetime(2026, 11, 30, 8, tzinfo=UTC)}  # 09:00 in Berlin, winter time


def test_a_month_to_raise_ends_on_the_last_day_of_a_shorter_month(cloud: Agreement) -> None:
    monthly = Agreement.model_validate(
        {**cloud.dump(), "disputes": {**cloud.dump()["disputes"], "raise_within": "1 months"}}
    )

    deadline = raise_deadline(dt.datetime(2027, 1, 31, 12, tzinfo=UTC), monthly)

    assert deadline == dt.datetime(2027, 2, 28, 12, tzinfo=UTC)


# -- what is owed after the outcome --------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "asked", "decided", "owed"),
    [
        (DisputeOutcome.REJECTED, Decimal("900"), None, Decimal("400")),
        (DisputeOutcome.UPHELD, Decimal("900"), None, Decimal("900")),
        (DisputeOutcome.UPHELD, None, None, Decimal("400")),
        (DisputeOutcome.ADJUSTED, Decimal("900"), Decimal("650.50"), Decimal("650.50")),
        (DisputeOutcome.ADJUSTED, Decimal("900"), Decimal("0"), Decimal("0")),
    ],
)
def test_the_ledger_owes_what_the_outcome_says(
    outcome: DisputeOutcome, asked: Decimal | None, decided: Decimal | None, owed: Decimal
) -> None:
    assert owed_after(outcome, Decimal("400"), asked, decided) == owed


def test_an_adjusted_outcome_must_name_the_amount() -> None:
    with pytest.raises(ValueError, match="names the amount"):
        owed_after(DisputeOutcome.ADJUSTED, Decimal("400"), Decimal("900"), None)
