"""Reading OpenSLO and Sloth files: every object of every YAML document with the line it
starts on, problems naming the file and line, and Accord identifiers made from names."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import TypeAdapter

from accord.connectors.openslo.documents import (
    Document,
    InterchangeError,
    Notes,
    identifier,
    read_documents,
)
from accord.core.spec import Identifier


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_object_of_every_document_is_read_with_its_first_line(tmp_path: Path) -> None:
    first = write(
        tmp_path,
        "slos.yaml",
        "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: checkout}\n"
        "---\n"
        "- kind: SLI\n  metadata: {name: ok}\n- kind: SLI\n  metadata: {name: fast}\n"
        "---\n",
    )
    second = write(tmp_path, "more.yaml", "kind: AlertPolicy\nmetadata: x\n")

    found = read_documents([first, second])

    assert [(d.kind, d.name, d.line) for d in found] == [
        ("SLO", "checkout", 1),
        ("SLI", "ok", 5),
        ("SLI", "fast", 7),
        ("AlertPolicy", "", 1),  # metadata that is not a mapping has no name
    ]
    assert found[1].where == f"{first}:5"
    assert isinstance(found[0].data["metadata"], dict)


def test_a_document_that_is_not_objects_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.yaml", "just a sentence\n")

    with pytest.raises(
        InterchangeError, match=r"odd.yaml: expected objects \(mappings\), found str"
    ):
        read_documents([path])


def test_bad_yaml_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", "kind: SLO\nmetadata:\n  name: [unclosed\n")

    with pytest.raises(InterchangeError) as error:
        read_documents([path])

    message = str(error.value)
    assert message.startswith(f"{path}:")
    assert "not valid YAML" in message


def test_a_file_that_is_not_text_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00kind")

    with pytest.raises(InterchangeError, match=r"binary\.yaml: cannot read"):
        read_documents([path])


@pytest.mark.parametrize(
    ("name", "made"),
    [
        ("Checkout Availability", "checkout-availability"),
        ("api_latency.p99", "api-latency-p99"),
        ("99th percentile", "x-99th-percentile"),
        ("---", "unnamed"),
        ("Café", "caf"),
    ],
)
def test_identifiers_are_lower_case_words_joined_by_dashes(name: str, made: str) -> None:
    assert identifier(name) == made


def test_a_long_name_makes_an_identifier_the_language_accepts() -> None:
    made = identifier("payments " * 20)

    assert len(made) <= 64
    assert not made.endswith("-")
    assert TypeAdapter(Identifier).validate_python(made) == made


def test_notes_say_where_each_thing_was_left_out() -> None:
    notes = Notes()
    notes.add("slos.yaml:12", "alert policies are not imported")

    assert notes.lines == ["slos.yaml:12: alert policies are not imported"]
    assert Document({}, "x.yaml", 3).kind == ""
