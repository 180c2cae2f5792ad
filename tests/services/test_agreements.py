"""Loading agreement files: unreadable, non-UTF-8 and invalid files are located problems,
never a crash; a valid one loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.services.agreements import AgreementFileError, load_file, load_valid

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def test_a_valid_file_loads() -> None:
    loaded = load_valid(EXAMPLE)

    assert loaded.ok
    assert loaded.agreement is not None
    assert loaded.agreement.metadata.id == "payments-api"


def test_a_missing_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    loaded = load_file(tmp_path / "absent.yaml")

    assert not loaded.ok
    assert [p.message for p in loaded.problems] == ["no such file"]


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    [problem] = load_file(tmp_path).problems

    assert problem.message == "is a directory, not a file"


def test_bytes_that_are_not_utf8_are_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"apiVersion: accord/v1\nkind: Agr\xe9ement\n")

    [problem] = load_file(path).problems

    assert (problem.line, problem.column, problem.message) == (2, 10, "not UTF-8 text")


def test_an_invalid_file_raises_with_every_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("apiVersion: accord/v1\nkind: Agreement\n", encoding="utf-8")

    with pytest.raises(AgreementFileError) as raised:
        load_valid(path)

    assert raised.value.problems
    assert all(p.severity == "error" for p in raised.value.problems)
    assert str(raised.value) == "\n".join(str(p) for p in raised.value.problems)
