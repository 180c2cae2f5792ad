"""accord diff: changes between two versions in plain language or JSON, with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()

PAYMENTS = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def new_version(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """A copy of the payments example with text replaced, as an author would edit it."""
    text = PAYMENTS.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "payments-api-new.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    return new_version(
        tmp_path,
        ('version: "3.1"', 'version: "3.2"'),
        ("target: 99.95%", "target: 99.99%"),
        ("{below: 99.5%, credit: 15%}", "{below: 99.5%, credit: 20%}"),
        ("resolve: 4h", "resolve: 6h"),
    )


def test_text_output_groups_changes_in_plain_language(changed: Path) -> None:
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(changed)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "payments-api: version 3.1 → 3.2"
    assert "Objectives" in lines
    assert (
        "  tightened  Target of 'Monthly authorisation availability' tightened "
        "from 99.95% to 99.99%."
    ) in lines
    assert "Service credits" in lines
    assert "  tightened  Credit tier 2 of 'availability-credits' raised from 15% to 20%." in lines
    assert (
        "  loosened   Time to resolve 'Critical' incidents lengthened from 4 hours to 6 hours."
    ) in lines
    assert lines[-1] == (
        "4 changes: 2 tightened, 1 loosened, 1 neutral "
        "(tightened is better for the consumer, Acme Retail GmbH)."
    )
    assert result.stderr == ""


def test_groups_follow_the_order_of_the_agreement(changed: Path) -> None:
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(changed)])
    headings = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert headings[1:-1] == ["Metadata", "Objectives", "Service credits", "Incidents"]


def test_identical_versions_report_no_changes() -> None:
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(PAYMENTS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "payments-api: version 3.1 → 3.1",
        "No changes in meaning.",
    ]


def test_json_output_is_the_accord_diff_document(changed: Path) -> None:
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(changed), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["format"] == "accord.diff/v1"
    assert (document["old"]["version"], document["new"]["version"]) == ("3.1", "3.2")
    assert len(document["old"]["hash"]) == 64
    assert [change["path"] for change in document["changes"]] == [
        "metadata.version",
        "objectives[api-availability].target",
        "remedies.credits[availability-credits].tiers[2].credit",
        "incidents.severities[sev1].resolve",
    ]
    assert document["summary"]["tightened"] == 2


def test_exit_code_flag_returns_3_when_versions_differ(changed: Path) -> None:
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(changed), "--exit-code"])
    assert result.exit_code == 3
    assert "4 changes" in result.stdout


def test_exit_code_flag_returns_0_when_versions_mean_the_same(tmp_path: Path) -> None:
    respelled = new_version(tmp_path, ("resolve: 4h", "resolve: 240m"))
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(respelled), "--exit-code"])
    assert result.exit_code == 0, result.output
    assert "No changes in meaning." in result.stdout


def test_an_invalid_version_prints_its_problems_and_exits_1(tmp_path: Path) -> None:
    broken = new_version(tmp_path, ("target: 99.95%", "target: 99.95"))
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(broken)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{broken}:" in result.stderr
    assert "objectives[0].target" in result.stderr


def test_a_missing_file_exits_1() -> None:
    result = runner.invoke(app, ["diff", "no-such-agreement.yaml", str(PAYMENTS)])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_an_unknown_format_is_a_usage_error(changed: Path) -> None:
    result = runner.invoke(app, ["diff", str(PAYMENTS), str(changed), "--format", "xml"])
    assert result.exit_code == 2
