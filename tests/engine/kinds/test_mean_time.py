"""Mean time: the mean or median wall-clock time between two instants of a row (time to
resolve an incident); a row still open is not counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from tests.engine.builders import BERLIN, utc
from tests.engine.kinds.judging import judge

INSTANTS = {"started_at": "timestamp", "resolved_at": "timestamp"}
HOUR = dt.timedelta(hours=1)


def mttr(statistic: str = "mean") -> dict[str, str]:
    return {
        "id": "mttr",
        "kind": "mean_time",
        "start": "started_at",
        "end": "resolved_at",
        "statistic": statistic,
    }


START = utc(2026, 10, 6, 8)
INCIDENTS = [
    [START, START + 1 * HOUR],
    [START, START + 2 * HOUR],
    [START, START + 9 * HOUR],
    [START, None],  # still open
]


def test_the_mean_is_over_resolved_incidents_only(tmp_path: Path) -> None:
    verdict = judge(tmp_path, mttr(), INSTANTS, INCIDENTS, target="4h", tolerance="8h")

    assert verdict.counts["valid"] == 3
    assert verdict.value == Decimal(4 * 3600)  # (1 + 2 + 9) / 3 hours, in seconds


def test_the_median_is_not_pulled_by_one_long_incident(tmp_path: Path) -> None:
    verdict = judge(tmp_path, mttr("median"), INSTANTS, INCIDENTS, target="4h", tolerance="8h")

    assert verdict.value == Decimal(2 * 3600)


def test_an_incident_across_the_autumn_clock_change_lasts_its_elapsed_time(
    tmp_path: Path,
) -> None:
    # 01:30 summer time to 03:30 winter time on 25 October: three hours, not two.
    started = dt.datetime(2026, 10, 25, 1, 30, tzinfo=BERLIN)
    resolved = dt.datetime(2026, 10, 25, 3, 30, tzinfo=BERLIN)

    verdict = judge(tmp_path, mttr(), INSTANTS, [[started, resolved]], target="4h", tolerance="8h")

    assert verdict.value == Decimal(3 * 3600)


def test_a_duration_is_exact_to_the_microsecond(tmp_path: Path) -> None:
    # Instants written as given, sub-seconds kept; a mean of epoch seconds as DOUBLE said
    # 4.4834280014 for the first and was off in the ninth digit for the mean.
    rows = [
        ["2026-10-06T08:00:00.000001Z", "2026-10-06T08:00:04.483429Z"],
        ["2026-10-25T01:30:00.25+02:00", "2026-10-25T03:30:00.5+01:00"],  # across the DST
        ["2026-10-06T09:00:00.1Z", "2026-10-06T09:00:00.2Z"],
    ]
    first = judge(tmp_path, mttr(), INSTANTS, rows[:1], target="4h", tolerance="8h")
    mean = judge(tmp_path, mttr(), INSTANTS, rows, target="4h", tolerance="8h")
    median = judge(tmp_path, mttr("median"), INSTANTS, rows[:2], target="4h", tolerance="8h")

    assert first.value == Decimal("4.483428")
    assert mean.value == Decimal(4_483_428 + 10_800_250_000 + 100_000) / 3 / 1_000_000
    assert median.value == Decimal("5402.366714")  # (4.483428 + 10800.25) / 2
