"""The reference of the agreement language (``docs/language.md``), generated from the model.

A hand-written introduction explains what the model cannot say about itself: how units,
conditions and windows are written, what the tolerance band means and how each indicator
kind is computed. The reference that follows walks the pydantic models of
``accord.core.model`` from ``Agreement`` down, so every section and field appears with its
type, whether it is required, its default and its description. A test keeps
``docs/language.md`` equal to this output, so the document cannot drift from the model.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from accord.core import spec as fields
from accord.core.calendars import spec as calendars
from accord.core.model import Agreement, objectives
from accord.core.units import CURRENCY_MINOR_UNITS, format_decimal

__all__ = ["ModelSection", "field_name", "language_reference", "model_sections", "type_words"]

#: The hand-written introduction, next to this module.
_INTRODUCTION: Final = "language_intro.md"

#: Named field types of the language and the word the reference uses for each.
_NAMED_TYPES: Final[tuple[tuple[Any, str], ...]] = (
    (fields.DurationField, "duration"),
    (fields.PercentageField, "percentage"),
    (fields.MoneyField, "money"),
    (fields.MeasureField, "measure"),
    (fields.PredicateField, "condition"),
    (fields.Identifier, "identifier"),
    (fields.CalendarRef, "calendar reference"),
    (calendars.TimeZoneField, "time zone"),
    (calendars.TimeRangeField, "time range"),
    (calendars.WorkingHours, "working hours"),
    (objectives.WindowField, "window"),
)

_PLAIN_TYPES: Final[dict[Any, str]] = {
    str: "text",
    int: "integer",
    bool: "true or false",
    Decimal: "number",
    dt.date: "date",
    dt.datetime: "date or date-time",
}


@dataclass(frozen=True)
class ModelSection:
    """One model of the language and where it is written in a document."""

    model: type[BaseModel]
    path: str
    kind: str | None = None

    @property
    def title(self) -> str:
        return self.model.__name__


def field_name(name: str, info: FieldInfo) -> str:
    """The name a field is written with in YAML (its alias, if it has one)."""
    return info.alias or name


def model_sections() -> list[ModelSection]:
    """Every model reachable from ``Agreement``, parents before children, each once."""
    sections: list[ModelSection] = []
    seen: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel], path: str, kind: str | None) -> None:
        if model in seen:
            return
        seen.add(model)
        sections.append(ModelSection(model, path, kind))
        for name, info in model.model_fields.items():
            written = field_name(name, info)
            child_path = f"{path}.{written}" if path else written
            models = list(_models_within(info.annotation, ""))
            for child, suffix in models:
                child_kind = _kind_of(child) if len(models) > 1 else None
                visit(child, child_path + suffix, child_kind)

    visit(Agreement, "", None)
    return sections


def _models_within(annotation: Any, suffix: str) -> Iterator[tuple[type[BaseModel], str]]:
    """Models named by an annotation, with the path suffix that reaches them (``[]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, suffix
        return
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is list:
        yield from _models_within(arguments[0], suffix + "[]")
    elif origin is dict:
        yield from _models_within(arguments[1], suffix + ".<name>")
    elif origin is Annotated:
        yield from _models_within(arguments[0], suffix)
    else:
        for argument in arguments:
            yield from _models_within(argument, suffix)


def _kind_of(model: type[BaseModel]) -> str | None:
    """The value of a model's ``kind`` when it is one member of a union chosen by kind."""
    kind = model.model_fields.get("kind")
    if kind is None or typing.get_origin(kind.annotation) is not Literal:
        return None
    values = typing.get_args(kind.annotation)
    return str(values[0]) if len(values) == 1 else None


def _named(metadata: Sequence[Any]) -> str | None:
    ids = {id(item) for item in metadata}
    for alias, word in _NAMED_TYPES:
        if any(id(item) in ids for item in typing.get_args(alias)[1:]):
            return word
    return None


def type_words(annotation: Any, metadata: Sequence[Any] = ()) -> str:
    """A field type in words: 'duration', 'list of [Party](#party)', 'one of `a`, `b`'."""
    named = _named(metadata)
    if named is not None:
        return named
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is Annotated:
        return type_words(arguments[0], arguments[1:])
    if origin is None:
        return _simple_type(annotation)
    words = _GENERIC_WORDS.get(origin)
    if words is None:
        raise TypeError(f"the language reference has no words for {annotation!r}")
    return words(arguments)


def _list_words(arguments: Sequence[Any]) -> str:
    inner = type_words(arguments[0])
    return f"list, each {inner}" if inner.startswith("one of") else f"list of {inner}"


def _mapping_words(arguments: Sequence[Any]) -> str:
    return f"mapping of names to {type_words(arguments[1])}"


def _optional_words(arguments: Sequence[Any]) -> str:
    return _union_words([argument for argument in arguments if argument is not type(None)])


def _union_words(members: Sequence[Any]) -> str:
    kinds = [_kind_of(member) if _is_model(member) else None for member in members]
    if len(members) > 1 and all(kinds):
        links = (
            f"[`{kind}`](#{member.__name__.lower()})"
            for kind, member in zip(kinds, members, strict=True)
        )
        return "one of the kinds " + ", ".join(links)
    return " or ".join(dict.fromkeys(type_words(member) for member in members))


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _simple_type(annotation: Any) -> str:
    if _is_model(annotation):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _choices([member.value for member in annotation])
    if annotation in _PLAIN_TYPES:
        return _PLAIN_TYPES[annotation]
    raise TypeError(f"the language reference has no words for {annotation!r}")


def _choices(values: Sequence[object]) -> str:
    shown = ", ".join(f"`{value}`" for value in values)
    return shown if len(values) == 1 else f"one of {shown}"


_GENERIC_WORDS: Final[dict[Any, Callable[[Sequence[Any]], str]]] = {
    list: _list_words,
    dict: _mapping_words,
    Literal: _choices,
    typing.Union: _optional_words,
    types.UnionType: _optional_words,
}


def _field_type(info: FieldInfo) -> str:
    return type_words(info.annotation, info.metadata)


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "—"
    return _show(info.get_default(call_default_factory=True, validated_data={}))


def _show(value: object) -> str:
    if value is None:
        return "absent"
    for kind, show in _SHOW_DEFAULT:
        if isinstance(value, kind):
            return show(value)
    return f"`{value}`"


_SHOW_DEFAULT: Final[tuple[tuple[type[Any], Callable[[Any], str]], ...]] = (
    (bool, lambda value: f"`{str(value).lower()}`"),
    (enum.Enum, lambda value: f"`{value.value}`"),
    (Decimal, lambda value: f"`{format_decimal(value)}`"),
    (BaseModel, lambda value: "all its fields at their defaults"),
    (list, lambda value: f"`[{', '.join(str(item) for item in value)}]`"),
    (dict, lambda value: "`{}`"),
)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _meaning(info: FieldInfo) -> str:
    description = info.description or ""
    if typing.get_origin(info.annotation) is Literal and typing.get_args(info.annotation) == (
        description,
    ):
        return "Says which kind this is."
    return description


def _section(section: ModelSection) -> str:
    model = section.model
    docstring = " ".join((model.__dict__.get("__doc__") or "").split())
    where = f"`{section.path}`" if section.path else "the document root"
    if section.kind is not None:
        where += f" with `kind: {section.kind}`"
    lines = [
        f"### {section.title}",
        "",
        docstring,
        "",
        f"Written at: {where}",
        "",
        "| field | type | required | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, info in model.model_fields.items():
        required = "yes" if info.is_required() else "no"
        cells = (
            f"`{field_name(name, info)}`",
            _field_type(info),
            required,
            _default(info),
            _meaning(info),
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines)


def _contents(sections: Sequence[ModelSection]) -> str:
    lines = []
    for section in sections:
        where = f"`{section.path}`" if section.path else "the document root"
        if section.kind is not None:
            where += f" (`kind: {section.kind}`)"
        lines.append(f"- [{section.title}](#{section.title.lower()}) — {where}")
    return "\n".join(lines)


def _introduction() -> str:
    """The hand-written introduction (language_intro.md), with the known currencies filled in."""
    text = resources.files("accord.reports").joinpath(_INTRODUCTION).read_text(encoding="utf-8")
    return text.replace("{currencies}", ", ".join(sorted(CURRENCY_MINOR_UNITS))).strip()


def language_reference() -> str:
    """The whole reference as Markdown, ending with one newline."""
    sections = model_sections()
    parts = [
        _introduction(),
        "## Reference",
        "Every section of the language, from the root down. *Written at* is the path of the "
        "section inside a document: `[]` marks an item of a list, `.<name>` an entry of a "
        "mapping.",
        _contents(sections),
        *(_section(section) for section in sections),
    ]
    return "\n\n".join(parts) + "\n"
