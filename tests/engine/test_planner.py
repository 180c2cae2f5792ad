"""How a batch of objectives sharing rows is measured: which statements, over which units,
and what each column of a statement holds.

The numbers themselves are held to the oracle in ``test_oracle.py`` (time slices next to a
ratio and a percentile, with and without a peak period, with slices that nest in local
days and slices that do not); here the plan is checked: one scan where one suffices.
"""

from __future__ import annotations

import pytest

from accord.core.model import Agreement
from accord.engine.planner import (
    Aggregated,
    BatchPlan,
    Figure,
    Shared,
    Statement,
    UnitFigure,
    plan_batch,
)
from tests.engine.builders import batch_members
from tests.engine.builders import probes_agreement as agreement


def plan(model: Agreement) -> BatchPlan:
    return plan_batch(*batch_members(model))


def shared(batch: BatchPlan) -> list[Statement]:
    """The statements of the batch that are not a member's own."""
    return [s for s in batch.statements if not set(s.members) <= set(batch.apart)]


def test_time_slices_carry_the_counts_of_the_objectives_sharing_their_rows() -> None:
    batch = plan(agreement(["answered", "fast", "uptime"]))

    assert batch.apart == ()
    (statement,) = batch.statements
    assert statement.members == (0, 1, 2)
    assert {Aggregated(0, "good"), Aggregated(1, "good"), UnitFigure(2, Figure.GOOD)} <= set(
        statement.outputs
    )
    assert {Shared.EXCLUDED, Shared.DAYS} <= set(statement.outputs)
    assert "__unit" in statement.sql()
    # One local-day list for the counts, one for the kept slices: both from the slices.
    assert statement.sql().count("ARRAY_AGG(DISTINCT") == 2


def test_every_output_of_a_statement_is_one_of_its_columns() -> None:
    batch = plan(agreement(["answered", "p90", "uptime"]))

    for statement in batch.statements:
        width = 1  # the scope: region
        assert len(statement.query.expressions) == width + len(statement.outputs)


def test_a_percentile_next_to_time_slices_has_its_own_per_scope_statement() -> None:
    batch = plan(agreement(["answered", "p90", "uptime"]))

    sliced, per_scope = batch.statements
    assert "QUANTILE_DISC" in per_scope.sql()
    assert "__unit" not in per_scope.sql()
    # The slices need not read the latency column: the percentile's counts stay with it.
    assert "latency" not in sliced.sql()
    assert Aggregated(1, "valid") in per_scope.outputs
    assert Aggregated(1, "valid") not in sliced.outputs


def test_a_percentile_alone_next_to_time_slices_still_gets_its_days_and_exclusions() -> None:
    sliced, per_scope = plan(agreement(["p90", "uptime"])).statements

    assert {Shared.DAYS, Shared.EXCLUDED} <= set(sliced.outputs)
    assert Aggregated(0, "value") in per_scope.outputs


def test_equal_aggregates_are_taken_once_per_slice() -> None:
    batch = plan(agreement(["answered", "answered#2", "uptime"]))

    (statement,) = batch.statements
    _, inner = statement.sql().split("FROM (SELECT", 1)
    # The two ratio objectives and the slices share one partial count of good probes.
    assert inner.count("COUNT(*) FILTER(WHERE COALESCE((ok = TRUE), FALSE))") == 1
    assert inner.count("COUNT(*) AS") == 1
    assert {Aggregated(0, "good"), Aggregated(1, "good")} <= set(statement.outputs)


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
    (statement,) = shared(batch)
    assert "__day" in statement.sql()
    assert "__unit" not in statement.sql()
    (own,) = (s for s in batch.statements if s.members == (1,))
    assert set(own.outputs) == {UnitFigure(1, figure) for figure in Figure}


@pytest.mark.parametrize("timezone", ["America/New_York", "Asia/Kathmandu"])
def test_hour_slices_nest_in_the_days_of_a_zone_whose_offset_moves_by_hours(timezone: str) -> None:
    # Slices are cut from the window's start, a local midnight, even at UTC+5:45.
    batch = plan(agreement(["answered", "uptime-1h"], timezone))

    assert batch.apart == ()
    assert "__unit" in batch.statements[0].sql()


def test_a_peak_period_keeps_time_slices_apart() -> None:
    batch = plan(agreement(["answered", "uptime"], during="office"))

    assert batch.apart == (1,)
    (statement,) = shared(batch)
    assert "EXTRACT(ISODOW" in statement.sql()  # the ratio's rows are those at peak instants


def test_counts_alone_are_taken_per_local_day_without_a_distinct_count() -> None:
    batch = plan(agreement(["answered", "fast"]))

    (statement,) = batch.statements
    assert "__day" in statement.sql()
    assert "DISTINCT" not in statement.sql()


def test_a_percentile_alone_is_one_per_scope_statement() -> None:
    batch = plan(agreement(["p90"]))

    (statement,) = batch.statements
    assert "QUANTILE_DISC" in statement.sql()
    assert "ARRAY_AGG(DISTINCT" in statement.sql()


def test_time_slices_alone_are_each_measured_by_their_own_statement() -> None:
    batch = plan(agreement(["uptime", "uptime-1h"]))

    assert batch.apart == (0, 1)
    assert [s.members for s in batch.statements] == [(0,), (1,)]
