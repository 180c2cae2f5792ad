"""How a batch of objectives sharing rows is measured: which statements, over which units.

The numbers themselves are held to the oracle in ``test_oracle.py`` (time slices next to a
ratio and a percentile, with and without a peak period, with slices that nest in local
days and slices that do not); here the plan is checked: one scan where one suffices.
"""

from __future__ import annotations

import datetime as dt

import pytest

from accord.core.model import Agreement
from accord.core.periods import WindowSpan
from accord.engine.passes import BatchPlan, plan_batch
from accord.engine.queries import slices_nest_in_days
from tests.engine.builders import batch_queries
from tests.engine.builders import probes_agreement as agreement


def plan(model: Agreement) -> BatchPlan:
    return plan_batch(*batch_queries(model))


def test_time_slices_carry_the_counts_of_the_objectives_sharing_their_rows() -> None:
    batch = plan(agreement(["answered", "fast", "uptime"]))

    assert batch.apart == ()
    (statement,) = batch.statements
    assert "__slice" in statement
    assert "o0_good" in statement
    assert "o1_good" in statement
    assert "o2_good_slices" in statement
    # One local-day count for the counts, one for the kept slices: both from the slices.
    assert statement.count("list(DISTINCT") == 2


def test_a_percentile_next_to_time_slices_has_its_own_per_scope_statement() -> None:
    batch = plan(agreement(["answered", "p90", "uptime"]))

    sliced, per_scope = batch.statements
    assert "quantile_disc" in per_scope
    assert "__slice" not in per_scope
    # The slices need not read the latency column: the percentile's counts stay with it.
    assert "latency" not in sliced
    assert "o1_valid" in per_scope
    assert "o1_valid" not in sliced


def test_a_percentile_alone_next_to_time_slices_still_gets_its_days_and_exclusions() -> None:
    sliced, per_scope = plan(agreement(["p90", "uptime"])).statements

    assert "AS __days" in sliced
    assert "AS __excluded" in sliced
    assert "o0_value" in per_scope


def test_equal_aggregates_are_taken_once_per_slice() -> None:
    batch = plan(agreement(["answered", "answered#2", "uptime"]))

    (statement,) = batch.statements
    outer, inner = statement.split("FROM (SELECT", 1)
    # The two ratio objectives and the slices share one partial count of good probes.
    assert inner.count("count(*) FILTER (WHERE coalesce((ok = TRUE), false))") == 1
    assert inner.count("count(*) AS") == 1
    assert "o0_good" in outer
    assert "o1_good" in outer


@pytest.mark.parametrize(
    ("slicer", "timezone"),
    [
        ("uptime-7m", "Europe/Berlin"),  # 7 minutes do not divide the day
        # Clocks go forward half an hour on 4 October: later local days start mid-slice.
        ("uptime-1h", "Australia/Lord_Howe"),
    ],
)
def test_slices_that_straddle_local_midnight_are_measured_apart(slicer: str, timezone: str) -> None:
    batch = plan(agreement(["answered", slicer], timezone))

    assert batch.apart == (1,)
    (statement,) = batch.statements
    assert "__day" in statement
    assert "__slice" not in statement


@pytest.mark.parametrize("timezone", ["America/New_York", "Asia/Kathmandu"])
def test_hour_slices_nest_in_the_days_of_a_zone_whose_offset_moves_by_hours(timezone: str) -> None:
    # Slices are cut from the window's start, a local midnight, even at UTC+5:45.
    batch = plan(agreement(["answered", "uptime-1h"], timezone))

    assert batch.apart == ()
    assert "__slice" in batch.statements[0]


def test_a_peak_period_keeps_time_slices_apart() -> None:
    batch = plan(agreement(["answered", "uptime"], during="office"))

    assert batch.apart == (1,)
    (statement,) = batch.statements
    assert "EXTRACT(isodow" in statement  # the ratio's rows are those at peak instants


def test_counts_alone_are_taken_per_local_day_without_a_distinct_count() -> None:
    batch = plan(agreement(["answered", "fast"]))

    (statement,) = batch.statements
    assert "__day" in statement
    assert "DISTINCT" not in statement


def test_a_percentile_alone_is_one_per_scope_statement() -> None:
    batch = plan(agreement(["p90"]))

    (statement,) = batch.statements
    assert "quantile_disc" in statement
    assert "list(DISTINCT" in statement


def test_time_slices_alone_are_each_measured_by_their_own_statement() -> None:
    batch = plan(agreement(["uptime", "uptime-1h"]))

    assert batch == BatchPlan((), (0, 1))


def test_slices_nest_in_days_only_when_they_start_on_local_midnight() -> None:
    start = dt.datetime(2026, 9, 30, 22, tzinfo=dt.UTC)  # midnight in Berlin
    berlin_october = WindowSpan("2026-10", start, dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC))
    late = WindowSpan("late", start + dt.timedelta(microseconds=5), berlin_october.end_at)

    assert slices_nest_in_days(berlin_october, 3600, "Europe/Berlin")
    assert not slices_nest_in_days(berlin_october, 3600, "Asia/Kolkata")  # midnight at :30
    assert not slices_nest_in_days(berlin_october, 7 * 60, "Europe/Berlin")
    assert not slices_nest_in_days(late, 60, "Europe/Berlin")
