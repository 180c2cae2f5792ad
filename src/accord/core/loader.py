"""Reading agreement text: YAML with positions, typed validation, then meaning checks.

``load_agreement`` never raises for bad input: it returns every problem it found, each
placed at a line and column of the text and a path inside the document.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from accord.core.model import API_VERSION, Agreement
from accord.core.problems import DocPath, Problem, format_path
from accord.core.validation import check_agreement

__all__ = ["Loaded", "Positions", "load_agreement", "parse_yaml"]

KNOWN_API_VERSIONS = (API_VERSION,)


@dataclass
class Positions:
    """Where each path of a document stands in its text (1-based line and column)."""

    spots: dict[DocPath, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: DocPath) -> tuple[int, int]:
        """Position of the path, or of its nearest ancestor that is written in the text."""
        for end in range(len(path), -1, -1):
            spot = self.spots.get(tuple(path[:end]))
            if spot is not None:
                return spot
        return (1, 1)


@dataclass
class Loaded:
    """The outcome of loading: the agreement if it is valid, and every problem found."""

    name: str
    agreement: Agreement | None
    problems: list[Problem]
    data: Any = None

    @property
    def ok(self) -> bool:
        return self.agreement is not None and not any(
            problem.severity == "error" for problem in self.problems
        )


def _plain(node: Any, path: DocPath, positions: Positions) -> Any:
    """ruamel's round-trip nodes → plain Python, recording each path's position."""
    if isinstance(node, CommentedMap):
        result: dict[Any, Any] = {}
        for key, value in node.items():
            child: DocPath = (*path, str(key))
            line, column = node.lc.value(key) if _is_scalar(value) else node.lc.key(key)
            positions.spots[child] = (line + 1, column + 1)
            result[str(key)] = _plain(value, child, positions)
        return result
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for index, value in enumerate(node):
            line, column = node.lc.item(index)
            positions.spots[(*path, index)] = (line + 1, column + 1)
            items.append(_plain(value, (*path, index), positions))
        return items
    return _scalar(node)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (CommentedMap, CommentedSeq))


def _scalar(node: Any) -> Any:
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime.fromisoformat(node.isoformat())
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    return str(node)


def parse_yaml(text: str, name: str) -> tuple[Any, Positions, list[Problem]]:
    """Parse YAML text; syntax errors (tabs, duplicate keys, bad indentation) become problems."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    positions = Positions()
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        return None, positions, [_yaml_problem(exc, name)]
    except YAMLError as exc:  # pragma: no cover - ruamel marks nearly every error
        return None, positions, [Problem(name, 1, 1, "(document)", f"not valid YAML: {exc}")]
    positions.spots[()] = (1, 1)
    return _plain(document, (), positions), positions, []


def _yaml_problem(exc: MarkedYAMLError, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or exc.context or "not valid YAML").strip()
    hint = "check the indentation and the ':' after each key"
    if "\\t" in problem or "'\\t'" in problem or "tab" in problem.lower():
        problem, hint = "a tab character is not allowed here", "YAML indents with spaces, not tabs"
    elif "duplicate key" in problem:
        hint = "each key may appear once per mapping; remove or rename one"
        problem = problem.replace("found ", "")
    return Problem(name, line, column, "(yaml)", f"YAML syntax: {problem}", hint)


def load_agreement(text: str, name: str = "<agreement>") -> Loaded:
    """Parse, validate and check an agreement; collect all problems instead of stopping."""
    data, positions, problems = parse_yaml(text, name)
    if problems:
        return Loaded(name, None, problems)
    if not isinstance(data, dict):
        return Loaded(
            name,
            None,
            [Problem(name, 1, 1, "(document)", "an agreement is a YAML mapping", _START_HINT)],
        )
    version_problem = _check_api_version(data, positions, name)
    if version_problem:
        return Loaded(name, None, [version_problem], data)
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        problems = _type_problems(exc.errors(), data, positions, name)
        partial, tolerated = _partial(data, exc.errors())
        if partial is not None:
            problems += _meaning_problems(partial, positions, name, tolerated)
        return Loaded(name, None, _sorted(problems), data)
    problems = _meaning_problems(agreement, positions, name, frozenset())
    return Loaded(name, agreement, _sorted(problems), data)


_START_HINT = "start the file with 'apiVersion: accord/v1' and 'kind: Agreement'"


def _check_api_version(data: dict[str, Any], positions: Positions, name: str) -> Problem | None:
    version = data.get("apiVersion")
    if version in KNOWN_API_VERSIONS:
        return None
    line, column = positions.of(("apiVersion",))
    if version is None:
        return Problem(name, line, column, "apiVersion", "missing apiVersion", _START_HINT)
    return Problem(
        name,
        line,
        column,
        "apiVersion",
        f"unknown apiVersion {version!r}",
        f"this Accord reads {', '.join(KNOWN_API_VERSIONS)}",
    )


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.line, problem.column, problem.path))


def _meaning_problems(
    agreement: Agreement, positions: Positions, name: str, tolerated: frozenset[str]
) -> list[Problem]:
    problems = []
    for finding in check_agreement(agreement, tolerated_ids=tolerated):
        line, column = positions.of(finding.path)
        problems.append(
            Problem(
                name,
                line,
                column,
                format_path(finding.path),
                finding.message,
                finding.hint,
                finding.severity,
            )
        )
    return problems


def _child(node: Any, part: int | str) -> tuple[bool, Any]:
    """Whether ``part`` names a child of ``node`` that is present, and that child."""
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return True, node[part]
    return False, None


def _is_tag(node: Any, part: int | str) -> bool:
    """Whether ``part`` is pydantic's name for a union member rather than a document key."""
    if isinstance(node, dict) and part == node.get("kind"):
        return True
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def _data_path(loc: tuple[int | str, ...], data: Any) -> DocPath:
    """Translate a pydantic error location to a document path (dropping union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        present, child = _child(node, part)
        if present:
            path.append(part)
            node = child
        elif not _is_tag(node, part):
            path.append(part)
            break
    return tuple(path)


def _type_problems(
    errors: list[ErrorDetails], data: Any, positions: Positions, name: str
) -> list[Problem]:
    grouped: dict[DocPath, list[ErrorDetails]] = {}
    for error in errors:
        grouped.setdefault(_data_path(error["loc"], data), []).append(error)
    problems = []
    for path, path_errors in grouped.items():
        line, column = positions.of(path)
        message, hint = _describe(path_errors, path)
        problems.append(Problem(name, line, column, format_path(path), message, hint))
    return problems


def _describe(errors: list[ErrorDetails], path: DocPath) -> tuple[str, str]:
    field_name = str(path[-1]) if path else "document"
    first = errors[0]
    kind = first["type"]
    if kind == "missing":
        return f"missing required field {field_name!r}", "add it; see docs/language.md"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(field_name, _all_field_names(), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "remove it; see docs/language.md"
        return f"unknown field {field_name!r}", hint
    if kind == "union_tag_invalid":
        context = first.get("ctx") or {}
        return (
            f"unknown kind {context.get('tag')!r}",
            f"use one of {context.get('expected_tags')}",
        )
    if kind == "union_tag_not_found":
        return "missing 'kind'", "say which kind this is, e.g. kind: ratio"
    messages = []
    hints = []
    for error in errors:
        context = error.get("ctx") or {}
        messages.append(str(context.get("message", error["msg"])))
        if context.get("hint"):
            hints.append(str(context["hint"]))
    unique = list(dict.fromkeys(messages))
    message = unique[0] if len(unique) == 1 else "; or ".join(unique)
    return message, " / ".join(dict.fromkeys(hints))


@cache
def _all_field_names() -> tuple[str, ...]:
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for field_name, info in model.model_fields.items():
            names.add(info.alias or field_name)
            for candidate in _model_types(info.annotation):
                visit(candidate)

    visit(Agreement)
    return tuple(sorted(names))


def _model_types(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in getattr(annotation, "__args__", ()) or ():
        yield from _model_types(argument)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _model_types(origin)


_LIST_SECTIONS = (
    "parties",
    "journey",
    "calendars",
    "peak_periods",
    "sources",
    "indicators",
    "objectives",
    "exclusions",
    "responsibilities",
    "escalation",
    "commitments",
)


def _partial(
    data: Mapping[str, Any], errors: list[ErrorDetails]
) -> tuple[Agreement | None, frozenset[str]]:
    """The agreement without the parts that failed, so meaning checks can still run.

    Ids of removed list items are tolerated by reference checks: an objective naming an
    indicator that had a type error should not also be told the indicator is unknown.
    """
    trimmed = copy.deepcopy(dict(data))
    tolerated: set[str] = set()
    drop_items: dict[str, set[int]] = {}
    for error in errors:
        loc = error["loc"]
        section = loc[0] if loc else None
        if not isinstance(section, str) or section not in trimmed:
            continue
        if section in _LIST_SECTIONS and len(loc) > 1 and isinstance(loc[1], int):
            drop_items.setdefault(section, set()).add(loc[1])
        else:
            removed = trimmed.pop(section)
            tolerated |= _ids_within(removed)
    for section, indices in drop_items.items():
        items = trimmed.get(section)
        if not isinstance(items, list):
            continue
        for index in indices:
            if index < len(items):
                tolerated |= _ids_within(items[index])
        trimmed[section] = [item for i, item in enumerate(items) if i not in indices]
    try:
        return Agreement.model_validate(trimmed), frozenset(tolerated)
    except ValidationError:
        return None, frozenset(tolerated)


def _ids_within(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {str(node["id"])} if "id" in node else set()
        for value in node.values():
            found |= _ids_within(value)
        return found
    if isinstance(node, list):
        found = set()
        for item in node:
            found |= _ids_within(item)
        return found
    return set()
