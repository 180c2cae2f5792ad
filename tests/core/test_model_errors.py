"""Pydantic's errors said in the words of the agreement language: one problem per place in
the document (never pydantic's union tags or validator names), a message that names the
value at fault, and a hint that says how to fix it (the closest field or word where one is
close, else what the field is for)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from accord.core.model import Agreement
from accord.core.model_errors import TypeProblem, explain_errors
from tests.engine.builders import document

SECTIONS: dict[str, Any] = {
    "sources": [
        {
            "id": "calls",
            "kind": "events",
            "format": "jsonl",
            "path": "calls.jsonl",
            "columns": {
                "timestamp": {"column": "at", "type": "timestamp"},
                "latency": {"column": "ms", "type": "duration", "unit": "ms"},
            },
        }
    ],
    "indicators": [
        {"id": "p99", "name": "p99", "kind": "percentile", "source": "calls", "measure": "latency",
         "percentile": 99},
    ],
    "objectives": [
        {"id": "speed", "name": "Speed", "indicator": "p99", "target": "300ms",
         "tolerance": "500ms", "window": "month"},
    ],
}  # fmt: skip

Edit = Callable[[dict[str, Any]], object]


def problems(edit: Edit) -> list[TypeProblem]:
    """The problems of the valid document after ``edit``."""
    data = copy.deepcopy(document(SECTIONS, sparse=False))
    Agreement.model_validate(data)  # valid before the edit
    edit(data)
    try:
        Agreement.model_validate(data)
    except ValidationError as error:
        return explain_errors(error.errors(), data)
    raise AssertionError("the edited document is valid")


def problem(edit: Edit) -> tuple[tuple[str | int, ...], str, str]:
    (found,) = problems(edit)
    return found.path, found.message, found.hint


def test_a_member_of_a_union_is_located_by_the_document_not_by_its_tag() -> None:
    assert problem(lambda d: d["indicators"][0].update(percentile="high")) == (
        ("indicators", 0, "percentile"),
        "expected a number, got 'high'",
        "percentile: Which percentile, e.g. 99 or 99.9.",
    )


def test_a_misspelt_field_is_one_problem_with_the_field_it_misses() -> None:
    def misspell(data: dict[str, Any]) -> None:
        data["objectives"][0]["tolerence"] = data["objectives"][0].pop("tolerance")

    assert problem(misspell) == (
        ("objectives", 0, "tolerence"),
        "unknown field 'tolerence'",
        "did you mean 'tolerance'?",
    )


def test_an_unknown_field_like_none_is_told_the_fields_not_yet_written() -> None:
    path, message, hint = problem(lambda d: d["objectives"][0].update(colour="red"))

    assert (path, message) == (("objectives", 0, "colour"), "unknown field 'colour'")
    assert hint.startswith("remove it; other fields here: stage, scope, where, during")
    assert "target" not in hint  # written already


def test_an_optional_field_misspelt_is_guessed_too() -> None:
    assert problem(lambda d: d["objectives"][0].update(descripton="Why"))[2] == (
        "did you mean 'description'?"
    )


def test_a_missing_field_is_named_with_what_it_is_for() -> None:
    assert problem(lambda d: d["objectives"][0].pop("name")) == (
        ("objectives", 0, "name"),
        "missing required field 'name'",
        "add 'name: …' (Name as it appears in the document.)",
    )


def test_a_word_outside_the_list_is_corrected_to_the_closest() -> None:
    assert problem(lambda d: d.update(kind="Agreemnt")) == (
        ("kind",),
        "expected 'Agreement', got 'Agreemnt'",
        "write kind: Agreement",
    )
    assert problem(lambda d: d["parties"][1].update(role="provder"))[1:] == (
        "'provder' is not one of 'consumer', 'provider', 'subcontractor', 'auditor' or 'other'",
        "did you mean 'provider'?",
    )
    assert problem(lambda d: d["parties"][1].update(role="vendor"))[2] == (
        "use one of 'consumer', 'provider', 'subcontractor', 'auditor' or 'other'"
    )


def test_an_unknown_or_missing_kind_of_indicator_names_the_kinds() -> None:
    path, message, hint = problem(lambda d: d["indicators"][0].update(kind="percentil"))
    assert (path, message) == (("indicators", 0, "kind"), "unknown kind 'percentil'")
    assert hint.startswith("did you mean 'percentile'? use one of 'ratio', 'threshold'")

    path, message, hint = problem(lambda d: d["indicators"][0].pop("kind"))
    assert (path, message) == (("indicators", 0), "missing 'kind'")
    assert hint.startswith("say which kind this is: one of ratio, threshold, percentile")


def test_an_identifier_is_explained_and_other_patterns_name_their_field() -> None:
    assert problem(lambda d: d["objectives"][0].update(id="Speed")) == (
        ("objectives", 0, "id"),
        "'Speed' is not a valid identifier",
        "use lower-case letters, digits, '-' and '_', starting with a letter, e.g. "
        "'api-availability'",
    )
    contact = {"name": "Ops", "email": "ops-at-example"}
    assert problem(lambda d: d["parties"][1].update(contacts=[contact])) == (
        ("parties", 1, "contacts", 0, "email"),
        "'ops-at-example' is not a valid email",
        "email: E-mail address.",
    )


def test_bounds_lengths_and_shapes_are_said_in_words() -> None:
    assert problem(lambda d: d["indicators"][0].update(percentile=100))[1] == (
        "percentile must be less than 100, got 100"
    )
    assert problem(lambda d: d.update(parties=d["parties"][:1]))[:2] == (
        ("parties",),
        "parties needs at least 2 items, got 1",
    )
    assert problem(lambda d: d["objectives"][0].update(name=""))[1] == "name must not be empty"
    assert problem(lambda d: d["objectives"][0].update(scope="region"))[1] == (
        "expected a list, got 'region'"
    )


def test_a_long_value_is_shown_cut_short() -> None:
    message = problem(lambda d: d["objectives"][0].update(name=["x" * 60]))[1]

    assert message == "expected text, got ['" + "x" * 35 + "…"


def test_a_rule_of_the_model_speaks_its_own_words_where_it_points() -> None:
    assert problem(lambda d: d["term"].update(end="2027-12-31")) == (
        ("term", "end"),
        "give either 'duration' or 'end', not both",
        "remove one of them",
    )


def test_every_problem_of_a_section_is_reported_each_where_it_is() -> None:
    found = problems(lambda d: d.update(incidents={"severities": "sev1", "on_call": "24x7"}))

    assert [(p.path, p.message) for p in found] == [
        (("incidents", "severities"), "expected a list, got 'sev1'"),
        (("incidents", "escalation"), "missing required field 'escalation'"),
        (("incidents", "review"), "missing required field 'review'"),
        (
            ("incidents", "security_breach_notification"),
            "missing required field 'security_breach_notification'",
        ),
    ]
