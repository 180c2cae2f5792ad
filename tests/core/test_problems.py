"""Problems in a user's input: where they are (file, line, column, path) and the hint."""

from __future__ import annotations

import pytest

from accord.core.problems import Problem, Severity, format_path


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (("objectives", 2, "tolerance"), "objectives[2].tolerance"),
        (("calendars", 0, "hours", "mon-fri", 1), "calendars[0].hours.mon-fri[1]"),
        ((0, "id"), "[0].id"),
        ((), "(document)"),
        (("timezone",), "timezone"),
    ],
)
def test_a_path_reads_as_it_would_be_written_in_code(
    path: tuple[str | int, ...], shown: str
) -> None:
    assert format_path(path) == shown


def test_a_problem_reads_like_a_compiler_message_with_its_hint_below() -> None:
    problem = Problem("sla.yaml", 60, 16, "objectives[0].tolerance", "above the target", "lower it")

    assert str(problem) == (
        "sla.yaml:60:16: error: objectives[0].tolerance: above the target\n    hint: lower it"
    )


def test_a_warning_without_a_hint_is_one_line() -> None:
    problem = Problem("sla.yaml", 3, 1, "metadata", "no owner", severity=Severity.WARNING)

    assert str(problem) == "sla.yaml:3:1: warning: metadata: no owner"


def test_a_problem_as_data_carries_every_field_with_its_severity_as_text() -> None:
    problem = Problem("sla.yaml", 1, 2, "kind", "unknown kind", "write 'Agreement'")

    assert problem.to_dict() == {
        "file": "sla.yaml",
        "line": 1,
        "column": 2,
        "path": "kind",
        "severity": "error",
        "message": "unknown kind",
        "hint": "write 'Agreement'",
    }
