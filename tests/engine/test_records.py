"""The service's records as a source: rows handed over by the service are loaded, checked
and measured like a file's; a row that cannot be placed in time is set aside with its
reason; without records (a file evaluation) the source has no rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from accord.connectors.files import FileReader
from accord.core.model.recorded import RECORDED_COLUMNS
from accord.core.periods import parse_period
from accord.core.verdicts import Outcome
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.records import Records
from accord.engine.sources import BadRowPolicy, RejectedRows
from tests.engine.builders import agreement_of, utc

AGREEMENT = {
    "sources": [{"id": "incidents", "kind": "incidents", "format": "recorded"}],
    "indicators": [
        {
            "id": "mttr",
            "name": "MTTR",
            "kind": "incident_metric",
            "source": "incidents",
            "metric": "mttr",
        }
    ],
    "objectives": [
        {
            "id": "mttr",
            "name": "MTTR",
            "indicator": "mttr",
            "target": "1h",
            "tolerance": "2h",
            "window": "month",
            "where": "severity = 'sev1'",
        }
    ],
}


def _incident(number: int, reported: dt.datetime | None, **instants: dt.datetime) -> tuple:
    values = {
        "id": number,
        "title": f"incident {number}",
        "severity": "sev1",
        "state": "resolved",
        "security": False,
        "party": "seller",
        "origin": "api",
        "reported_at": reported,
        **instants,
    }
    return tuple(values.get(name) for name in RECORDED_COLUMNS["incidents"])


def _evaluate(
    tmp_path: Path, records: Records | None, policy: BadRowPolicy = BadRowPolicy.QUARANTINE
) -> tuple[Decimal | None, Outcome, int]:
    agreement = agreement_of(AGREEMENT)
    period = parse_period("2026-10", agreement.timezone)
    request = EvaluationRequest(
        reader=FileReader(),
        data_dir=tmp_path,
        period=period,
        as_of=period.end_at,
        policy=policy,
        quarantine_dir=tmp_path / "quarantine",
        recorded={} if records is None else {"incidents": records},
    )
    evaluation = evaluate(agreement, request)
    (verdict,) = evaluation.verdicts
    (report,) = evaluation.sources
    return verdict.value, verdict.outcome, report.rows_rejected


ROWS = [
    _incident(1, utc(2026, 10, 5, 9, 10), impact_started_at=utc(2026, 10, 5, 9),
              resolved_at=utc(2026, 10, 5, 10)),
    _incident(2, utc(2026, 10, 6, 9), resolved_at=utc(2026, 10, 6, 11)),
]  # fmt: skip


def test_recorded_incidents_are_measured_like_a_files(tmp_path: Path) -> None:
    value, outcome, rejected = _evaluate(tmp_path, Records(ROWS))

    # One hour from impact start; two from the report standing in for it.
    assert value == Decimal(90 * 60)
    assert outcome is Outcome.DEVIATION
    assert rejected == 0


def test_a_record_without_its_instant_in_time_is_set_aside_with_its_reason(
    tmp_path: Path,
) -> None:
    unplaced = [*ROWS, _incident(3, None, resolved_at=utc(2026, 10, 7, 9))]

    assert _evaluate(tmp_path, Records(unplaced))[2] == 1
    with pytest.raises(RejectedRows, match="reported_at: missing"):
        _evaluate(tmp_path, Records(unplaced), BadRowPolicy.REJECT)


def test_without_records_a_recorded_source_has_no_rows(tmp_path: Path) -> None:
    value, outcome, _ = _evaluate(tmp_path, None)

    assert value is None
    assert outcome is Outcome.NO_DATA
