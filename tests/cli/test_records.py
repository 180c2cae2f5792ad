"""accord records, and accord evaluate on recorded sources: a file evaluation has no rows for
the incidents the service keeps and says so (naming the objectives and the way out); given
the rows exported by ``accord records`` it measures them as the service does."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from accord.cli.main import app
from accord.demo.base import SampleOptions
from accord.demo.generate import write_sample_data
from accord.services.agreements import AgreementFiles
from tests.cli.conftest import PAYMENTS_API

runner = CliRunner()


def _run(*command: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(command))
    assert result.exit_code == code, result.output
    return result


def _resolved_incident() -> None:
    _run("incident", "open", "payments-api", "--title", "Auth errors", "--severity", "sev1")
    _run("incident", "ack", "1")
    _run("incident", "resolve", "1")


def _month_of(instant: str) -> str:
    local = dt.datetime.fromisoformat(instant).astimezone(ZoneInfo("Europe/Berlin"))
    return f"{local.year}-{local.month:02d}"


def _restore(result: Any) -> dict[str, Any]:
    [verdict] = [
        v for v in json.loads(result.stdout)["verdicts"] if v["objective"] == "incident-restore"
    ]
    return dict(verdict)


def test_evaluate_reads_exported_records_and_says_when_it_has_none(
    payments_dir: Path, tmp_path: Path
) -> None:
    _resolved_incident()
    exported = tmp_path / "incidents.csv"
    said = _run("records", "payments-api", "incident-records", "-o", str(exported))
    assert f"wrote 1 incidents of incident-records to {exported}" in " ".join(said.stdout.split())
    with exported.open() as rows:
        [row] = list(csv.DictReader(rows))
    assert (row["id"], row["severity"], row["state"], row["origin"]) == (
        "1",
        "sev1",
        "resolved",
        "cli",
    )
    period = _month_of(row["reported_at"])
    data = tmp_path / "files"
    options = SampleOptions(months=1, end=period, volume=0.02, bad_rows=False)
    write_sample_data(AgreementFiles().load_valid(PAYMENTS_API).agreement, data, options)
    evaluate = ["evaluate", str(PAYMENTS_API), "--data", str(data), "--period", period]

    alone = _run(*evaluate, "--format", "json")
    assert _restore(alone)["outcome"] == "no_data"
    note = " ".join(alone.stderr.split())
    assert "source 'incident-records' is recorded by the Accord service" in note
    assert "incident-restore have no data here" in note
    assert "--records incident-records=incident-records.csv" in note

    given = _run(*evaluate, "--format", "json", "--records", f"incident-records={exported}")
    restore = _restore(given)
    assert restore["outcome"] == "met"  # resolved within seconds of being reported
    reported = dt.datetime.fromisoformat(row["reported_at"])
    resolved = dt.datetime.fromisoformat(row["resolved_at"])
    assert abs(float(restore["value"]) - (resolved - reported).total_seconds()) < 0.001
    assert "incident-records" not in given.stderr
    as_lines = tmp_path / "incidents.jsonl"
    _run("records", "payments-api", "incident-records", "-o", str(as_lines))
    lines = _run(*evaluate, "--format", "json", "--records", f"incident-records={as_lines}")
    assert _restore(lines)["value"] == restore["value"]


def test_bad_records_options_are_named(payments_dir: Path, tmp_path: Path) -> None:
    missing = _run("records", "payments-api", "authorisations", code=1)
    assert "no recorded source 'authorisations'" in missing.stderr
    assert "its recorded sources: duties, incident-records" in " ".join(missing.stderr.split())
    wrong = _run("records", "payments-api", "duties", "-o", str(tmp_path / "d.parquet"), code=1)
    assert "a .csv or .jsonl file" in wrong.stderr
    evaluate = ["evaluate", str(PAYMENTS_API), "--data", str(tmp_path), "--period", "2026-10"]
    bad = _run(*evaluate, "--records", "incident-records", code=1)
    assert "write SOURCE=FILE" in bad.stderr
    unknown = _run(*evaluate, "--records", "authorisations=x.csv", code=1)
    assert "not a recorded source of the agreement" in " ".join(unknown.stderr.split())
