"""Incident metrics (MTTA, MTTD, MTTM, MTTR) over an incident file: from the impact start by
default, an instant not recorded stood in for by the next one the file has, incidents without
the end instant not counted, and the median as well as the mean."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.verdicts import Outcome
from tests.engine.builders import (
    agreement_of,
    document,
    evaluate_period,
    utc,
    write_csv,
    write_rows,
)

INCIDENTS = {
    "id": "incidents",
    "kind": "incidents",
    "format": "csv",
    "path": "incidents.csv",
    "timestamp": "reported_at",
    "key": "id",
    "columns": {
        "id": {"column": "id", "type": "string"},
        "severity": {"column": "severity", "type": "string"},
        "impact_started_at": {"column": "impact_started_at", "type": "timestamp"},
        "detected_at": {"column": "detected_at", "type": "timestamp"},
        "reported_at": {"column": "reported_at", "type": "timestamp"},
        "acknowledged_at": {"column": "acknowledged_at", "type": "timestamp"},
        "mitigated_at": {"column": "mitigated_at", "type": "timestamp"},
        "resolved_at": {"column": "resolved_at", "type": "timestamp"},
    },
}


def _incident(number: int, start: dt.datetime, **minutes: int | None) -> dict[str, Any]:
    """An incident whose instants are ``minutes`` after ``start`` (None: not recorded)."""
    row: dict[str, Any] = {"id": f"i{number}", "severity": "sev1"}
    for name in ("impact_started", "detected", "reported", "acknowledged", "mitigated"):
        offset = minutes.get(name)
        row[f"{name}_at"] = None if offset is None else start + dt.timedelta(minutes=offset)
    offset = minutes.get("resolved")
    row["resolved_at"] = None if offset is None else start + dt.timedelta(minutes=offset)
    return row


ROWS = [
    # Impact 0, detected 10, reported 15, acknowledged 20, mitigated 40, resolved 60.
    _incident(1, utc(2026, 10, 5, 9), impact_started=0, detected=10, reported=15,
              acknowledged=20, mitigated=40, resolved=60),
    # No impact start recorded: counted from the detection (30); no mitigation recorded:
    # mitigated when resolved (150).
    _incident(2, utc(2026, 10, 12, 14), detected=30, reported=35, acknowledged=45,
              resolved=150),
    # Still open at the end of the month: no resolution, so not in MTTR.
    _incident(3, utc(2026, 10, 30, 22), impact_started=0, detected=5, reported=5,
              acknowledged=25),
]  # fmt: skip


def _metric(
    folder: Path, rows: list[dict[str, Any]] | None = None, **indicator: Any
) -> tuple[Decimal | None, dict[str, int], Outcome]:
    if rows is None:
        write_rows(folder, "incidents", "csv", ROWS)
    else:
        write_csv(folder, "incidents", list(INCIDENTS["columns"]), [list(r.values()) for r in rows])
    spec = {"id": "metric", "name": "Metric", "kind": "incident_metric", "source": "incidents"}
    agreement = agreement_of(
        {
            "sources": [INCIDENTS],
            "indicators": [{**spec, **indicator}],
            "objectives": [
                {
                    "id": "metric",
                    "name": "Metric",
                    "indicator": "metric",
                    "target": "1h",
                    "tolerance": "2h",
                    "window": "month",
                }
            ],
        }
    )
    (verdict,) = evaluate_period(agreement, folder).verdicts
    return verdict.value, verdict.counts, verdict.outcome


def test_mttr_is_counted_from_the_impact_start_or_the_detection_standing_in_for_it(
    tmp_path: Path,
) -> None:
    value, counts, outcome = _metric(tmp_path, metric="mttr")

    # (60 + (150 − 30)) / 2 minutes; the open incident has no resolution yet.
    assert value == Decimal(90 * 60)
    assert counts["valid"] == 2
    assert outcome is Outcome.DEVIATION


def test_mtta_mttd_and_mttm_end_at_their_own_instants(tmp_path: Path) -> None:
    assert _metric(tmp_path, metric="mtta")[0] == Decimal((20 + 15 + 25) * 60) / 3
    assert _metric(tmp_path, metric="mttd")[0] == Decimal((10 + 0 + 5) * 60) / 3
    # Incident 2 was mitigated when it was resolved.
    assert _metric(tmp_path, metric="mttm")[0] == Decimal((40 + 120) * 60) / 2


def test_the_agreement_may_count_from_the_report_instead(tmp_path: Path) -> None:
    value, _, outcome = _metric(tmp_path, metric="mttr", since="reported")

    assert value == Decimal((45 + 115) * 60) / 2
    assert outcome is Outcome.DEVIATION


def test_the_median_instead_of_the_mean(tmp_path: Path) -> None:
    assert _metric(tmp_path, metric="mtta", statistic="median")[0] == Decimal(20 * 60)


def _timed(number: int, started: str, resolved: str) -> dict[str, Any]:
    """An incident from impact start to resolution, both written as given (sub-seconds kept)."""
    instants = dict.fromkeys(INCIDENTS["columns"])
    return {**instants, "id": f"i{number}", "severity": "sev1", "impact_started_at": started,
            "reported_at": started, "resolved_at": resolved}  # fmt: skip


# 4.483428 s exactly (the mean of epoch seconds as DOUBLE said 4.4834280014).
SUB_SECOND = _timed(1, "2026-10-05T09:00:00.000001Z", "2026-10-05T09:00:04.483429Z")
# Across Berlin's autumn clock change: 01:30:00.25 summer time to 03:30:00.5 winter time is
# 3 h 0.25 s of elapsed time, not 2 h 0.25 s.
ACROSS_DST = _timed(2, "2026-10-25T01:30:00.25+02:00", "2026-10-25T03:30:00.5+01:00")
TENTH = _timed(3, "2026-10-12T14:00:00.1Z", "2026-10-12T14:00:00.2Z")


def test_durations_are_exact_to_the_microsecond(tmp_path: Path) -> None:
    assert _metric(tmp_path, [SUB_SECOND], metric="mttr")[0] == Decimal("4.483428")
    assert _metric(tmp_path, [ACROSS_DST], metric="mttr")[0] == Decimal("10800.25")
    # The mean divides the exact sum of microseconds once, in decimal.
    rows = [SUB_SECOND, ACROSS_DST, TENTH]
    micros = 4_483_428 + 10_800_250_000 + 100_000
    assert _metric(tmp_path, rows, metric="mttr")[0] == Decimal(micros) / 3 / 1_000_000
    assert _metric(tmp_path, rows, metric="mttr", statistic="median")[0] == Decimal("4.483428")
    # An even count: halfway between the middle two, exactly.
    pair = [SUB_SECOND, ACROSS_DST]
    assert _metric(tmp_path, pair, metric="mttr", statistic="median")[0] == Decimal("5402.366714")


def test_a_window_without_incidents_has_no_data(tmp_path: Path) -> None:
    write_rows(tmp_path, "incidents", "csv", ROWS)
    agreement = agreement_of(
        {
            "sources": [INCIDENTS],
            "indicators": [
                {"id": "mttr", "name": "MTTR", "kind": "incident_metric", "source": "incidents",
                 "metric": "mttr"}
            ],
            "objectives": [
                {"id": "mttr", "name": "MTTR", "indicator": "mttr", "target": "1h",
                 "tolerance": "2h", "window": "month"}
            ],
        }
    )  # fmt: skip
    (verdict,) = evaluate_period(agreement, tmp_path, "2026-09").verdicts

    assert verdict.value is None
    assert verdict.outcome is Outcome.NO_DATA


def _problems(indicator: dict[str, Any], source: dict[str, Any] = INCIDENTS) -> list[str]:
    text = document(
        {"sources": [source], "indicators": [{"id": "m", "name": "M", "source": source["id"],
                                              "kind": "incident_metric", **indicator}]}
    )  # fmt: skip
    return [problem.message for problem in load_agreement(json.dumps(text), "t.yaml").problems]


def test_time_to_detect_is_always_from_the_impact_start() -> None:
    assert _problems({"metric": "mttd", "since": "reported"}) == [
        "time to detect is counted from the impact start"
    ]


def test_the_instants_a_metric_reads_must_be_timestamps_of_its_source() -> None:
    mapped: dict[str, Any] = INCIDENTS["columns"]
    missing = {name: column for name, column in mapped.items() if name != "resolved_at"}
    columns = {**missing, "resolved_at": {"column": "resolved_at", "type": "string"}}

    assert _problems({"metric": "mttr"}, {**INCIDENTS, "columns": missing}) == [
        "source 'incidents' has no column 'resolved_at', which this indicator reads"
    ]
    assert _problems({"metric": "mttr"}, {**INCIDENTS, "columns": columns}) == [
        "column 'resolved_at' of source 'incidents' is a string column, not timestamp"
    ]


@pytest.mark.parametrize("metric", ["mtta", "mttd", "mttm", "mttr"])
def test_each_metric_says_what_it_measures(metric: str) -> None:
    agreement: Agreement = agreement_of(
        {"sources": [INCIDENTS], "indicators": [{"id": "m", "name": "M", "source": "incidents",
                                                 "kind": "incident_metric", "metric": metric}]}
    )  # fmt: skip
    (indicator,) = agreement.indicators

    assert metric.upper() in indicator.formula()
    assert "customers were first affected" in indicator.in_words()
