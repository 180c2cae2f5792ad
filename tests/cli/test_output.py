"""Console output shared by the commands: each problem on one line placed by file, line and
column with its hint below (or as JSON lines), markup in messages printed as written, an
error and its exit code, and an invalid agreement file refused with its problems (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from accord.cli.output import EXIT_INVALID, fail, print_problems, valid_agreement
from accord.core.problems import Problem, Severity

PROBLEMS = [
    Problem("a.yaml", 9, 15, "timezone", "unknown zone [Mars]", hint="use an IANA name"),
    Problem("a.yaml", 12, 3, "objectives[0]", "no window", severity=Severity.WARNING),
]


def test_problems_are_placed_one_per_line_with_their_hints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_problems(PROBLEMS)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines == [
        "a.yaml:9:15: error: timezone: unknown zone [Mars]",
        "    hint: use an IANA name",
        "a.yaml:12:3: warning: objectives[0]: no window",
    ]


def test_problems_as_json_lines_go_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    print_problems(PROBLEMS, as_json=True)
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [(r["line"], r["column"], r["severity"]) for r in rows] == [
        (9, 15, "error"),
        (12, 3, "warning"),
    ]
    assert captured.err == ""


def test_fail_prints_the_error_and_exits_with_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as raised:
        fail("no agreement [acme-x]", code=4)
    assert raised.value.exit_code == 4
    assert capsys.readouterr().err.strip() == "error: no agreement [acme-x]"
    with pytest.raises(typer.Exit) as default:
        fail("x")
    assert default.value.exit_code == EXIT_INVALID == 1


def test_an_invalid_agreement_file_is_refused_with_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "agreement.yaml"
    path.write_text("apiVersion: accord/v1\nkind: Agreement\nmetadata: {id: x}\n")
    with pytest.raises(typer.Exit) as raised:
        valid_agreement(path)
    assert raised.value.exit_code == EXIT_INVALID
    err = capsys.readouterr().err
    assert f"{path}:" in err or "agreement.yaml:" in err
    assert ": error: " in err


def test_a_valid_agreement_file_is_loaded() -> None:
    example = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
    assert valid_agreement(example).metadata.id == "payments-api"
