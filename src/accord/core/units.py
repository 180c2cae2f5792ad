"""Units of the agreement language: durations, percentages and money.

Each unit is parsed strictly from its written form (``15m``, ``5 business days``,
``99.95%``, ``20000 EUR``) and shown back in one normalised form, so that
``parse(show(x)) == x`` and two spellings of the same value compare equal.
Ratios live in [0, 1] as ``Decimal``; percentages exist only on display.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

__all__ = [
    "CURRENCY_MINOR_UNITS",
    "Duration",
    "DurationUnit",
    "Money",
    "Percentage",
    "UnitError",
    "add_duration",
    "format_decimal",
    "parse_decimal",
]


class UnitError(ValueError):
    """A value written with a missing, unknown or malformed unit."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


_NUMBER = r"[+-]?(?:\d[\d_,]*(?:\.\d+)?|\.\d+)"


def parse_decimal(text: str) -> Decimal:
    """Parse a decimal number written with optional thousands separators (``20,000.50``)."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned or not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise UnitError(f"{text!r} is not a number")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only numbers
        raise UnitError(f"{text!r} is not a number") from exc


def format_decimal(value: Decimal) -> str:
    """Show a decimal without exponent and without trailing zeros (``1.50`` → ``1.5``)."""
    if value == value.to_integral_value():
        # Not quantize(): it raises for integers longer than the context's 28 digits.
        return format(value.to_integral_value(), "f")
    return format(value.normalize(), "f")


class DurationUnit(StrEnum):
    """The units a duration may be written in, smallest first."""

    MILLISECOND = "millisecond"
    SECOND = "second"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


_UNIT_SPELLINGS: Final[dict[str, DurationUnit]] = {
    **dict.fromkeys(("ms", "msec", "millisecond", "milliseconds"), DurationUnit.MILLISECOND),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), DurationUnit.SECOND),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), DurationUnit.MINUTE),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), DurationUnit.HOUR),
    **dict.fromkeys(("d", "day", "days"), DurationUnit.DAY),
    **dict.fromkeys(("w", "wk", "week", "weeks"), DurationUnit.WEEK),
    **dict.fromkeys(("mo", "month", "months"), DurationUnit.MONTH),
    **dict.fromkeys(("y", "yr", "year", "years"), DurationUnit.YEAR),
}

_FIXED_SECONDS: Final[dict[DurationUnit, Decimal]] = {
    DurationUnit.MILLISECOND: Decimal("0.001"),
    DurationUnit.SECOND: Decimal(1),
    DurationUnit.MINUTE: Decimal(60),
    DurationUnit.HOUR: Decimal(3600),
    DurationUnit.DAY: Decimal(86400),
    DurationUnit.WEEK: Decimal(604800),
}

_BUSINESS_UNITS: Final = frozenset({DurationUnit.MINUTE, DurationUnit.HOUR, DurationUnit.DAY})

_DURATION_RE: Final = re.compile(
    rf"^\s*(?P<amount>{_NUMBER})\s*(?P<business>business\s+)?(?P<unit>[a-z]+)\s*$",
    re.IGNORECASE,
)

_DURATION_HINT: Final = "write a number and a unit, e.g. '15m', '4 hours', '5 business days'"


@dataclass(frozen=True, order=False)
class Duration:
    """A length of time: an amount of a unit, optionally counted in business time.

    Fixed units (milliseconds to weeks) convert to ``timedelta``; months and years are
    calendar units whose length depends on where they start. Business durations count
    only the working time of a calendar and so have no fixed length either.
    """

    amount: Decimal
    unit: DurationUnit
    business: bool = False

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``15m``, ``4 hours``, ``1.5h``, ``5 business days``; reject bare numbers."""
        if not isinstance(text, str):
            raise UnitError(
                f"duration {text!r} has no unit", hint=_DURATION_HINT
            )  # pragma: no cover - callers pass strings
        match = _DURATION_RE.match(text)
        if match is None:
            if re.fullmatch(rf"\s*{_NUMBER}\s*", text):
                raise UnitError(f"duration {text!r} has no unit", hint=_DURATION_HINT)
            raise UnitError(f"{text!r} is not a duration", hint=_DURATION_HINT)
        word = match["unit"].lower()
        unit = _UNIT_SPELLINGS.get(word)
        if unit is None:
            raise UnitError(f"unknown duration unit {match['unit']!r} in {text!r}", _DURATION_HINT)
        amount = parse_decimal(match["amount"])
        if amount < 0:
            raise UnitError(
                f"duration {text!r} is negative", "write a duration of zero or more, e.g. '30 days'"
            )
        business = match["business"] is not None
        if business and unit not in _BUSINESS_UNITS:
            raise UnitError(
                f"{text!r}: business time is counted in minutes, hours or days",
                "write e.g. '4 business hours' or '5 business days'",
            )
        return cls(amount=amount, unit=unit, business=business)

    @classmethod
    def of(cls, delta: timedelta) -> Duration:
        """The duration of a ``timedelta``, in the largest unit that shows it exactly."""
        micros = Decimal(delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds
        return cls.of_seconds(micros / 10**6)

    @classmethod
    def of_seconds(cls, seconds: Decimal) -> Duration:
        """A number of seconds in the largest unit that shows it exactly (else s or ms)."""
        for unit in (DurationUnit.WEEK, DurationUnit.DAY, DurationUnit.HOUR, DurationUnit.MINUTE):
            if seconds and seconds % _FIXED_SECONDS[unit] == 0:
                return cls(seconds / _FIXED_SECONDS[unit], unit)
        if seconds >= 1 or seconds == 0:
            return cls(seconds, DurationUnit.SECOND)
        return cls(seconds * 1000, DurationUnit.MILLISECOND)

    @property
    def is_fixed(self) -> bool:
        """Whether the duration has one length wherever it starts (wall-clock, not calendar)."""
        return not self.business and self.unit in _FIXED_SECONDS

    @property
    def seconds(self) -> Decimal:
        """Length in seconds; for business durations, in business seconds (a day = 24h here)."""
        if self.unit not in _FIXED_SECONDS:
            raise UnitError(f"{self} has no fixed length", "use days or weeks instead")
        return self.amount * _FIXED_SECONDS[self.unit]

    def to_timedelta(self) -> timedelta:
        """The wall-clock length; raises for calendar units and business time."""
        if self.business:
            raise UnitError(f"{self} is business time", "it needs a calendar to become wall time")
        return timedelta(seconds=float(self.seconds))

    @property
    def comparable_key(self) -> tuple[bool, bool, Decimal]:
        """A key under which durations of one kind order by length (months as 30 days)."""
        if self.unit in _FIXED_SECONDS:
            return (self.business, False, self.seconds)
        days = Decimal(30) if self.unit is DurationUnit.MONTH else Decimal(365)
        return (self.business, True, self.amount * days * 86400)

    def __str__(self) -> str:
        amount = format_decimal(self.amount)
        word = self.unit.value + ("" if self.amount == 1 else "s")
        return f"{amount} business {word}" if self.business else f"{amount} {word}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Duration):
            return NotImplemented
        if self.is_fixed and other.is_fixed:
            return self.seconds == other.seconds
        return (self.amount, self.unit, self.business) == (other.amount, other.unit, other.business)

    def __hash__(self) -> int:
        if self.is_fixed:
            return hash(("fixed", self.seconds))
        return hash((self.amount, self.unit, self.business))


_PERCENT_RE: Final = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*%\s*$")
_PERCENT_HINT: Final = "write a percentage with its sign, e.g. '99.95%'"


@dataclass(frozen=True, order=True)
class Percentage:
    """A share written as a percentage and held as a ratio in [0, 1]."""

    ratio: Decimal

    @classmethod
    def parse(cls, text: str, *, allow_above_100: bool = False) -> Percentage:
        """Parse ``99.95%``; a bare number is ambiguous (0.99 or 99?) and rejected."""
        match = _PERCENT_RE.match(text)
        if match is None:
            if re.fullmatch(rf"\s*{_NUMBER}\s*", text):
                meant = cls.meant_by(parse_decimal(text))
                hint = f"write it with its sign, e.g. '{meant}'" if meant else _PERCENT_HINT
                raise UnitError(f"percentage {text!r} has no '%' sign", hint)
            raise UnitError(f"{text!r} is not a percentage", _PERCENT_HINT)
        percent = parse_decimal(match["number"])
        if percent < 0 or (percent > 100 and not allow_above_100):
            raise UnitError(
                f"percentage {text!r} is outside 0% to 100%", "write a share from 0% to 100%"
            )
        return cls(ratio=percent / 100)

    @classmethod
    def meant_by(cls, number: Decimal) -> Percentage | None:
        """The percentage a bare number most likely means, if any.

        A number up to 1 is most likely a fraction (``1.0`` is 100%, ``0.999`` is 99.9%),
        a larger one up to 100 a percentage without its sign (``99.9`` is 99.9%).
        """
        if not 0 <= number <= 100:
            return None
        return cls(ratio=number if number <= 1 else number / 100)

    @property
    def percent(self) -> Decimal:
        return self.ratio * 100

    def __str__(self) -> str:
        return f"{format_decimal(self.percent)}%"


#: ISO 4217 minor units of the currencies an agreement may name.
CURRENCY_MINOR_UNITS: Final[dict[str, int]] = {
    "AUD": 2, "BRL": 2, "CAD": 2, "CHF": 2, "CNY": 2, "CZK": 2, "DKK": 2, "EUR": 2,
    "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "JPY": 0, "KRW": 0,
    "MXN": 2, "NOK": 2, "NZD": 2, "PLN": 2, "RON": 2, "SEK": 2, "SGD": 2, "THB": 2,
    "TRY": 2, "USD": 2, "ZAR": 2, "BHD": 3, "KWD": 3, "AED": 2, "SAR": 2,
}  # fmt: skip

_MONEY_RE: Final = re.compile(
    rf"^\s*(?:(?P<pre>[A-Za-z]{{3}})\s*(?P<a1>{_NUMBER})|(?P<a2>{_NUMBER})\s*(?P<post>[A-Za-z]{{3}}))\s*$"
)
#: Amounts stay well inside Decimal's 28 digits, so rounding to minor units is exact.
_LARGEST_AMOUNT: Final = Decimal(10) ** 15
_MONEY_HINT: Final = "write an amount and an ISO 4217 currency, e.g. '20000 EUR' or 'USD 1,500.00'"


@dataclass(frozen=True)
class Money:
    """An amount of a currency, exact and rounded to the currency's minor unit on display."""

    amount: Decimal
    currency: str

    @classmethod
    def parse(cls, text: str) -> Money:
        match = _MONEY_RE.match(text)
        if match is None:
            if re.fullmatch(rf"\s*{_NUMBER}\s*", text):
                raise UnitError(f"amount {text!r} has no currency", _MONEY_HINT)
            raise UnitError(f"{text!r} is not an amount of money", _MONEY_HINT)
        currency = (match["pre"] or match["post"]).upper()
        if currency not in CURRENCY_MINOR_UNITS:
            raise UnitError(f"unknown currency {currency!r} in {text!r}", _MONEY_HINT)
        amount = parse_decimal(match["a1"] or match["a2"])
        if amount < 0:
            raise UnitError(f"amount {text!r} is negative", "write an amount of zero or more")
        if amount >= _LARGEST_AMOUNT:
            raise UnitError(f"amount {text!r} is too large", "amounts stay below 10^15")
        return cls(amount=amount, currency=currency)

    def rounded(self) -> Money:
        """The amount rounded half-even to the currency's minor unit."""
        exponent = Decimal(1).scaleb(-CURRENCY_MINOR_UNITS[self.currency])
        return Money(self.amount.quantize(exponent, rounding=ROUND_HALF_EVEN), self.currency)

    def times(self, ratio: Decimal) -> Money:
        """This amount scaled by a ratio, rounded to the currency."""
        return Money(self.amount * ratio, self.currency).rounded()

    def spec(self) -> str:
        """The exact written form, as it round-trips through the language."""
        return f"{format_decimal(self.amount)} {self.currency}"

    def __str__(self) -> str:
        digits = CURRENCY_MINOR_UNITS[self.currency]
        return f"{self.rounded().amount:,.{digits}f} {self.currency}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return (self.amount, self.currency) == (other.amount, other.currency)

    def __hash__(self) -> int:
        return hash((self.amount.normalize(), self.currency))


def add_duration(instant: dt.datetime, duration: Duration, timezone: str) -> dt.datetime:
    """``instant`` + ``duration``; months and years step local calendar dates in ``timezone``."""
    if duration.unit in (DurationUnit.MONTH, DurationUnit.YEAR) and not duration.business:
        months = int(duration.amount) * (12 if duration.unit is DurationUnit.YEAR else 1)
        local = instant.astimezone(ZoneInfo(timezone))
        index = local.year * 12 + local.month - 1 + months
        year, month = divmod(index, 12)
        day = min(local.day, _days_in_month(year, month + 1))
        moved = local.replace(year=year, month=month + 1, day=day)
        return moved.astimezone(dt.UTC)
    # In UTC: an aware datetime in a local zone would add wall-clock time (Python adds to
    # the local reading), so the same instant would fall due an hour apart across a change.
    return instant.astimezone(dt.UTC) + duration.to_timedelta()


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day
