"""Reading agreement text: YAML with positions, typed validation, then meaning checks.

``load_agreement`` never raises for bad input: it returns every problem it found, each
placed at a line and column of the text and a path inside the document. When parts of
the document fail the typed model, the meaning checks still run on the rest, so one run
reports a type error in one section together with a broken reference in another.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from accord.core.model import API_VERSION, Agreement
from accord.core.model_errors import document_path, explain_errors
from accord.core.problems import DocPath, Problem, format_path
from accord.core.validation import check_agreement
from accord.core.yaml_text import Positions, parse_yaml

__all__ = ["Loaded", "Positions", "load_agreement", "parse_yaml"]

KNOWN_API_VERSIONS = (API_VERSION,)


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


def load_agreement(text: str, name: str = "<agreement>") -> Loaded:
    """Parse, validate and check an agreement; collect all problems instead of stopping."""
    data, positions, problems = parse_yaml(text, name)
    if data is None and problems:
        return Loaded(name, None, problems)
    if not isinstance(data, dict):
        shown = "empty" if data is None else f"a {'list' if isinstance(data, list) else 'value'}"
        message = f"an agreement is a YAML mapping of sections, but this document is {shown}"
        return Loaded(
            name, None, [*problems, Problem(name, 1, 1, "(document)", message, _START_HINT)]
        )
    version_problem = _check_api_version(data, positions, name)
    if version_problem and "apiVersion" in data:  # another version: its rules may differ
        return Loaded(name, None, [*problems, version_problem], data)
    if version_problem:  # missing: report it, and check the rest as the current version
        problems.append(version_problem)
    document = {**data, "apiVersion": API_VERSION}
    try:
        agreement = Agreement.model_validate(document)
    except ValidationError as exc:
        problems += _type_problems(exc, document, positions, name)
        partial = _Partial(document)
        checked = partial.validate(exc)
        if checked is not None:
            problems += _meaning_problems(checked, positions, name, partial)
        return Loaded(name, None, _sorted(problems), data)
    problems += _meaning_problems(agreement, positions, name, None)
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


def _type_problems(
    exc: ValidationError, data: Any, positions: Positions, name: str
) -> list[Problem]:
    return [
        Problem(name, *positions.of(found.path), format_path(found.path), found.message, found.hint)
        for found in explain_errors(exc.errors(), data)
    ]


def _meaning_problems(
    agreement: Agreement, positions: Positions, name: str, partial: _Partial | None
) -> list[Problem]:
    tolerated = partial.tolerated() if partial else frozenset()
    kinds = partial.tolerated_kinds() if partial else frozenset()
    original: Callable[[DocPath], DocPath] = partial.original if partial else (lambda path: path)
    problems = []
    for finding in check_agreement(agreement, tolerated_ids=tolerated, tolerated_kinds=kinds):
        path = original(finding.path)
        line, column = positions.of(path)
        problems.append(
            Problem(
                name,
                line,
                column,
                format_path(path),
                finding.message,
                finding.hint,
                finding.severity,
            )
        )
    return problems


# --- the agreement without its broken parts ---------------------------------------------

#: Stand-ins for required sections that failed, so that the rest can still be checked.
_PLACEHOLDERS: dict[str, Any] = {
    "kind": "Agreement",
    "timezone": "UTC",
    "metadata": {"id": "placeholder", "title": "placeholder", "version": "0"},
    "term": {
        "effective": "2000-01-01",
        "duration": "1 year",
        "renewal": {"mode": "manual", "notice": "0 days"},
        "termination_notice": "0 days",
    },
}
_REQUIRED_LISTS = ("parties",)
#: What a section defines, for sections whose failure leaves references to it unjudgeable.
_SECTION_KINDS = {
    "parties": "party",
    "journey": "journey stage",
    "calendars": "calendar",
    "peak_periods": "peak period",
    "sources": "source",
    "indicators": "indicator",
    "objectives": "objective",
    "exclusions": "exclusion",
    "escalation": "escalation ladder",
    "incidents": "severity",
}
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$")


@dataclass
class _Partial:
    """The document minus the items that failed the typed model, in its own coordinates.

    Broken list items are removed (their ids are then tolerated by reference checks, so
    an objective naming a broken indicator is not also told the indicator is unknown);
    broken optional sections are dropped and broken required ones replaced by stand-ins.
    Paths of findings on the remainder are translated back to the original document.
    """

    data: dict[str, Any]
    removed: set[DocPath] = field(default_factory=set)
    replaced: set[str] = field(default_factory=set)

    def validate(self, exc: ValidationError, rounds: int = 8) -> Agreement | None:
        errors = exc.errors()
        for _ in range(rounds):
            trimmed = self.trimmed()
            progress = False
            for error in errors:
                path = self.original(document_path(error, trimmed))
                progress = self._cut(path) or progress
            if not progress:
                return None
            try:
                return Agreement.model_validate(self.trimmed())
            except ValidationError as again:
                errors = again.errors()
        return None

    def _cut(self, path: DocPath) -> bool:
        """Remove the innermost list item holding ``path``, or its whole section."""
        if not path:
            return False
        items = [index for index, part in enumerate(path) if isinstance(part, int)]
        section = str(path[0])
        if items:
            target = path[: items[-1] + 1]
            if section in _REQUIRED_LISTS and len(items) == 1 and section not in self.replaced:
                self.replaced.add(section)
        elif section in _PLACEHOLDERS or section in _REQUIRED_LISTS:
            if section in self.replaced:
                return False
            self.replaced.add(section)
            return True
        else:
            target = (section,)
        if target in self.removed:
            return False
        self.removed.add(target)
        return True

    def trimmed(self) -> dict[str, Any]:
        result = _without(self.data, (), self.removed)
        assert isinstance(result, dict)
        for section in self.replaced:
            if section in _REQUIRED_LISTS:
                result[section] = self._padded_parties(result.get(section))
            else:
                result[section] = copy.deepcopy(_PLACEHOLDERS[section])
        return result

    def _padded_parties(self, survivors: Any) -> list[Any]:
        """Surviving parties plus stand-ins for a missing consumer or provider."""
        listed = survivors if isinstance(survivors, list) else []
        kept = [party for party in listed if isinstance(party, dict)]
        roles = {party.get("role") for party in kept}
        taken = {party.get("id") for party in kept}
        # Stand-ins take the ids of the broken parties, so hints name the user's own parties.
        spare = sorted(
            party_id
            for party_id in _ids_within(self.data.get("parties"))
            if party_id not in taken and _IDENTIFIER.match(party_id)
        )
        pads = []
        for role in ("consumer", "provider"):
            if role not in roles:
                pad_id = spare.pop(0) if spare else f"placeholder-{role}"
                pads.append({"id": pad_id, "name": "placeholder", "role": role})
        return kept + pads

    def original(self, path: DocPath) -> DocPath:
        """Translate a path in the trimmed document to the same place in the original."""
        result: list[str | int] = []
        node: Any = self.data
        for part in path:
            step = part
            if isinstance(part, int) and isinstance(node, list):
                kept = [i for i in range(len(node)) if (*result, i) not in self.removed]
                if part >= len(kept):
                    break
                step = kept[part]
            result.append(step)
            node = _child(node, step)
        return tuple(result)

    def tolerated_kinds(self) -> frozenset[str]:
        """Kinds of definitions lost wholesale: a section dropped, or not even a list."""
        sections = {str(path[0]) for path in self.removed if len(path) == 1}
        sections |= {name for name in self.replaced if not isinstance(self.data.get(name), list)}
        return frozenset(_SECTION_KINDS[name] for name in sections if name in _SECTION_KINDS)

    def tolerated(self) -> frozenset[str]:
        ids: set[str] = set()
        for path in self.removed:
            ids |= _ids_within(_at(self.data, path))
        for section in self.replaced:
            ids |= _ids_within(self.data.get(section))
        # An id rejected for its case ('Uptime') is still what 'uptime' refers to.
        return frozenset(ids | {found.lower() for found in ids})


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    if isinstance(node, dict) and isinstance(part, str):
        return node.get(part)
    return None


def _at(node: Any, path: DocPath) -> Any:
    for part in path:
        node = _child(node, part)
    return node


def _without(node: Any, path: DocPath, removed: set[DocPath]) -> Any:
    """A copy of ``node`` without the removed paths below it."""
    if isinstance(node, dict):
        return {
            key: _without(value, (*path, key), removed)
            for key, value in node.items()
            if (*path, key) not in removed
        }
    if isinstance(node, list):
        return [
            _without(value, (*path, index), removed)
            for index, value in enumerate(node)
            if (*path, index) not in removed
        ]
    return node


def _ids_within(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {str(node["id"])} if isinstance(node.get("id"), str) else set()
        for value in node.values():
            found |= _ids_within(value)
        return found
    if isinstance(node, list):
        found = set()
        for item in node:
            found |= _ids_within(item)
        return found
    return set()
