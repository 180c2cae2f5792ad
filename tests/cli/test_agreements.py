"""accord validate and accord schema: problems as file:line:column lines, exit codes, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from accord.cli.main import app
from accord.core.model import Agreement
from accord.core.yaml_text import parse_yaml

runner = CliRunner()

ROOT = Path(__file__).parents[2]
PAYMENTS = ROOT / "examples" / "payments-api.yaml"
MALFORMED = ROOT / "tests" / "core" / "malformed"
SEVERAL = MALFORMED / "several-problems.yaml"

_EXPECT = re.compile(r"^# expect: (\d+):(\d+) (\S+): (.+)$", re.MULTILINE)
_PROBLEM_LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): error: (?P<path>\S+): .+$"
)


def expected_lines(path: Path) -> list[str]:
    """The problem lines the corpus file's header says `accord validate` prints."""
    return [
        f"{path}:{line}:{column}: error: {doc_path}: {message}"
        for line, column, doc_path, message in _EXPECT.findall(path.read_text())
    ]


def validate(*args: str | Path) -> Result:
    return runner.invoke(app, ["validate", *(str(arg) for arg in args)])


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_valid_agreement_exits_0_and_says_ok() -> None:
    result = validate(PAYMENTS)
    assert result.exit_code == 0, result.output
    assert f"ok {PAYMENTS}" in result.stdout
    assert result.stderr == ""


def test_every_example_validates() -> None:
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    result = validate(*examples)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok ") == len(examples)


def test_a_malformed_file_exits_1_with_one_line_per_problem_on_stderr() -> None:
    result = validate(SEVERAL)
    assert result.exit_code == 1
    assert_no_traceback(result)
    problem_lines = [line for line in result.stderr.splitlines() if _PROBLEM_LINE.match(line)]
    assert problem_lines == expected_lines(SEVERAL)
    assert result.stdout == ""


def test_each_problem_line_is_followed_by_its_hint() -> None:
    lines = validate(SEVERAL).stderr.splitlines()
    for index, line in enumerate(lines):
        if _PROBLEM_LINE.match(line):
            assert lines[index + 1].startswith("    hint: "), line


def test_all_problems_of_several_files_are_reported_in_one_run() -> None:
    broken = [MALFORMED / "tolerance-above-target.yaml", MALFORMED / "tab-indentation.yaml"]
    result = validate(broken[0], PAYMENTS, broken[1])
    assert result.exit_code == 1
    for path in broken:
        for line in expected_lines(path):
            assert line in result.stderr.splitlines()
    assert f"ok {PAYMENTS}" in result.stdout


def test_json_output_is_one_problem_object_per_line() -> None:
    result = runner.invoke(app, ["validate", "--json", str(SEVERAL), str(PAYMENTS)])
    assert result.exit_code == 1
    problems = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(problems) == len(expected_lines(SEVERAL))
    for problem in problems:
        assert set(problem) == {"file", "line", "column", "path", "severity", "message", "hint"}
        assert problem["file"] == str(SEVERAL)
        assert problem["severity"] == "error"
        assert problem["line"] >= 1
        assert problem["column"] >= 1
        assert problem["hint"]
    assert {problem["path"] for problem in problems} >= {
        "timezone",
        "indicators[1].percentile",
        "responsibilities[0].accountable",
    }


def test_a_missing_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = validate(missing)
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert str(missing) in result.stderr
    assert "no such file" in result.stderr


def test_a_file_that_is_not_utf8_is_a_clear_error_at_its_line(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"apiVersion: accord/v1\nkind: Agreement\nmetadata: {title: Caf\xe9}\n")
    result = validate(latin1)
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert f"{latin1}:3:" in result.stderr
    assert "not UTF-8" in result.stderr


def test_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = validate(tmp_path)
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert "directory" in result.stderr


def test_validate_without_files_is_a_usage_error() -> None:
    assert validate().exit_code == 2


def test_schema_is_json_with_definitions_and_every_agreement_field() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert schema["$defs"]
    fields = {info.alias or name for name, info in Agreement.model_fields.items()}
    assert set(schema["properties"]) == fields
    assert {"apiVersion", "kind", "metadata", "parties", "term"} <= set(schema["required"])


def test_schema_names_every_section_of_the_example() -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    data, _, problems = parse_yaml(PAYMENTS.read_text(), PAYMENTS.name)
    assert problems == []
    assert set(data) <= set(schema["properties"])
    for reference in re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema)):
        assert reference in schema["$defs"]
