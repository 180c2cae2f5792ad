"""Evaluating agreement files against data files with no store: the period cut at midnight
in the agreement's time zone, judged as of now while it runs and as of its end once over,
an as-of instant in any zone read as the same instant; recorded-source files refused by
name when the agreement has no such source."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accord.bootstrap import file_evaluations
from accord.services.evaluation import DataError, EvaluateCommand
from tests.engine.builders import document, utc, write_csv

NOW = utc(2026, 11, 3, 9)
AGREEMENT = document(
    {
        "sources": [
            {
                "id": "requests",
                "kind": "events",
                "format": "csv",
                "path": "requests.csv",
                "timestamp": "at",
                "columns": {
                    "at": {"column": "at", "type": "timestamp"},
                    "status": {"column": "status", "type": "integer"},
                },
            }
        ],
        "indicators": [
            {
                "id": "success",
                "name": "Successful requests",
                "kind": "ratio",
                "source": "requests",
                "good": "status < 500",
            }
        ],
        "objectives": [
            {
                "id": "uptime",
                "name": "Requests succeed",
                "indicator": "success",
                "target": "99%",
                "tolerance": "80%",
                "window": "month",
            }
        ],
    }
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """October in Berlin: a failed request at its first half hour (still 30 September in
    UTC), eight good ones in its middle and a good one at 00:30 on 1 November (Berlin),
    which is still 31 October in UTC."""
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(json.dumps(AGREEMENT))
    data = tmp_path / "data"
    data.mkdir()
    rows = [[utc(2026, 9, 30, 22, 30), 503]]
    rows += [[utc(2026, 10, 15, 12, minute), 200] for minute in range(8)]
    rows += [[utc(2026, 10, 31, 23, 30), 200]]
    write_csv(data, "requests", ["at", "status"], rows)
    return agreement, data


def _command(files: tuple[Path, Path], period: str, **changes: Any) -> EvaluateCommand:
    agreement, data = files
    return EvaluateCommand(
        agreement=agreement,
        data_dir=data,
        period=period,
        now=NOW,
        **changes,
    )


def test_the_period_is_cut_at_midnight_in_the_agreement_s_time_zone(
    files: tuple[Path, Path],
) -> None:
    evaluation = file_evaluations().evaluate(_command(files, "2026-10"))
    [verdict] = evaluation.verdicts
    assert (verdict.window.start_at, verdict.window.end_at) == (
        utc(2026, 9, 30, 22),
        utc(2026, 10, 31, 23),
    )
    assert verdict.counts == {"good": 8, "valid": 9}
    assert verdict.value == Decimal(8) / Decimal(9)


def test_a_past_period_is_judged_as_of_its_end_and_a_running_one_as_of_now(
    files: tuple[Path, Path],
) -> None:
    evaluations = file_evaluations()
    assert evaluations.evaluate(_command(files, "2026-10")).as_of == utc(2026, 10, 31, 23)
    assert evaluations.evaluate(_command(files, "2026-11")).as_of == NOW


def test_an_as_of_instant_in_any_zone_is_read_as_that_instant(
    files: tuple[Path, Path],
) -> None:
    as_of = dt.datetime(2026, 10, 15, 14, 4, tzinfo=ZoneInfo("Europe/Berlin"))  # 12:04 UTC
    evaluation = file_evaluations().evaluate(_command(files, "2026-10", as_of=as_of))
    assert evaluation.as_of == utc(2026, 10, 15, 12, 4)
    assert evaluation.as_of.tzinfo is dt.UTC
    [verdict] = evaluation.verdicts
    # The failure and the four good ones before 12:04.
    assert verdict.counts == {"good": 4, "valid": 5}


def test_an_as_of_instant_without_a_zone_is_refused(files: tuple[Path, Path]) -> None:
    with pytest.raises(ValueError, match="as_of must carry a time zone"):
        file_evaluations().evaluate(_command(files, "2026-10", as_of=dt.datetime(2026, 10, 15)))


def test_records_for_a_source_the_agreement_does_not_record_are_refused_by_name(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    records = {"tickets": [tmp_path / "tickets.csv"]}
    with pytest.raises(
        DataError,
        match="--records names tickets, not a recorded source of the agreement; "
        "its recorded sources: none",
    ):
        file_evaluations().evaluate(_command(files, "2026-10", recorded_files=records))
