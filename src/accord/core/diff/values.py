"""Values of the agreement model as a diff sees them: comparable, written and shown."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any, Final

from pydantic import BaseModel, JsonValue

from accord.core.calendars.spec import DateRange
from accord.core.expressions import Predicate
from accord.core.units import Duration, DurationUnit, Money, Percentage, format_decimal

__all__ = ["amount", "is_quantity", "magnitudes", "quote", "same", "shown", "token", "written"]

#: Review and report cadences in months, so that more frequent compares as smaller.
_CADENCE_MONTHS: Final = {
    "weekly": Decimal("0.25"),
    "monthly": Decimal(1),
    "quarterly": Decimal(3),
    "half_yearly": Decimal(6),
    "yearly": Decimal(12),
}


def same(old: object, new: object) -> bool:
    """Equal in meaning: ``60m`` is ``1h``; ``status<500`` is ``status < 500``."""
    if isinstance(old, Predicate) and isinstance(new, Predicate):
        return old.sql() == new.sql()
    return type(old) is type(new) and old == new


def amount(value: object) -> Decimal | None:
    """A number that orders values of one kind (months count as 30 days), or None."""
    if isinstance(value, Percentage):
        return value.ratio
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, Duration):
        return value.comparable_key[2]
    if isinstance(value, str):
        return _CADENCE_MONTHS.get(value)
    return None


def magnitudes(old: object, new: object) -> tuple[Decimal, Decimal] | None:
    """Both values as comparable numbers, when they are of one comparable kind."""
    if isinstance(old, Money) and isinstance(new, Money):
        return (old.amount, new.amount) if old.currency == new.currency else None
    if isinstance(old, Duration) and isinstance(new, Duration) and not _comparable(old, new):
        return None
    before, after = amount(old), amount(new)
    if before is None or after is None or type(old) is not type(new):
        return None
    return before, after


def _comparable(old: Duration, new: Duration) -> bool:
    """Business days against business hours depend on the calendar: not comparable."""
    if old.business != new.business:
        return False
    return not old.business or (old.unit is DurationUnit.DAY) == (new.unit is DurationUnit.DAY)


def is_quantity(value: object) -> bool:
    """Whether a value is an amount of something, so that it is 'raised' or 'lowered'."""
    kinds = (Duration, Percentage, Money, Decimal, int)
    return isinstance(value, kinds) and not isinstance(value, bool)


def quote(text: str) -> str:
    return f"'{text}'"


_LONGEST_SHOWN: Final = 80


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _LONGEST_SHOWN else flat[: _LONGEST_SHOWN - 1] + "…"


def _show_list(values: list[Any]) -> str:
    return ", ".join(shown(value) for value in values) if values else "none"


#: How values appear in a sentence; the first matching type wins, then ``str``.
_SHOWN: Final[tuple[tuple[type[Any], Callable[[Any], str]], ...]] = (
    (bool, lambda value: "yes" if value else "no"),
    (Enum, lambda value: str(value.value)),
    (str, lambda value: quote(_clip(value))),
    (Predicate, lambda value: quote(value.text)),
    (DateRange, lambda value: f"{value.start} to {value.end}"),
    (Decimal, format_decimal),
    (list, _show_list),
)

#: Values in their normalised written form, as an agreement file holds them.
_WRITTEN: Final[tuple[tuple[type[Any], Callable[[Any], str]], ...]] = (
    (Enum, lambda value: str(value.value)),
    (Money, Money.spec),
    (Decimal, format_decimal),
    (Predicate, lambda value: value.text),
    (dt.date, dt.date.isoformat),
)


def shown(value: object) -> str:
    """A value for a sentence: units normalised, money rounded, text quoted."""
    if value is None:
        return "none"
    return next((show(value) for kind, show in _SHOWN if isinstance(value, kind)), str(value))


def written(value: object) -> JsonValue:
    """A value in its normalised written form: what ``Agreement.dump`` would write."""
    if isinstance(value, BaseModel):
        data: JsonValue = value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        return data
    if isinstance(value, list):
        return [written(item) for item in value]
    if isinstance(value, dict):
        return {str(key): written(item) for key, item in value.items()}
    if value is None or (isinstance(value, (bool, int, str)) and not isinstance(value, Enum)):
        return value
    return next((write(value) for kind, write in _WRITTEN if isinstance(value, kind)), str(value))


def token(value: object) -> str:
    """A value's written form as one string, to compare lists of values as sets."""
    return json.dumps(written(value), sort_keys=True, ensure_ascii=False)
