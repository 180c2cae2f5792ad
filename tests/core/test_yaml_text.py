"""YAML read within limits: hostile text is a located problem, refused before it costs."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.core.loader import load_agreement
from accord.core.yaml_text import (
    MAX_YAML_CHARACTERS,
    MAX_YAML_DEPTH,
    MAX_YAML_VALUES,
    parse_yaml,
)

EXAMPLE = (Path(__file__).parents[2] / "examples" / "payments-api.yaml").read_text()
BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def only_problem(text: str) -> tuple[int, int, str]:
    data, _positions, problems = parse_yaml(text, "x.yaml")
    assert data is None
    [problem] = problems
    return problem.line, problem.column, problem.message


def test_an_alias_bomb_is_refused_without_being_expanded() -> None:
    line, _column, message = only_problem(BOMB)
    assert f"more than {MAX_YAML_VALUES:,} values (aliases expanded)" in message
    assert line <= 5


def test_aliases_within_the_limit_still_read() -> None:
    data, _positions, problems = parse_yaml("a: &a [1, 2]\nb: *a\n", "x.yaml")
    assert (data, problems) == ({"a": [1, 2], "b": [1, 2]}, [])


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 1000 + "]" * 1000 + "\n",
        "".join(" " * level + f"k{level}:\n" for level in range(300)) + " " * 300 + "x: 1\n",
        "".join("  " * level + "- \n" for level in range(200)),
    ],
    ids=["flow", "block-mapping", "block-list"],
)
def test_nesting_past_the_depth_limit_is_a_problem_not_a_recursion_error(text: str) -> None:
    _line, _column, message = only_problem(text)
    assert f"nests deeper than {MAX_YAML_DEPTH} levels" in message


def test_a_python_tag_is_a_located_problem_and_nothing_is_built() -> None:
    text = "metadata:\n  id: !!python/object/apply:os.system ['echo owned']\n"
    assert only_problem(text) == (
        2,
        7,
        "the YAML tag '!!python/object/apply:os.system' is not allowed",
    )


def test_a_tagged_list_is_a_problem() -> None:
    assert "tagged list or mapping" in only_problem("a: !custom [1, 2]\n")[2]


def test_text_past_the_size_limit_is_refused_unread() -> None:
    text = "# " + "x" * MAX_YAML_CHARACTERS + "\n"
    assert f"longer than the limit of {MAX_YAML_CHARACTERS:,}" in only_problem(text)[2]


def test_too_many_values_are_refused_where_the_limit_is_passed() -> None:
    text = "".join(f"k{index}: {index}\n" for index in range(MAX_YAML_VALUES))
    line, _column, message = only_problem(text)
    assert "more than" in message
    assert line == MAX_YAML_VALUES // 2


@pytest.mark.parametrize(
    ("text", "where"),
    [('title: "\\ud800"\n', (1, 8)), ("a: 1\ntitle: x\ud800y\n", (2, 9))],
    ids=["escaped", "raw"],
)
def test_a_lone_surrogate_is_a_located_problem(text: str, where: tuple[int, int]) -> None:
    _data, _positions, [problem] = parse_yaml(text, "x.yaml")
    assert (problem.line, problem.column) == where
    assert "lone surrogate (U+D800)" in problem.message


def test_many_unknown_fields_are_each_explained_with_a_hint() -> None:
    unknown = 1500
    text = "".join(f"zz{index}: 1\n" for index in range(unknown)) + EXAMPLE
    loaded = load_agreement(text, "x.yaml")
    found = [p for p in loaded.problems if p.message.startswith("unknown field 'zz")]
    assert len(found) == unknown
    assert found[0].line == 1


def test_every_example_is_within_the_limits() -> None:
    for example in sorted((Path(__file__).parents[2] / "examples").glob("*.yaml")):
        _data, _positions, problems = parse_yaml(example.read_text(), example.name)
        assert problems == [], example
