"""docs/language.md is generated from the model, so it names every section and field."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.reports.language_doc import field_name, language_reference, type_words

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
REGENERATE = "regenerate it with: .venv/bin/accord docs language -o docs/language.md"


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models_in(argument)


def every_model() -> list[type[BaseModel]]:
    """All models reachable from Agreement, found independently of the generator."""
    found: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [Agreement]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.append(model)
        for info in model.model_fields.values():
            pending.extend(_models_in(info.annotation))
    return found


def sections_of(text: str) -> dict[str, str]:
    """The reference's sections by title (the text after each '### ' heading)."""
    reference = text.split("\n## Reference\n", 1)[1]
    sections = {}
    for chunk in reference.split("\n### ")[1:]:
        title, _, body = chunk.partition("\n")
        sections[title.strip()] = body
    return sections


def test_docs_language_md_is_what_the_generator_writes() -> None:
    written = DOC.read_text(encoding="utf-8") if DOC.is_file() else ""
    if written != language_reference():
        pytest.fail(f"docs/language.md is out of step with the model; {REGENERATE}")


def test_every_model_has_a_section_with_its_docstring() -> None:
    sections = sections_of(language_reference())
    for model in every_model():
        assert model.__name__ in sections, model.__name__
        docstring = " ".join((model.__dict__.get("__doc__") or "").split())
        assert docstring, f"{model.__name__} needs a docstring: it is the section's introduction"
        assert docstring in sections[model.__name__]


def test_every_field_of_every_model_is_documented_in_its_section() -> None:
    sections = sections_of(language_reference())
    for model in every_model():
        for name, info in model.model_fields.items():
            assert f"| `{field_name(name, info)}` |" in sections[model.__name__], (
                f"{model.__name__}.{name}"
            )


def test_every_field_has_a_description() -> None:
    for model in every_model():
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} needs a description"


def test_fields_show_their_unit_types_in_words() -> None:
    sections = sections_of(language_reference())
    assert "| `tolerance` | measure | yes |" in sections["Objective"]
    assert "| `acknowledge` | duration | yes |" in sections["Severity"]
    assert "| `basis` | money | yes |" in sections["CreditScheme"]
    assert "| `credit` | percentage or money | yes |" in sections["CreditTier"]
    assert "| `good` | condition | yes |" in sections["RatioIndicator"]
    assert "| `window` | window | yes |" in sections["Objective"]
    assert "| `calendar` | calendar reference | no | `24x7` |" in sections["Severity"]
    assert "| `parties` | list of [Party](#party) | yes |" in sections["Agreement"]


def test_written_names_are_aliases_where_the_model_has_them() -> None:
    sections = sections_of(language_reference())
    assert "| `apiVersion` |" in sections["Agreement"]
    assert "| `from` |" in sections["DateRange"]
    assert "| `to` |" in sections["DateRange"]


def test_indicator_kinds_are_linked_from_the_agreement() -> None:
    sections = sections_of(language_reference())
    assert "[`business_duration`](#businessdurationindicator)" in sections["Agreement"]
    assert "`indicators[]` with `kind: timeslice`" in sections["TimesliceIndicator"]


def test_introduction_explains_units_windows_and_the_tolerance_band() -> None:
    introduction = language_reference().split("\n## Reference\n", 1)[0]
    for phrase in (
        "5 business days",
        "99.95%",
        "40000 EUR",
        "rolling 28 days",
        "**deviation**",
        "**breach**",
        "`first_contact_resolution`",
        "SQL syntax",
    ):
        assert phrase in introduction, phrase


def test_a_type_without_words_is_refused_rather_than_guessed() -> None:
    with pytest.raises(TypeError, match="no words"):
        type_words(complex)


def test_headings_are_unique_so_every_link_reaches_its_section() -> None:
    headings = []
    in_code = False
    for line in language_reference().splitlines():
        in_code = in_code != line.startswith("```")
        if not in_code and line.startswith("#"):
            headings.append(line.lstrip("#").strip().lower())
    assert len(headings) == len(set(headings))


def test_the_first_agreement_in_the_introduction_is_valid() -> None:
    text = language_reference()
    first = text.split("## A first agreement", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    loaded = load_agreement(first, "language.md")
    assert [str(problem) for problem in loaded.problems] == []
    assert loaded.ok
