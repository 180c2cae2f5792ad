"""Pydantic's validation errors, said in the words of the agreement language.

Pydantic locates an error by its own path, which contains union tags (``percentile``) and
validator names, and words it for programmers ("Input should be a valid decimal"). Here
each error becomes a path inside the document, a one-line message that names the
offending value, and a hint that says how to fix it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from accord.core.model import Agreement
from accord.core.problems import DocPath

__all__ = ["TypeProblem", "document_path", "explain_errors"]


@dataclass(frozen=True)
class TypeProblem:
    """One problem found by the typed model, at a path inside the document."""

    path: DocPath
    message: str
    hint: str


Loc = tuple[int | str, ...]


def explain_errors(errors: Sequence[ErrorDetails], data: Any) -> list[TypeProblem]:
    """One problem per document path, merging a misspelt field with the field it misses."""
    located = [(document_path(error, data), error) for error in errors]
    missing = {path for path, error in located if error["type"] == "missing"}
    guessed: dict[DocPath, str] = {}
    # The fields written in each mapping with an unknown field, read once per mapping (not
    # once per unknown field: a document of many unknown fields is explained in linear time).
    present: dict[DocPath, frozenset[str]] = {}
    for path, error in located:
        if error["type"] == "extra_forbidden":
            if path[:-1] not in present:
                parent = _node_at(data, path[:-1])
                present[path[:-1]] = frozenset(parent) if isinstance(parent, dict) else frozenset()
            guessed[path] = _guess(path, tuple(error["loc"]), missing, present[path[:-1]])
    meant = {(*path[:-1], hint) for path, hint in guessed.items()}
    grouped: dict[DocPath, list[ErrorDetails]] = {}
    for path, error in located:
        if path not in missing or (*path[:-1], f"did you mean {path[-1]!r}?") not in meant:
            grouped.setdefault(path, []).append(error)
    problems = []
    for path, path_errors in grouped.items():
        if path in guessed:
            field_name = str(path[-1])
            problems.append(TypeProblem(path, f"unknown field {field_name!r}", guessed[path]))
            continue
        explained = [_explain(error, path) for error in path_errors]
        problems.append(TypeProblem(path, *_combine(explained)))
    return problems


def _guess(path: DocPath, loc: Loc, missing: set[DocPath], present: frozenset[str]) -> str:
    """The hint for an unknown field: the closest field not yet written, preferring required."""
    known = [name for name in _fields_at(loc[:-1]) if name not in present]
    absent = [name for name in known if (*path[:-1], name) in missing]
    typed = str(path[-1])
    close = difflib.get_close_matches(typed, absent, n=1) or difflib.get_close_matches(
        typed, list(known), n=1
    )
    if close:
        return f"did you mean {close[0]!r}?"
    if known:
        return f"remove it; other fields here: {', '.join(known)}"
    return "remove it"


def document_path(error: ErrorDetails, data: Any) -> DocPath:
    """Translate a pydantic error location to a path in the document (dropping union tags)."""
    loc: Loc = tuple(error["loc"])
    context = error.get("ctx") or {}
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if not last and _is_tag(loc[:index], part):
            continue  # pydantic names the member of a discriminated union (an indicator's kind)
        present, child = _child(node, part)
        if present:
            path.append(part)
            node = child
        elif last and error["type"] == "missing":
            path.append(part)
    if error["type"] == "union_tag_invalid":
        discriminator = str(context.get("discriminator", "")).strip("'")
        if isinstance(node, dict) and discriminator in node:
            path.append(discriminator)
    for part in context.get("at", ()):  # a model validator's pointer into its own fields
        path.append(part)
        node = _child(node, part)[1]
    return tuple(path)


def _node_at(data: Any, path: DocPath) -> Any:
    for part in path:
        data = _child(data, part)[1]
    return data


def _child(node: Any, part: int | str) -> tuple[bool, Any]:
    """Whether ``part`` names a child of ``node`` that is present, and that child."""
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return True, node[part]
    return False, None


def _explain(error: ErrorDetails, path: DocPath) -> tuple[str, str]:
    context = error.get("ctx") or {}
    loc: Loc = tuple(error["loc"])
    name = next((str(part) for part in reversed(path) if isinstance(part, str)), "value")
    info = _field_at(loc)
    described = f"{name}: {info.description}" if info is not None and info.description else ""
    if "message" in context:  # raised by the model with its own words (fields.problem)
        return str(context["message"]), str(context.get("hint") or described)
    handler = _HANDLERS.get(error["type"])
    if handler is not None:
        message, hint = handler(error, name, loc)
        return message, hint or described
    for prefix, expected in _EXPECTED.items():
        if error["type"].startswith(prefix):
            return _expected(expected, error), described
    text = error["msg"][:1].lower() + error["msg"][1:]
    return f"{name}: {text} (got {_show(error['input'])})", described


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _expected(what: str, error: ErrorDetails) -> str:
    detail = (error.get("ctx") or {}).get("error")
    suffix = f" ({detail})" if detail else ""
    return f"expected {what}, got {_show(error['input'])}{suffix}"


_EXPECTED = {
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "string_type": "text",
    "int_": "a whole number",
    "float_": "a number",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "finite_number": "a finite number",
    "bool_": "true or false",
    "date_": "a date such as 2026-01-01",
    "datetime_": "a date and time such as 2026-01-01T09:00:00Z",
}

_IDENTIFIER_HINT = (
    "use lower-case letters, digits, '-' and '_', starting with a letter, e.g. 'api-availability'"
)


def _missing(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    info = _field_at(loc)
    about = f" ({info.description})" if info is not None and info.description else ""
    return f"missing required field {name!r}", f"add '{name}: …'{about}"


def _literal(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    expected = str((error.get("ctx") or {}).get("expected", ""))
    options = re.findall(r"'([^']*)'", expected)
    value = error["input"]
    if len(options) == 1:
        return f"expected {expected}, got {_show(value)}", f"write {name}: {options[0]}"
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"use one of {expected}"
    return f"{_show(value)} is not one of {expected}", hint


def _tag_invalid(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    context = error.get("ctx") or {}
    discriminator = str(context.get("discriminator", "'kind'")).strip("'")
    tag = str(context.get("tag"))
    expected = str(context.get("expected_tags", ""))
    close = difflib.get_close_matches(tag, re.findall(r"'([^']*)'", expected), n=1, cutoff=0.6)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown {discriminator} {tag!r}", f"{guess}use one of {expected}"


def _tag_missing(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    context = error.get("ctx") or {}
    discriminator = str(context.get("discriminator", "'kind'")).strip("'")
    tags = [tag for kind in _types_at(loc) for tag in _union_tags(kind)]
    return (
        f"missing {discriminator!r}",
        f"say which {discriminator} this is: one of {', '.join(tags)}",
    )


def _pattern(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    pattern = str((error.get("ctx") or {}).get("pattern", ""))
    if "[a-z][a-z0-9]*([-_][a-z0-9]+)*" in pattern:
        return f"{_show(error['input'])} is not a valid identifier", _IDENTIFIER_HINT
    return f"{_show(error['input'])} is not a valid {name}", ""


def _bound(word: str, key: str) -> Callable[[ErrorDetails, str, Loc], tuple[str, str]]:
    def handle(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
        limit = (error.get("ctx") or {}).get(key)
        return f"{name} must be {word} {limit}, got {_show(error['input'])}", ""

    return handle


def _too_short(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    context = error.get("ctx") or {}
    least = context.get("min_length", 1)
    items = "item" if least == 1 else "items"
    return f"{name} needs at least {least} {items}, got {context.get('actual_length', 0)}", ""


def _string_short(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    return f"{name} must not be empty", ""


def _too_long(error: ErrorDetails, name: str, loc: Loc) -> tuple[str, str]:
    limit = (error.get("ctx") or {}).get("max_length")
    unit = "characters" if error["type"].startswith("string") else "items"
    return f"{name} is longer than {limit} {unit}", ""


_HANDLERS: dict[str, Callable[[ErrorDetails, str, Loc], tuple[str, str]]] = {
    "missing": _missing,
    "literal_error": _literal,
    "enum": _literal,
    "union_tag_invalid": _tag_invalid,
    "union_tag_not_found": _tag_missing,
    "string_pattern_mismatch": _pattern,
    "greater_than": _bound("more than", "gt"),
    "greater_than_equal": _bound("at least", "ge"),
    "less_than": _bound("less than", "lt"),
    "less_than_equal": _bound("at most", "le"),
    "too_short": _too_short,
    "string_too_short": _string_short,
    "too_long": _too_long,
    "string_too_long": _too_long,
}


def _combine(explained: list[tuple[str, str]]) -> tuple[str, str]:
    """One message for the errors of one path (a value that fits no member of a union)."""
    messages = list(dict.fromkeys(message for message, _ in explained))
    hints = "; or ".join(dict.fromkeys(hint for _, hint in explained if hint))
    if len(messages) == 1:
        return messages[0], hints
    split = [message.split(" is not ", 1) for message in messages]
    if all(len(parts) == 2 for parts in split) and len({parts[0] for parts in split}) == 1:
        return f"{split[0][0]} is not {' or '.join(parts[1] for parts in split)}", hints
    matches = [re.fullmatch(r"expected (.*), got (.*)", message) for message in messages]
    if all(matches) and len({match[2] for match in matches if match}) == 1:
        wanted = " or ".join(match[1] for match in matches if match)
        return f"expected {wanted}, got {matches[0][2] if matches[0] else ''}", hints
    return "; or ".join(messages), hints


# --- the model's own shape, to name fields and describe them ---------------------------


def _members(annotation: Any) -> Iterator[Any]:
    """The concrete types an annotation stands for (through Annotated and unions)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _members(get_args(annotation)[0])
    elif origin is Union or origin is UnionType:
        for argument in get_args(annotation):
            yield from _members(argument)
    else:
        yield annotation


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


@cache
def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _union_tags(annotation: Any) -> list[str]:
    return [tag for member in _members(annotation) if (tag := _tag(member)) is not None]


def _tag(kind: Any) -> str | None:
    if not _is_model(kind):
        return None
    info = _fields(kind).get("kind")
    if info is None or get_origin(info.annotation) is not Literal:
        return None
    return str(get_args(info.annotation)[0])


def _is_tag(loc: Loc, part: int | str) -> bool:
    """Whether ``part`` after ``loc`` is the tag of a discriminated union, not a field."""
    return any(
        part in tags for annotation in _types_at(loc) if len(tags := _union_tags(annotation)) > 1
    )


def _step(annotation: Any, part: int | str) -> Iterator[Any]:
    for member in _members(annotation):
        if _is_model(member):
            info = _fields(member).get(part) if isinstance(part, str) else None
            if info is not None:
                yield info.annotation
            if _tag(member) == part:
                yield member
        elif get_origin(member) is list and isinstance(part, int):
            yield get_args(member)[0]
        elif get_origin(member) is dict and isinstance(part, str):
            yield get_args(member)[1]


def _types_at(loc: Loc) -> list[Any]:
    current: list[Any] = [Agreement]
    for part in loc:
        stepped = [kind for annotation in current for kind in _step(annotation, part)]
        current = stepped or current  # validator names such as 'function-plain[…]' pass through
    return current


def _fields_at(loc: Loc) -> list[str]:
    names: dict[str, None] = {}
    for annotation in _types_at(loc):
        for member in _members(annotation):
            if _is_model(member):
                names.update(dict.fromkeys(_fields(member)))
    return list(names)


def _field_at(loc: Loc) -> FieldInfo | None:
    """The field an error location ends in (or, past list items and tags, lies within)."""
    for end in range(len(loc), 0, -1):
        part = loc[end - 1]
        if not isinstance(part, str):
            continue
        for annotation in _types_at(loc[: end - 1]):
            for member in _members(annotation):
                if _is_model(member) and part in _fields(member):
                    return _fields(member)[part]
    return None
