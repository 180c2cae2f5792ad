"""Fuzzing the agreement loader: whatever the text, it answers with placed problems or an
agreement, never an exception, and hostile structure is refused within the limits."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core.loader import load_agreement

EXAMPLE = (Path(__file__).parents[2] / "examples" / "payments-api.yaml").read_text()
#: The characters YAML gives meaning to, and a few that it refuses.
YAML_ALPHABET = st.sampled_from(
    [*" \n\t:-?[]{},&*!|>'\"%@`#\\", "a", "1", "\ud800", "\x00", "\u2028", "!!python/"]
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answers(text: str) -> None:
    loaded = load_agreement(text, "fuzz.yaml")
    for problem in loaded.problems:
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message


@FUZZ
@given(st.lists(YAML_ALPHABET, max_size=200).map("".join))
def test_any_yaml_like_text_is_answered_with_problems(text: str) -> None:
    _answers(text)


@FUZZ
@given(
    st.integers(min_value=0, max_value=len(EXAMPLE)),
    st.integers(min_value=0, max_value=200),
    st.lists(YAML_ALPHABET, max_size=40).map("".join),
)
def test_an_example_cut_and_spliced_anywhere_is_answered(start: int, cut: int, splice: str) -> None:
    _answers(EXAMPLE[:start] + splice + EXAMPLE[start + cut :])


@FUZZ
@given(st.integers(min_value=1, max_value=400), st.sampled_from(["[", "{", "- ", "a:\n "]))
def test_nesting_of_any_depth_is_answered(depth: int, opener: str) -> None:
    _answers("a: " + opener * depth + "\n")
