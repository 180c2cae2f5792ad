"""Which announced maintenance is excluded: notice, monthly cap, and the reasons shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.core.exclusions.periods import Announced, ExcludedPeriod, excluded_periods
from accord.core.exclusions.spec import Exclusion

HOUR = dt.timedelta(hours=1)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def maintenance(**changes: Any) -> Exclusion:
    return Exclusion.model_validate(
        {
            "id": "planned",
            "kind": "maintenance",
            "description": "Announced maintenance.",
            "source": "maintenance",
            "notice": "5 days",
            "monthly_cap": "4h",
            **changes,
        }
    )


def judge(exclusion: Exclusion, *periods: Announced) -> list[ExcludedPeriod]:
    return excluded_periods(exclusion, periods, "Europe/Berlin")


def window(start: dt.datetime, hours: float, notice: dt.timedelta | None) -> Announced:
    return Announced(start, start + hours * HOUR, None if notice is None else start - notice)


START = utc(2026, 10, 6, 20)


# -- notice -----------------------------------------------------------------------------


def test_maintenance_announced_exactly_the_notice_ahead_is_excluded() -> None:
    (period,) = judge(maintenance(), window(START, 2, dt.timedelta(days=5)))

    assert period.counted
    assert (period.start_at, period.end_at) == (START, START + 2 * HOUR)
    assert period.reason == (
        "announced maintenance, listed in source maintenance, announced at least 5 days "
        "ahead, within the monthly cap of 4 hours"
    )


def test_maintenance_announced_a_second_too_late_is_not_excluded() -> None:
    late = dt.timedelta(days=5) - dt.timedelta(seconds=1)
    (period,) = judge(maintenance(), window(START, 2, late))

    assert not period.counted
    assert period.reason == "announced 4 days, 23:59:59 ahead, less than the 5 days notice"


def test_unannounced_maintenance_is_not_excluded() -> None:
    (period,) = judge(maintenance(), window(START, 2, None))

    assert (period.counted, period.reason) == (False, "not announced")


def test_a_notice_in_months_counts_calendar_months() -> None:
    exclusion = maintenance(notice="1 month")
    in_time = Announced(utc(2026, 3, 31, 10), utc(2026, 3, 31, 11), utc(2026, 2, 28, 10))
    late = Announced(utc(2026, 3, 30, 10), utc(2026, 3, 30, 11), utc(2026, 3, 1, 10))

    too_late, on_time = judge(exclusion, late, in_time)
    assert on_time.counted
    assert not too_late.counted


def test_a_period_that_ends_before_it_starts_is_not_excluded() -> None:
    (period,) = judge(maintenance(), Announced(START, START - HOUR, START - 30 * 24 * HOUR))

    assert (period.counted, period.reason) == (False, "ends before it starts")


# -- monthly cap ------------------------------------------------------------------------


def test_maintenance_beyond_the_monthly_cap_is_clipped_then_refused() -> None:
    notice = dt.timedelta(days=10)
    first = window(START, 3, notice)
    second = window(START + 48 * HOUR, 3, notice)
    third = window(START + 96 * HOUR, 1, notice)

    results = judge(maintenance(), third, first, second)

    assert [p.start_at for p in results] == [first.start_at, second.start_at, third.start_at]
    assert [p.counted for p in results] == [True, True, False]
    assert results[0].end_at == first.end_at
    assert results[1].end_at == second.start_at + HOUR  # 3h + 1h = the 4h cap
    assert results[1].reason == "clipped at the monthly cap of 4 hours"
    assert results[2].reason == "monthly cap of 4 hours used up"


def test_each_local_month_has_its_own_cap() -> None:
    notice = dt.timedelta(days=10)
    october = window(utc(2026, 10, 31, 18), 4, notice)
    # 23:30 UTC on 31 October is 00:30 on 1 November in Berlin: November's cap.
    november = window(utc(2026, 10, 31, 23, 30), 2, notice)

    results = judge(maintenance(), october, november)

    assert all(p.counted for p in results)
    assert results[1].end_at == november.end_at


def test_without_a_cap_every_announced_period_is_excluded_whole() -> None:
    notice = dt.timedelta(days=10)
    periods = [window(START + i * 24 * HOUR, 6, notice) for i in range(3)]

    results = judge(maintenance(monthly_cap=None), *periods)

    assert all(p.counted and p.end_at - p.start_at == 6 * HOUR for p in results)


def test_a_refused_period_does_not_use_the_cap() -> None:
    late = window(START, 4, dt.timedelta(hours=1))
    in_time = window(START + 24 * HOUR, 4, dt.timedelta(days=10))

    refused, excluded = judge(maintenance(), late, in_time)

    assert not refused.counted
    assert excluded.counted
    assert excluded.end_at == in_time.end_at


# -- reasons of declared periods ---------------------------------------------------------


def declared(kind: str, where: str) -> Exclusion:
    return Exclusion.model_validate(
        {
            "id": kind.replace("_", "-"),
            "kind": kind,
            "description": "Declared by the parties.",
            "source": "incidents",
            "where": where,
        }
    )


def test_a_force_majeure_period_says_what_it_is_not_that_it_was_announced() -> None:
    exclusion = declared("force_majeure", "caused_by = 'force_majeure'")

    (period,) = judge(exclusion, window(START, 2, None))

    assert period.counted
    assert period.reason == (
        "force majeure, beyond the provider's reasonable control, listed in source incidents "
        "where caused_by = 'force_majeure'"
    )
    assert "announced" not in period.reason


def test_a_consumer_caused_period_says_the_consumer_caused_it() -> None:
    exclusion = declared("consumer_caused", "caused_by = 'customer'")

    (period,) = judge(exclusion, window(START, 2, dt.timedelta(days=1)))

    assert period.reason == (
        "caused by the consumer, listed in source incidents where caused_by = 'customer'"
    )
