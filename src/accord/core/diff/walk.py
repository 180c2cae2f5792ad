"""Walking two versions of an agreement side by side and recording where they differ.

The walk is generic over the typed model: every field of every section is compared, so a
field added to the language later is diffed without a line changed here. Items of a list are
matched by their ``id`` or a natural key, never by position, so a reordering is no change;
a list of plain values (a scope, languages) is compared as a set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from pydantic import BaseModel

from accord.core.calendars.spec import DateRange
from accord.core.diff.changes import ChangeKind
from accord.core.diff.values import amount, quote, same, token

__all__ = ["NOUNS", "Key", "Part", "Site", "Walk", "field_of"]


@dataclass(frozen=True)
class Key:
    """An item of a list or mapping, found by its key rather than its position."""

    key: str
    name: str  # how the item is called, quoted: 'Fast authorisations'
    noun: str  # the item in a sentence: objective 'Fast authorisations'
    field: str  # the list or mapping it is in
    in_mapping: bool = False


Part = str | Key


@dataclass(frozen=True)
class Site:
    """Where the two versions differ, with the typed values on each side (None: absent)."""

    parts: tuple[Part, ...]
    kind: ChangeKind
    old: object
    new: object

    @property
    def path(self) -> str:
        """``objectives[api-availability].target``, ``metadata.labels.risk_tier``."""
        return _join(self.parts, lambda key: key.key)

    @property
    def pattern(self) -> str:
        """The path with every key replaced by ``*``: ``objectives[*].target``."""
        return _join(self.parts, lambda key: "*")

    @property
    def keys(self) -> tuple[Key, ...]:
        return tuple(part for part in self.parts if isinstance(part, Key))


def _join(parts: Sequence[Part], show: Callable[[Key], str]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, Key):
            text += f".{show(part)}" if part.in_mapping else f"[{show(part)}]"
        else:
            text += f".{part}" if text else part
    return text


def field_of(parts: Sequence[Part]) -> str:
    """The innermost field name on a path."""
    return next((part for part in reversed(parts) if isinstance(part, str)), "")


#: Key of list items without an ``id``, by the field holding the list: the first attribute,
#: or all of them for items whose first repeats (two phone lines: 'phone +44 …', 'phone +49 …').
_NATURAL_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "responsibilities": ("element",),
    "levels": ("level",),
    "reports": ("name",),
    "retention": ("data",),
    "steps": ("name",),
    "channels": ("channel", "address"),
    "contacts": ("name",),
}

#: Lists whose order is part of their meaning: a reordering is reported.
_ORDERED: Final = frozenset({"steps"})

#: How an item of a list or mapping is called in a sentence, by the field holding it.
NOUNS: Final = {
    "parties": "party {name}",
    "contacts": "contact {name}",
    "journey": "journey stage {name}",
    "calendars": "calendar {name}",
    "hours": "working hours on {key}",
    "peak_periods": "peak period {name}",
    "sources": "source {name}",
    "columns": "column {name}",
    "indicators": "indicator {name}",
    "objectives": "objective {name}",
    "exclusions": "exclusion {name}",
    "credits": "credit scheme {name}",
    "tiers": "credit tier {key}",
    "chronic": "chronic-failure clause {name}",
    "responsibilities": "responsibility {name}",
    "escalation": "escalation ladder {name}",
    "levels": "level {key}",
    "severities": "severity {name}",
    "reports": "report {name}",
    "retention": "retention of {name}",
    "steps": "dispute step {name}",
    "channels": "support channel {name}",
    "commitments": "commitment {name}",
    "labels": "label {name}",
}


class Walk:
    """Compares two values of the model recursively and records every difference."""

    def __init__(self) -> None:
        self.sites: list[Site] = []

    def compare(self, old: object, new: object, parts: tuple[Part, ...] = ()) -> None:
        if same(old, new):
            return
        if old is None or new is None:
            self._record(parts, ChangeKind.ADDED if old is None else ChangeKind.REMOVED, old, new)
        elif isinstance(old, BaseModel) and type(old) is type(new):
            for name, info in type(old).model_fields.items():
                self.compare(getattr(old, name), getattr(new, name), (*parts, info.alias or name))
        elif isinstance(old, list) and isinstance(new, list):
            self._lists(old, new, parts)
        elif isinstance(old, dict) and isinstance(new, dict):
            self._items(old, new, parts, in_mapping=True)
        else:
            self._record(parts, ChangeKind.CHANGED, old, new)

    def _record(self, parts: tuple[Part, ...], kind: ChangeKind, old: object, new: object) -> None:
        self.sites.append(Site(parts, kind, old, new))

    def _lists(self, old: list[Any], new: list[Any], parts: tuple[Part, ...]) -> None:
        if not any(_is_item(value) for value in (*old, *new)):
            if {token(value) for value in old} != {token(value) for value in new}:
                self._record(parts, ChangeKind.CHANGED, old, new)
            return
        field = field_of(parts)
        before, after = _index(old, field), _index(new, field)
        self._items(before, after, parts, in_mapping=False)
        if field in _ORDERED:
            kept_before = [key for key in before if key in after]
            kept_after = [key for key in after if key in before]
            if kept_before != kept_after:
                self._record(parts, ChangeKind.CHANGED, kept_before, kept_after)

    def _items(
        self,
        before: Mapping[Any, Any],
        after: Mapping[Any, Any],
        parts: tuple[Part, ...],
        *,
        in_mapping: bool,
    ) -> None:
        field = field_of(parts)
        for key, item in before.items():
            if key not in after:
                part = _key(field, str(key), item, in_mapping=in_mapping)
                self._record((*parts, part), ChangeKind.REMOVED, item, None)
        for key, item in after.items():
            part = _key(field, str(key), item, in_mapping=in_mapping)
            if key in before:
                self.compare(before[key], item, (*parts, part))
            else:
                self._record((*parts, part), ChangeKind.ADDED, None, item)


def _is_item(value: object) -> bool:
    """Whether a list element is matched by key (a section) rather than by value."""
    return isinstance(value, BaseModel) and not isinstance(value, DateRange)


def _index(items: Sequence[Any], field: str) -> dict[str, Any]:
    """List items by key; a repeated key gets '#2', '#3' so that nothing is lost."""
    if field == "tiers":
        return {str(rank): tier for rank, tier in enumerate(_by_severity(items), start=1)}
    short = [_item_key(item, field, whole=False) for item in items]
    keys = [
        _item_key(item, field, whole=True) if short.count(key) > 1 else key
        for key, item in zip(short, items, strict=True)
    ]
    indexed: dict[str, Any] = {}
    for key, item in zip(keys, items, strict=True):
        unique, count = key, 1
        while unique in indexed:
            count += 1
            unique = f"{key}#{count}"
        indexed[unique] = item
    return indexed


def _item_key(item: Any, field: str, *, whole: bool) -> str:
    """The item's id, else its natural key (``whole``: every attribute of it), else its value."""
    if "id" in type(item).model_fields:
        return str(item.id)
    attributes = _NATURAL_KEYS.get(field)
    if attributes is None:
        return token(item)
    chosen = attributes if whole else attributes[:1]
    return " ".join(str(getattr(item, attribute)) for attribute in chosen)


def _by_severity(tiers: Sequence[Any]) -> list[Any]:
    """Credit tiers from the mildest failure to the worst, whatever order they are written in.

    Tier N of one version is compared with tier N of the other.
    """

    def severity(tier: Any) -> tuple[bool, Decimal]:
        threshold = amount(tier.threshold) or Decimal(0)
        return (tier.below is None, -threshold if tier.below is not None else threshold)

    return sorted(tiers, key=severity)


def _key(field: str, key: str, item: object, *, in_mapping: bool) -> Key:
    called = getattr(item, "name", None)
    name = quote(called if isinstance(called, str) and called else key)
    template = NOUNS.get(field, field.replace("_", " ") + " entry {name}")
    noun = template.format(name=name, key=key)
    return Key(key=key, name=name, noun=noun, field=field, in_mapping=in_mapping)
