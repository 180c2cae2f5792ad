"""Loading agreement files: unreadable, non-UTF-8 and invalid files are located problems,
never a crash; a valid one loads; later files are versions of the first from their
effective instant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.services.agreements import AgreementFileError, AgreementFiles, VersionSeriesError

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def test_a_valid_file_loads() -> None:
    loaded = AgreementFiles().load_valid(EXAMPLE)

    assert loaded.ok
    assert loaded.agreement is not None
    assert loaded.agreement.metadata.id == "payments-api"


def test_a_missing_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    loaded = AgreementFiles().load(tmp_path / "absent.yaml")

    assert not loaded.ok
    assert [p.message for p in loaded.problems] == ["no such file"]


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    [problem] = AgreementFiles().load(tmp_path).problems

    assert problem.message == "is a directory, not a file"


def test_bytes_that_are_not_utf8_are_located_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"apiVersion: accord/v1\nkind: Agr\xe9ement\n")

    [problem] = AgreementFiles().load(path).problems

    assert (problem.line, problem.column, problem.message) == (2, 10, "not UTF-8 text")


def test_an_invalid_file_raises_with_every_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("apiVersion: accord/v1\nkind: Agreement\n", encoding="utf-8")

    with pytest.raises(AgreementFileError) as raised:
        AgreementFiles().load_valid(path)

    assert raised.value.problems
    assert all(p.severity == "error" for p in raised.value.problems)
    assert str(raised.value) == "\n".join(str(p) for p in raised.value.problems)


def _version(folder: Path, name: str, metadata: str = "") -> Path:
    """The example as version 3.2 with a ``metadata`` line added (or its id changed)."""
    text = EXAMPLE.read_text(encoding="utf-8").replace('version: "3.1"', 'version: "3.2"', 1)
    if metadata.startswith("id:"):
        text = text.replace("  id: payments-api\n", f"  {metadata}\n", 1)
    elif metadata:
        text = text.replace('  version: "3.2"\n', f'  version: "3.2"\n  {metadata}\n', 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_later_files_are_versions_in_force_from_their_effective_date(tmp_path: Path) -> None:
    later = _version(tmp_path, "later.yaml", "effective: 2026-11-01")

    versions = AgreementFiles().versions(EXAMPLE, [later])

    berlin_midnight = dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC)
    assert [(span.number, span.effective_at) for span in versions] == [
        (1, dt.datetime.min.replace(tzinfo=dt.UTC)),
        (2, berlin_midnight),
    ]
    assert [v.metadata.version for v in versions.values()] == ["3.1", "3.2"]


def test_a_later_version_must_say_when_it_takes_effect(tmp_path: Path) -> None:
    undated = _version(tmp_path, "undated.yaml")
    other = _version(tmp_path, "other.yaml", "id: another-agreement")

    with pytest.raises(VersionSeriesError, match="must say when it takes effect"):
        AgreementFiles().versions(EXAMPLE, [undated])
    with pytest.raises(VersionSeriesError, match="'another-agreement' is not a version of"):
        AgreementFiles().versions(EXAMPLE, [other])
