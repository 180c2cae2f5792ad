"""Loading an agreement: every problem is reported at once, where it is, with a hint, and
no text makes the loader raise.

Each file in ``malformed/`` is derived from ``malformed/_valid_base.yaml`` and states in its
header the problems the loader must report, one line each::

    # expect: 60:16 objectives[0].tolerance: tolerance 99.95% is above the target 99.9%

(line:column, the path inside the document, and a distinctive part of the message). The
loader must report exactly those errors: no fewer, no more, nowhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core.loader import load_agreement
from accord.core.problems import Problem
from accord.core.yaml_text import LINE_BREAK

CORPUS = Path(__file__).parent / "malformed"
BASE = CORPUS / "_valid_base.yaml"
MALFORMED = sorted(path for path in CORPUS.glob("*.yaml") if path != BASE)

_EXPECT = re.compile(r"^# expect: (\d+):(\d+) (\S+): (.+)$")

Expected = tuple[int, int, str, str]


def expectations(text: str) -> list[Expected]:
    """The ``# expect:`` lines of a file's header comment block."""
    found = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line)
        if match:
            found.append((int(match[1]), int(match[2]), match[3], match[4]))
    return found


def as_expect_line(problem: Problem) -> str:
    return f"# expect: {problem.line}:{problem.column} {problem.path}: {problem.message}"


def unmatched(expected: list[Expected], errors: list[Problem]) -> tuple[list[str], list[str]]:
    """Expectations no error meets, and errors no expectation describes (pairwise)."""
    left = list(errors)
    missing = []
    for line, column, path, words in expected:
        match = next(
            (
                error
                for error in left
                if (error.line, error.column, error.path) == (line, column, path)
                and words in error.message
            ),
            None,
        )
        if match is None:
            missing.append(f"# expect: {line}:{column} {path}: {words}")
        else:
            left.remove(match)
    return missing, [as_expect_line(error) for error in left]


def test_the_valid_base_has_no_problems() -> None:
    loaded = load_agreement(BASE.read_text(), BASE.name)
    assert loaded.problems == []
    assert loaded.ok


def test_the_corpus_covers_at_least_35_malformed_files() -> None:
    assert len(MALFORMED) >= 35
    for path in MALFORMED:
        assert expectations(path.read_text()), f"{path.name} states no '# expect:' line"


@pytest.mark.parametrize("path", MALFORMED, ids=[path.stem for path in MALFORMED])
def test_malformed_file_reports_exactly_the_expected_problems(path: Path) -> None:
    text = path.read_text()
    loaded = load_agreement(text, path.name)
    errors = [problem for problem in loaded.problems if problem.severity == "error"]
    missing, unexpected = unmatched(expectations(text), errors)
    assert not missing, (
        "not reported:\n"
        + "\n".join(missing)
        + "\nreported:\n"
        + "\n".join(as_expect_line(error) for error in errors)
    )
    assert not unexpected, "reported but not expected:\n" + "\n".join(unexpected)
    assert not loaded.ok


@pytest.mark.parametrize("path", MALFORMED, ids=[path.stem for path in MALFORMED])
def test_every_problem_is_one_line_with_a_hint(path: Path) -> None:
    for problem in load_agreement(path.read_text(), path.name).problems:
        assert problem.hint, f"{as_expect_line(problem)} has no hint"
        assert "\n" not in problem.message
        assert "\n" not in problem.hint
        assert problem.file == path.name


HINTS = {
    "unknown-field": ("objectives[0].tolerence", "did you mean 'tolerance'?"),
    "unknown-top-level-field": ("objective", "did you mean 'objectives'?"),
    "unknown-time-zone": ("timezone", "did you mean 'Europe/Berlin'?"),
    "unknown-time-zone-typo": ("calendars[0].timezone", "did you mean 'Europe/Berlin'?"),
    "unknown-indicator": ("objectives[0].indicator", "did you mean 'availability'?"),
    "unknown-raci-party": ("responsibilities[0].accountable", "known parties: shop, vendor"),
    "unknown-indicator-kind": ("indicators[0].kind", "did you mean 'ratio'?"),
    "unknown-role": ("parties[1].role", "did you mean 'provider'?"),
    "unknown-holiday-subdivision": ("calendars[0].holidays.subdivision", "BE, BW, BY"),
    "percentage-without-sign": ("objectives[0].target", "'99.9%'"),
    "target-fraction-for-share": ("objectives[0].target", "e.g. '100%'"),
    "duration-plain-on-business-calendar": (
        "indicators[2].threshold",
        "'1 business day' (a working day of 'office' is 8 hours) or '24 business hours'",
    ),
    "duration-business-on-wall-clock": ("exclusions[0].notice", "e.g. '5 days'"),
    "tab-indentation": ("(yaml)", "spaces, not tabs"),
    "tolerance-above-target": ("objectives[0].tolerance", "at or below 99.9%"),
    "tolerance-below-target": ("objectives[1].tolerance", "at or above 300 milliseconds"),
}


@pytest.mark.parametrize(("name", "expected"), sorted(HINTS.items()))
def test_the_hint_says_how_to_fix_it(name: str, expected: tuple[str, str]) -> None:
    path, words = expected
    problems = load_agreement((CORPUS / f"{name}.yaml").read_text()).problems
    hints = [problem.hint for problem in problems if problem.path == path]
    assert hints, f"no problem at {path}"
    assert words in hints[0]


def test_several_problems_in_different_sections_are_reported_together() -> None:
    text = (CORPUS / "several-problems.yaml").read_text()
    paths = {problem.path for problem in load_agreement(text).problems}
    assert "indicators[1].percentile" in paths  # a type error …
    assert "responsibilities[0].accountable" in paths  # … and a reference error elsewhere
    assert "objectives[0].tolerance" in paths  # … and a meaning check on the rest


def test_a_broken_definition_is_not_reported_again_by_its_references() -> None:
    # The indicator 'latency' has a type error; objective 'speed' still names it.
    text = (CORPUS / "wrong-type.yaml").read_text()
    messages = [problem.message for problem in load_agreement(text).problems]
    assert not any("unknown indicator" in message for message in messages)


# --- random mutations of the valid base never crash the loader ---------------------------

_LINES = BASE.read_text().split("\n")
_JUNK = st.sampled_from(
    ["", "~", "[]", "{}", "[a, b]", "{a: 1}", "'open", '"open', "&a", "*a", "!!int x", "!tag x",
     "2026-13-01", "-1", "1e999", ".nan", "99", "99%", "150%", "-5 days", "30", "rolling 0 days",
     "10 EUX", "status <", "- item", "? key", "a: b: c", "|", ">", "@", "`", "%", "#", "\t"]
)  # fmt: skip
_SCALARS = st.one_of(
    _JUNK,
    st.text(max_size=12),
    st.integers().map(str),
    st.floats().map(str),
)


@st.composite
def mutated_base(draw: st.DrawFn) -> str:
    """The valid base after one to three random edits of the kinds people make."""
    lines = list(_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "swap", "scalar", "tab"]))
        if edit == "delete" and len(lines) > 1:
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, lines[index])
        elif edit == "swap":
            lines[index], lines[other] = lines[other], lines[index]
        elif edit == "scalar" and ": " in lines[index]:
            key = lines[index].split(": ", 1)[0]
            lines[index] = f"{key}: {draw(_SCALARS)}"
        elif edit == "tab":
            cut = draw(st.integers(min_value=0, max_value=len(lines[index])))
            lines[index] = lines[index][:cut] + "\t" + lines[index][cut:]
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_base())
def test_loading_a_mutated_agreement_never_raises_and_places_problems_in_the_text(
    text: str,
) -> None:
    loaded = load_agreement(text, "mutated.yaml")
    lines = LINE_BREAK.split(text)
    for problem in loaded.problems:
        assert 1 <= problem.line <= len(lines), problem
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1, problem
        assert problem.message
        assert "\n" not in problem.message
    if not loaded.ok:
        assert any(problem.severity == "error" for problem in loaded.problems)


# -- fuzzing: whatever the text, placed problems or an agreement, never an exception ---------

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
