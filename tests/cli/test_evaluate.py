"""accord evaluate and accord explain: verdicts as a table, JSON or CSV; clear failures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from accord.cli.main import app
from accord.demo.generate import write_sample_data
from accord.engine.spark import SparkEngine
from accord.services.agreements import AgreementFiles
from tests.engine.builders import document, utc, write_csv
from tests.services.test_evidence import SMALL

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples"

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
                    "region": {"column": "region", "type": "string"},
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
                "tolerance": "95%",
                "window": "month",
                "scope": ["region"],
            }
        ],
        "remedies": {
            "claim_window": "30 days",
            "credits": [
                {
                    "id": "uptime-credits",
                    "objectives": ["uptime"],
                    "basis": "1000 EUR",
                    "tiers": [
                        {"below": "99%", "credit": "10%"},
                        {"below": "90%", "credit": "25%"},
                    ],
                    "cap": "100%",
                }
            ],
        },
    }
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """An agreement file and a data folder: eu is met, us is breached (80%)."""
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(json.dumps(AGREEMENT, indent=2))
    data = tmp_path / "data"
    data.mkdir()
    rows = [[utc(2026, 10, 5, 10, i), "eu", 200] for i in range(10)]
    rows += [[utc(2026, 10, 5, 11, i), "us", 200 if i < 8 else 503] for i in range(10)]
    write_csv(data, "requests", ["at", "region", "status"], rows)
    return agreement, data


def accord(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


def evaluate(files: tuple[Path, Path], *args: str | Path) -> Result:
    agreement, data = files
    return accord("evaluate", agreement, "--data", data, "--period", "2026-10", *args)


def test_evaluate_prints_a_table_of_verdicts_and_credits(files: tuple[Path, Path]) -> None:
    result = evaluate(files)

    assert result.exit_code == 0, result.output
    assert "uptime" in result.stdout
    assert "breach" in result.stdout
    assert "met" in result.stdout
    assert "credit 2026-10: 250.00 EUR" in result.stdout


def test_evaluate_on_spark_gives_the_verdicts_of_duckdb(
    files: tuple[Path, Path], spark: SparkEngine
) -> None:
    del spark  # started once for the session: the command joins it
    on_duckdb = evaluate(files, "--format", "json", "--as-of", "2026-11-01")
    on_spark = evaluate(
        files,
        "--format",
        "json",
        "--as-of",
        "2026-11-01",
        "--engine",
        "spark",
        "--spark-master",
        "local[2]",
    )

    assert on_spark.exit_code == 0, on_spark.output
    verdicts = json.loads(on_spark.stdout)["verdicts"]
    assert [v["outcome"] for v in verdicts] == ["met", "breach"]
    assert verdicts == json.loads(on_duckdb.stdout)["verdicts"]


def test_evaluate_writes_versioned_json_with_every_verdict_field(
    files: tuple[Path, Path],
) -> None:
    result = evaluate(files, "--format", "json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "accord.verdicts/v2"
    verdicts = {v["scope"]["region"]: v for v in report["verdicts"]}
    for verdict in verdicts.values():
        assert {
            "objective",
            "scope",
            "window",
            "outcome",
            "value",
            "target",
            "coverage",
            "credit",
        } <= set(verdict)
    assert verdicts["eu"]["outcome"] == "met"
    assert verdicts["eu"]["credit"] is None
    assert verdicts["us"]["outcome"] == "breach"
    assert verdicts["us"]["value"] == "0.8"
    assert verdicts["us"]["target"] == "0.99"
    assert verdicts["us"]["window"]["label"] == "2026-10"
    assert verdicts["us"]["credit"]["amount"] == "250"
    assert verdicts["us"]["credit"]["currency"] == "EUR"


def test_evaluate_writes_csv_rows_with_values_in_canonical_units(
    files: tuple[Path, Path],
) -> None:
    result = evaluate(files, "--format", "csv")

    assert result.exit_code == 0, result.output
    rows = {row["scope"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["region=us"]["outcome"] == "breach"
    assert rows["region=us"]["value"] == "0.8"
    assert (rows["region=us"]["credit"], rows["region=us"]["currency"]) == ("250", "EUR")
    assert rows["region=eu"]["credit"] == ""


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_evaluate_writes_the_output_file_it_is_given(
    files: tuple[Path, Path], tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / "out" / f"verdicts.{fmt}"
    target.parent.mkdir()
    result = evaluate(files, "--format", fmt, "-o", target)

    assert result.exit_code == 0, result.output
    assert "wrote 2 verdicts" in result.stdout
    text = target.read_text()
    assert "uptime" in text
    if fmt == "json":
        assert json.loads(text)["format"] == "accord.verdicts/v2"


def test_a_bad_period_fails_with_a_message(files: tuple[Path, Path]) -> None:
    agreement, data = files
    result = accord("evaluate", agreement, "--data", data, "--period", "October")

    assert result.exit_code == 1
    assert "'October' is not a period" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_data_folder_fails_with_a_message(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    agreement, _ = files
    result = accord("evaluate", agreement, "--data", tmp_path / "nowhere", "--period", "2026-10")

    assert result.exit_code == 1
    assert "source 'requests': no files match" in result.stderr
    assert "nowhere" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_invalid_agreement_fails_with_its_problems(tmp_path: Path) -> None:
    agreement = tmp_path / "broken.yaml"
    agreement.write_text("apiVersion: accord/v1\nkind: Agreement\n")
    result = accord("evaluate", agreement, "--data", tmp_path, "--period", "2026-10")

    assert result.exit_code == 1
    assert "broken.yaml" in result.stderr


def test_bad_rows_are_quarantined_where_asked(files: tuple[Path, Path], tmp_path: Path) -> None:
    _, data = files
    with (data / "requests.csv").open("a") as out:
        out.write("2026-10-05T12:00:00,eu,200\r\n")
    quarantine = tmp_path / "set-aside"
    result = evaluate(files, "--format", "json", "--quarantine", quarantine)

    assert result.exit_code == 0, result.output
    (source,) = json.loads(result.stdout)["sources"]
    assert source["rows_rejected"] == 1
    assert (quarantine / "requests.csv").exists()


def test_bad_rows_stop_the_run_when_asked_to_reject(files: tuple[Path, Path]) -> None:
    _, data = files
    with (data / "requests.csv").open("a") as out:
        out.write("2026-10-05T12:00:00,eu,200\r\n")
    result = evaluate(files, "--on-bad-rows", "reject")

    assert result.exit_code == 1
    assert "timestamp without time zone (1 rows)" in result.stderr


def test_explain_prints_one_verdict_in_plain_language(files: tuple[Path, Path]) -> None:
    agreement, data = files
    result = accord(
        "explain",
        agreement,
        "--data",
        data,
        "--period",
        "2026-10",
        "--objective",
        "uptime",
        "--scope",
        "region=us",
    )

    assert result.exit_code == 0, result.output
    assert "Requests succeed (uptime) — scope region=us, window 2026-10" in result.stdout
    assert "Outcome: BREACH" in result.stdout
    assert "Measured: 8 good / 10 valid = 80%" in result.stdout
    assert "Credit: 250.00 EUR" in result.stdout
    assert "region=eu" not in result.stdout


def test_explain_fails_clearly_for_an_unknown_objective(files: tuple[Path, Path]) -> None:
    agreement, data = files
    result = accord(
        "explain", agreement, "--data", data, "--period", "2026-10", "--objective", "speed"
    )

    assert result.exit_code == 1
    assert "no objective 'speed' in the agreement; objectives: uptime" in result.stderr
    assert "Traceback" not in result.output


def test_an_open_window_shows_its_burn_rates_although_no_alert_fires(
    files: tuple[Path, Path],
) -> None:
    # As of 5 October 12:00 UTC: eu's 10 good requests are two hours old, us had 2 bad of
    # 10 an hour ago (20% bad against 1% allowed: a burn of 20).
    as_of = ("--as-of", "2026-10-05T12:00:00+00:00")
    table = evaluate(files, *as_of)
    budgets = {
        v["scope"]["region"]: v["budget"]
        for v in json.loads(evaluate(files, *as_of, "--format", "json").stdout)["verdicts"]
    }

    assert table.exit_code == 0, table.output
    assert (
        "burn uptime (region=eu) 2026-10: — over 5 minutes, — over 30 minutes, — over 1 hour, "
        "0× over 2 hours, 0× over 6 hours, 0× over 1 day, 0× over 3 days; no alert"
    ) in " ".join(table.stdout.split())
    assert "burn 20× over 1 day and 20× over 2 hours exceed 3.1×" in table.stdout
    assert budgets["eu"]["alerts"] == []
    assert [r["burn_rate"] for r in budgets["eu"]["burn_rates"]] == [None] * 3 + ["0"] * 4
    assert budgets["us"]["burn_rate"] == "20"
    assert [r["look_back"] for r in budgets["us"]["burn_rates"]] == [
        "5 minutes",
        "30 minutes",
        "1 hour",
        "2 hours",
        "6 hours",
        "1 day",
        "3 days",
    ]
    assert budgets["us"]["method"].startswith("window volume projected from the traffic so far")


def test_the_table_shows_insufficient_data_with_the_minimum_coverage(
    files: tuple[Path, Path],
) -> None:
    agreement, _data = files
    strict = json.loads(agreement.read_text())
    strict["sources"][0]["min_coverage"] = "50%"
    agreement.write_text(json.dumps(strict))

    table = evaluate(files)
    report = json.loads(evaluate(files, "--format", "json").stdout)

    assert table.exit_code == 0, table.output
    assert "insufficient_data" in table.stdout
    assert "3.2258% (min 50%)" in table.stdout
    verdict = report["verdicts"][0]
    assert verdict["outcome"] == "insufficient_data"
    assert verdict["coverage"]["minimum"] == "0.5"
    assert verdict["coverage"]["rule"] == "at least 50% (source requests); below it: no verdict"
    assert report["credits"] == []


def test_a_period_in_the_future_says_so_in_the_table(files: tuple[Path, Path]) -> None:
    agreement, data = files
    result = accord(
        "evaluate",
        agreement,
        "--data",
        data,
        "--period",
        "2026-12",
        "--as-of",
        "2026-11-05T00:00:00Z",
    )

    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "not started" in said
    assert "period 2026-12 lies entirely in the future (as of 2026-11-05T00:00:00+00:00)" in said


def test_a_window_not_started_within_the_period_says_so(files: tuple[Path, Path]) -> None:
    agreement, data = files
    result = accord(
        "evaluate",
        agreement,
        "--data",
        data,
        "--period",
        "2026-Q4",
        "--as-of",
        "2026-10-20T00:00:00Z",
    )

    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())
    assert "window 2026-10 is still open: measured up to 2026-10-20T00:00:00+00:00" in said
    assert "window 2026-11 has not started (it starts 2026-10-31T23:00:00+00:00" in said
    assert "window 2026-12 has not started" in said


@pytest.fixture(scope="module")
def support_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("support")
    loaded = AgreementFiles().load_valid(EXAMPLES / "support-outsourcer.yaml")
    assert loaded.agreement is not None
    write_sample_data(loaded.agreement, out, SMALL)
    return out


def test_items_list_each_ticket_with_its_due_instant_and_whether_it_was_late(
    support_data: Path,
) -> None:
    agreement = EXAMPLES / "support-outsourcer.yaml"
    args = ("evaluate", agreement, "--data", support_data, "--period", "2026-10", "--items")
    report = json.loads(accord(*args, "--format", "json").stdout)
    table = accord(*args)

    assert table.exit_code == 0, table.output
    assert "Tickets" in table.stdout
    tickets = [t for t in report["items"]["tickets"] if t["objective"] == "resolution-europe"]
    assert tickets
    for ticket in tickets:
        assert ticket["status"] in {"on time", "late", "open", "overdue"}
        assert ticket["due"] is not None
        if ticket["end"] is not None:
            # Resolved by the due instant exactly when on time.
            assert (ticket["end"] <= ticket["due"]) == (ticket["status"] == "on time"), ticket
    verdicts = [v for v in report["verdicts"] if v["objective"] == "resolution-europe"]
    for verdict in verdicts:
        mine = [
            t
            for t in tickets
            if t["window"] == verdict["window"]["label"]
            and t["scope"] == ", ".join(f"{k}={v}" for k, v in verdict["scope"].items())
        ]
        on_time = sum(t["status"] == "on time" for t in mine)
        late = sum(t["status"] in {"late", "overdue"} for t in mine)
        assert (on_time, on_time + late) == (
            verdict["counts"]["good"],
            verdict["counts"]["valid"],
        )


def _series(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Version 2 (a 70% target) takes effect on 1 November; us is at 80% in both months."""
    first = tmp_path / "v1.yaml"
    first.write_text(json.dumps(AGREEMENT))
    lenient = json.loads(json.dumps(AGREEMENT))
    lenient["metadata"] |= {"version": "2", "effective": "2026-11-01"}
    lenient["objectives"][0] |= {"target": "70%", "tolerance": "60%"}
    lenient["remedies"]["credits"][0]["tiers"] = [{"below": "70%", "credit": "10%"}]
    second = tmp_path / "v2.yaml"
    second.write_text(json.dumps(lenient))
    data = tmp_path / "data"
    data.mkdir()
    rows = [
        [utc(2026, month, 5, 11, i), "us", 200 if i < 8 else 503]
        for month in (10, 11)
        for i in range(10)
    ]
    write_csv(data, "requests", ["at", "region", "status"], rows)
    return first, second, data


def test_evaluate_judges_each_window_by_the_version_in_force(tmp_path: Path) -> None:
    first, second, data = _series(tmp_path)
    result = accord(
        "evaluate",
        first,
        second,
        "--data",
        data,
        "--period",
        "2026-Q4",
        "--format",
        "json",
        "--as-of",
        "2026-11-30T00:00:00+00:00",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    outcomes = {v["window"]["label"]: v["outcome"] for v in report["verdicts"]}
    assert outcomes["2026-10"] == "breach"
    assert outcomes["2026-11"] == "met"
    versions = report["versions_in_force"]["versions"]
    assert (versions[0]["version"], versions[0]["windows"]) == ("1", ["2026-10"])
    assert "2026-11" in versions[1]["windows"]
    assert "in force at its start" in report["versions_in_force"]["rule"]
    table = accord("evaluate", first, second, "--data", data, "--period", "2026-Q4")
    assert "version 1 (" in table.stdout
    assert "judged: 2026-10" in table.stdout


def test_a_later_version_must_say_when_it_takes_effect(tmp_path: Path) -> None:
    first, _, data = _series(tmp_path)
    result = accord("evaluate", first, first, "--data", data, "--period", "2026-10")
    assert result.exit_code == 1
    assert "metadata.effective" in result.output


def test_in_force_names_the_version_at_an_instant(tmp_path: Path) -> None:
    first, second, _ = _series(tmp_path)
    october = accord("in-force", first, second, "--at", "2026-10-31")
    assert october.exit_code == 0, october.output
    assert "v1 is in force" in october.stdout
    november = accord("in-force", first, second, "--at", "2026-11-01")
    assert "v2 is in force" in november.stdout
