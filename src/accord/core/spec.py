"""Pydantic field types for the agreement language: units, identifiers and expressions.

Each type validates the written form strictly, raises errors that carry a one-line hint,
serialises back to its normalised written form and describes itself in the JSON Schema.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from accord.core.expressions import ExpressionError, Predicate
from accord.core.units import (
    Duration,
    Money,
    Percentage,
    UnitError,
    format_decimal,
    parse_decimal,
)

__all__ = [
    "CalendarRef",
    "DurationField",
    "Identifier",
    "MeasureField",
    "MoneyField",
    "PercentageField",
    "PredicateField",
    "Spec",
    "problem",
]

T = TypeVar("T")


class Spec(BaseModel):
    """Base of every section: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def problem(
    kind: str, message: str, hint: str = "", at: tuple[str | int, ...] = ()
) -> PydanticCustomError:
    """A validation error whose message is shown as written, with a hint for the user.

    ``at`` points from the validated value to the part at fault (e.g. ``("dates", 1)``
    from a peak period), so the error is reported where the fix is to be made.
    """
    context: dict[str, object] = {"message": message, "hint": hint}
    if at:
        context["at"] = at
    return PydanticCustomError(kind, "{message}", context)


def _unit_validator(kind: str, parse: Callable[[str], T], example: str) -> Callable[[object], T]:
    def validate(value: object) -> T:
        if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
            raise problem(kind, f"expected a {kind} such as {example}, got {value!r}")
        number = value if isinstance(value, str) else Decimal(str(value))
        if isinstance(number, Decimal) and not number.is_finite():
            raise problem(kind, f"expected a {kind} such as {example}, got {value!r}")
        text = number if isinstance(number, str) else format_decimal(number)
        try:
            return parse(text)
        except UnitError as exc:
            raise problem(kind, exc.message, exc.hint) from None

    return validate


def _schema(pattern: str, description: str, example: str) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "pattern": pattern, "description": description, "examples": [example]}
    )


def _passthrough(kind: type[T], validate: Callable[[object], T]) -> Callable[[object], T]:
    def check(value: object) -> T:
        return value if isinstance(value, kind) else validate(value)

    return check


DurationField = Annotated[
    Duration,
    PlainValidator(
        _passthrough(
            Duration, _unit_validator("duration", Duration.parse, "'15m' or '5 business days'")
        )
    ),
    PlainSerializer(str, return_type=str),
    _schema(
        r"^\s*\d[\d_,]*(\.\d+)?\s*(business\s+)?[A-Za-z]+\s*$",
        "A duration: a number and a unit (ms, s, m, h, d, w, months, years); "
        "'business' counts only a calendar's working time.",
        "4 business hours",
    ),
]

PercentageField = Annotated[
    Percentage,
    PlainValidator(
        _passthrough(Percentage, _unit_validator("percentage", Percentage.parse, "'99.95%'"))
    ),
    PlainSerializer(str, return_type=str),
    _schema(r"^\s*\d+(\.\d+)?\s*%\s*$", "A percentage between 0% and 100%.", "99.95%"),
]

MoneyField = Annotated[
    Money,
    PlainValidator(_passthrough(Money, _unit_validator("money", Money.parse, "'20000 EUR'"))),
    PlainSerializer(lambda money: money.spec(), return_type=str),
    _schema(
        r"^\s*([A-Za-z]{3}\s*[\d,_.]+|[\d,_.]+\s*[A-Za-z]{3})\s*$",
        "An amount and an ISO 4217 currency code.",
        "20000 EUR",
    ),
]


def _parse_measure(text: str) -> Percentage | Duration | Decimal:
    stripped = text.strip()
    if stripped.endswith("%"):
        return Percentage.parse(stripped, allow_above_100=False)
    try:
        return Duration.parse(stripped)
    except UnitError as exc:
        # A number with a wrong unit ('5 parsecs') or a negative duration is a duration
        # mistyped; anything else may have been meant as a number or a percentage.
        if "has no unit" not in exc.message and "is not a duration" not in exc.message:
            raise
    try:
        return parse_decimal(stripped)
    except UnitError:
        raise UnitError(
            f"{text!r} is not a percentage, a duration or a number",
            "write e.g. '99.9%', '300ms', '4 business hours' or '4.2'",
        ) from None


def _show_measure(value: Percentage | Duration | Decimal) -> str:
    return format_decimal(value) if isinstance(value, Decimal) else str(value)


MeasureField = Annotated[
    Percentage | Duration | Decimal,
    PlainValidator(
        _passthrough(
            (Percentage, Duration, Decimal),
            _unit_validator("measure", _parse_measure, "'99.9%', '300ms' or '4.2'"),
        )
    ),
    PlainSerializer(_show_measure, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "number"}],
            "description": "A percentage ('99.9%'), a duration ('300ms', '4 business hours') "
            "or a plain number for scores ('4.2', '30').",
        }
    ),
]


def _predicate(value: object) -> Predicate:
    if isinstance(value, Predicate):
        return value
    if isinstance(value, bool):
        return Predicate.parse("true" if value else "false")
    if not isinstance(value, str):
        raise problem("expression", f'expected a condition such as "status < 500", got {value!r}')
    try:
        return Predicate.parse(value)
    except ExpressionError as exc:
        raise problem("expression", exc.message, exc.hint) from None


PredicateField = Annotated[
    Predicate,
    PlainValidator(_predicate),
    PlainSerializer(lambda predicate: predicate.text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A condition over the source's columns in SQL syntax, "
            "e.g. \"status < 500 and region <> 'test'\".",
        }
    ),
]

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$", max_length=64),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[a-z][a-z0-9]*([-_][a-z0-9]+)*$",
            "description": "A lower-case identifier: letters, digits, '-' and '_'.",
        }
    ),
]

CalendarRef = Annotated[
    str,
    StringConstraints(pattern=r"^(24x7|[a-z][a-z0-9]*([-_][a-z0-9]+)*)$", max_length=64),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(24x7|[a-z][a-z0-9]*([-_][a-z0-9]+)*)$",
            "description": "The identifier of a calendar, or '24x7' for the built-in calendar "
            "in which every minute counts.",
        }
    ),
]
