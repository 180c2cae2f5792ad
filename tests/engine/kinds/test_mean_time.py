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
