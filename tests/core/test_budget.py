"""Error budgets and multi-window burn-rate alerts (SRE workbook practice)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accord.core.budget import BURN_ALERTS, BurnCounts, WindowProgress, error_budget

START = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
THIRTY_DAYS = dt.timedelta(days=30)
END = START + THIRTY_DAYS
TARGET = Decimal("0.999")


def closed() -> WindowProgress:
    return WindowProgress(START, END, END)


def at(days: float) -> WindowProgress:
    return WindowProgress(START, END, START + dt.timedelta(days=days))


def test_the_thresholds_for_a_30_day_window_are_the_workbooks() -> None:
    assert [alert.threshold(THIRTY_DAYS) for alert in BURN_ALERTS] == [
        Decimal("14.4"),
        Decimal(6),
        Decimal(3),
        Decimal(1),
    ]


def test_the_thresholds_for_a_28_day_window_scale_with_its_length() -> None:
    thresholds = [alert.threshold(dt.timedelta(days=28)) for alert in BURN_ALERTS]

    assert thresholds[:3] == [Decimal("13.44"), Decimal("5.6"), Decimal("2.8")]
    assert round(thresholds[3], 4) == Decimal("0.9333")


def test_the_budget_counts_allowed_spent_and_remaining_events() -> None:
    budget = error_budget(9_995, 10_000, TARGET, closed())

    assert budget is not None
    assert budget.allowed_ratio == Decimal("0.001")
    assert budget.allowed_events == 10
    assert budget.spent_events == 5
    assert budget.remaining_events == 5
    assert budget.consumed_ratio == Decimal("0.5")
    assert budget.burn_rate == Decimal("0.5")
    assert budget.projected_exhaustion_at is None


def test_an_overspent_budget_goes_below_zero_and_is_exhausted() -> None:
    budget = error_budget(9_980, 10_000, TARGET, closed())

    assert budget is not None
    assert budget.remaining_events == -10
    assert budget.consumed_ratio == 2
    assert budget.projected_exhaustion_at == "exhausted"


def test_the_budget_runs_out_inside_the_window_when_it_burns_faster_than_one() -> None:
    budget = error_budget(9_995, 10_000, TARGET, at(10))

    assert budget is not None
    assert budget.burn_rate == Decimal("1.5")
    assert budget.projected_exhaustion_at == (START + dt.timedelta(days=20)).isoformat()


def test_a_budget_burning_at_one_or_less_is_not_projected_to_run_out() -> None:
    budget = error_budget(9_995, 10_000, TARGET, at(15))

    assert budget is not None
    assert budget.burn_rate == 1
    assert budget.projected_exhaustion_at is None


def test_a_tiny_error_ratio_on_huge_traffic_projects_nothing_and_does_not_overflow() -> None:
    budget = error_budget(49_999_999, 50_000_000, Decimal("0.5"), closed())

    assert budget is not None
    assert budget.projected_exhaustion_at is None


def test_a_target_of_100_percent_without_failures_spends_nothing() -> None:
    budget = error_budget(100, 100, Decimal(1), closed())

    assert budget is not None
    assert (budget.allowed_events, budget.spent_events) == (0, 0)
    assert budget.consumed_ratio == 0
    assert budget.projected_exhaustion_at is None


def test_a_target_of_100_percent_with_one_failure_is_exhausted_without_dividing_by_zero() -> None:
    budget = error_budget(99, 100, Decimal(1), closed())

    assert budget is not None
    assert budget.allowed_events == 0
    assert budget.remaining_events == -1
    assert budget.consumed_ratio is None
    assert budget.burn_rate is None
    assert budget.projected_exhaustion_at == "exhausted"


def test_a_window_without_valid_events_spends_nothing() -> None:
    budget = error_budget(0, 0, TARGET, at(3))

    assert budget is not None
    assert (budget.consumed_ratio, budget.burn_rate) == (0, 0)


def recent(long: tuple[int, int], short: tuple[int, int]) -> tuple[BurnCounts, ...]:
    """Counts over the 3-day / 6-hour pair: (bad, valid) in each."""
    return (
        BurnCounts(dt.timedelta(days=3), *long),
        BurnCounts(dt.timedelta(hours=6), *short),
    )


def test_a_burn_of_1_04_fires_the_one_times_alert_because_rates_are_not_rounded() -> None:
    budget = error_budget(99_896, 100_000, TARGET, at(5), recent((104, 100_000), (11, 10_000)))

    assert budget is not None
    (alert,) = budget.alerts
    assert alert.startswith("ticket: 10% of budget in 3d: burn 1.04× over 3 days")
    assert "exceed 1×" in alert


def test_a_burn_just_above_one_fires_even_where_its_display_rounds_to_one() -> None:
    budget = error_budget(0, 0, TARGET, at(5), recent((1_004, 1_000_000), (101, 100_000)))

    assert budget is not None
    (alert,) = budget.alerts
    assert "burn 1× over 3 days" in alert


def test_a_burn_exactly_at_the_threshold_does_not_fire() -> None:
    budget = error_budget(0, 0, TARGET, at(5), recent((100, 100_000), (200, 100_000)))

    assert budget is not None
    assert budget.alerts == ()


def test_an_alert_needs_both_its_long_and_short_window_above_the_rate() -> None:
    budget = error_budget(0, 0, TARGET, at(5), recent((200, 100_000), (0, 10_000)))

    assert budget is not None
    assert budget.alerts == ()


def test_burn_counts_without_valid_events_have_no_rate() -> None:
    assert BurnCounts(dt.timedelta(hours=1), 0, 0).burn_rate(Decimal("0.001")) is None
    assert BurnCounts(dt.timedelta(hours=1), 5, 10).burn_rate(Decimal("0.5")) == 1


def test_window_progress_stays_within_the_window() -> None:
    assert WindowProgress(START, END, START - THIRTY_DAYS).elapsed == dt.timedelta(0)
    assert WindowProgress(START, END, END + THIRTY_DAYS).elapsed == THIRTY_DAYS
    assert at(1.5).length == THIRTY_DAYS
