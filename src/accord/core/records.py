"""The verdict record: what a verdict says, frozen and versioned, and its one serialisation.

A ``VerdictRecord`` is what the store keeps, the API returns, an evidence bundle carries and
the CLI prints; reports render from it. Its numbers are ``Decimal`` values held to ten decimal
places (the precision at which verdicts are stored and compared: sums of floating-point
durations differ in their last bits between runs), its instants are tz-aware datetimes and
its states are types (a budget is ``exhausted`` or projected to run out ``at`` an instant).

The serialisation ``accord.verdicts/v2`` is JSON whose decimals are strings (``"0.9995"``),
so that nothing is lost to binary floating point; instants are ISO 8601. ``from_json`` also
reads the earlier ``accord.verdicts/v1`` (decimals as JSON numbers; a budget's
``projected_exhaustion_at`` either ``"exhausted"`` or an instant), so that verdicts stored or
bundled before the change still read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar, Final, Self, TypeVar

from accord.core.model.measurement import Direction, ValueKind
from accord.core.units import Duration, UnitError, format_decimal
from accord.core.verdicts import SCHEME_CAP, Budget, BurnRate, CreditOwed, Outcome, Verdict

__all__ = [
    "FORMAT",
    "FORMATS",
    "BudgetRecord",
    "BurnRateRecord",
    "Counts",
    "CoverageRecord",
    "CreditRecord",
    "Exclusions",
    "RecordError",
    "Unit",
    "VerdictRecord",
    "WindowRecord",
    "credit_json",
    "decimal_json",
    "record_of",
]

#: The serialisation written now; ``FORMATS`` are those read.
FORMAT: Final = "accord.verdicts/v2"
FORMATS: Final = ("accord.verdicts/v1", FORMAT)
#: Ten decimal places: the precision verdicts are stored and compared at.
_PLACES: Final = 10


class RecordError(ValueError):
    """Stored or bundled verdict data that is not a verdict record; says which field."""


class Unit(StrEnum):
    """The unit of a verdict's value, target and tolerance."""

    RATIO = "ratio"
    SECONDS = "seconds"
    NUMBER = "number"

    @classmethod
    def of(cls, kind: ValueKind) -> Unit:
        return {
            ValueKind.RATIO: cls.RATIO,
            ValueKind.DURATION: cls.SECONDS,
            ValueKind.NUMBER: cls.NUMBER,
        }[kind]


def _held(value: Decimal) -> Decimal:
    """To ten places, without trailing zeros (``0.98``, not ``0.9800000000``)."""
    held = round(value, _PLACES).normalize()
    exponent = held.as_tuple().exponent
    return held.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else held


def decimal_json(value: Decimal | None) -> str | None:
    """A decimal as the serialisation writes it: a string without exponent."""
    return None if value is None else format_decimal(value)


@dataclass(frozen=True)
class Counts:
    """Named counts (valid, good, bad …) in the order the engine gave them."""

    entries: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> Self:
        return cls(tuple(counts.items()))

    def as_dict(self) -> dict[str, int]:
        return dict(self.entries)

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)


class Exclusions(Counts):
    """Events or periods excluded from a verdict, by what excluded them."""


@dataclass(frozen=True)
class WindowRecord:
    label: str
    start_at: dt.datetime
    end_at: dt.datetime


@dataclass(frozen=True)
class CoverageRecord:
    """How much of the window the data covers, as a ratio and in words, with the least
    coverage the agreement accepts and where that rule comes from."""

    ratio: Decimal
    detail: str
    minimum: Decimal | None = None
    rule: str = ""


@dataclass(frozen=True)
class BurnRateRecord:
    """How fast one look-back window ending at the evaluation instant spent the budget."""

    look_back: dt.timedelta
    bad: int
    valid: int
    rate: Decimal | None

    @classmethod
    def of(cls, rate: BurnRate) -> Self:
        return cls(rate.span, rate.bad, rate.valid, _held_or_none(rate.rate))


@dataclass(frozen=True)
class BudgetRecord:
    """The error budget of an occurrence objective in one window."""

    allowed_ratio: Decimal
    allowed_events: Decimal
    spent_events: int
    remaining_events: Decimal
    consumed_ratio: Decimal | None
    burn_rate: Decimal | None
    #: Spent: there is nothing left to project.
    exhausted: bool
    #: When the budget runs out at the window's burn so far, if within the window.
    projected_exhaustion_at: dt.datetime | None
    alerts: tuple[str, ...] = ()
    #: The window's volume the allowance is computed from (projected while open).
    window_events: Decimal | None = None
    #: How the window's volume was found.
    method: str = ""
    #: Burn rate over each alert look-back window, whether or not an alert fired.
    burn_rates: tuple[BurnRateRecord, ...] = ()

    @classmethod
    def of(cls, budget: Budget) -> Self:
        held = _held_or_none
        return cls(
            allowed_ratio=_held(budget.allowed_ratio),
            allowed_events=_held(budget.allowed_events),
            spent_events=budget.spent_events,
            remaining_events=_held(budget.remaining_events),
            consumed_ratio=held(budget.consumed_ratio),
            burn_rate=held(budget.burn_rate),
            exhausted=budget.exhausted,
            projected_exhaustion_at=budget.projected_exhaustion_at,
            alerts=budget.alerts,
            window_events=held(budget.window_events),
            method=budget.method,
            burn_rates=tuple(BurnRateRecord.of(rate) for rate in budget.burn_rates),
        )


@dataclass(frozen=True)
class CreditRecord:
    """The service credit a verdict triggered, with the rule that produced it."""

    scheme: str
    tier: int
    amount: Decimal
    currency: str
    capped: bool
    claim_deadline: dt.datetime
    rule: str

    @classmethod
    def of(cls, credit: CreditOwed) -> Self:
        return cls(
            scheme=credit.scheme,
            tier=credit.tier,
            amount=credit.amount.amount,
            currency=credit.amount.currency,
            capped=credit.capped,
            claim_deadline=dt.datetime.fromisoformat(credit.claim_deadline),
            rule=credit.rule + _aggregate_clip(credit),
        )


def _aggregate_clip(credit: CreditOwed) -> str:
    """The rule's ending that says which caps across schemes clipped the credit."""
    caps = [cap for cap in credit.clipped_by if not cap.startswith(SCHEME_CAP)]
    if not caps:
        return ""
    return f", clipped to {credit.amount} by the {' and the '.join(caps)}"


def _held_or_none(value: Decimal | None) -> Decimal | None:
    return None if value is None else _held(value)


@dataclass(frozen=True)
class VerdictRecord:
    """One verdict as recorded: objective × scope × window, its judgement and its evidence.

    The ``*_display`` texts are the values as people read them ('99.95%', '2 business
    hours'), fixed when the verdict was made.
    """

    objective: str
    scope: Mapping[str, str]
    window: WindowRecord
    outcome: Outcome
    value: Decimal | None
    value_display: str
    target: Decimal
    target_display: str
    tolerance: Decimal
    tolerance_display: str
    unit: Unit
    direction: Direction
    counts: Counts
    formula: str
    computation: str
    coverage: CoverageRecord
    agreement_version: str
    exclusions: Exclusions = field(default_factory=Exclusions)
    budget: BudgetRecord | None = None
    credit: CreditRecord | None = None
    notes: tuple[str, ...] = ()
    #: What an insufficient_data verdict counts as for remedies (breach), if anything.
    counts_as: Outcome | None = None

    #: The version of the record's shape (``FORMAT``).
    VERSION: ClassVar[int] = 2

    @property
    def scope_label(self) -> str:
        return ", ".join(f"{key}={value}" for key, value in self.scope.items()) or "all"

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...], str]:
        """Objective, sorted scope and window: what a later verdict of the same thing shares."""
        return self.objective, tuple(sorted(self.scope.items())), self.window.label

    def to_json(self) -> dict[str, Any]:
        """The record in the ``accord.verdicts/v2`` form (decimals as strings)."""
        return {
            "objective": self.objective,
            "scope": dict(self.scope),
            "window": {
                "label": self.window.label,
                "start": self.window.start_at.isoformat(),
                "end": self.window.end_at.isoformat(),
            },
            "outcome": self.outcome.value,
            "value": decimal_json(self.value),
            "value_display": self.value_display,
            "target": decimal_json(self.target),
            "target_display": self.target_display,
            "tolerance": decimal_json(self.tolerance),
            "tolerance_display": self.tolerance_display,
            "unit": self.unit.value,
            "direction": self.direction.value,
            "counts": self.counts.as_dict(),
            "formula": self.formula,
            "computation": self.computation,
            "coverage": {
                "ratio": decimal_json(self.coverage.ratio),
                "detail": self.coverage.detail,
                "minimum": decimal_json(self.coverage.minimum),
                "rule": self.coverage.rule,
            },
            "counts_as": None if self.counts_as is None else self.counts_as.value,
            "exclusions": self.exclusions.as_dict(),
            "budget": None if self.budget is None else _budget_json(self.budget),
            "credit": None if self.credit is None else credit_json(self.credit),
            "notes": list(self.notes),
            "agreement_version": self.agreement_version,
        }

    @classmethod
    def from_json(cls, data: object) -> VerdictRecord:
        """A record from its ``accord.verdicts/v2`` (or ``v1``) form; ``RecordError`` naming
        the field that is missing or malformed."""
        return _Reader(data, "verdict").verdict()


def record_of(verdict: Verdict, credit: CreditOwed | None) -> VerdictRecord:
    """The record of an evaluated verdict and the credit it triggered, if any."""
    return VerdictRecord(
        objective=verdict.objective,
        scope=dict(verdict.scope),
        window=WindowRecord(verdict.window.label, verdict.window.start_at, verdict.window.end_at),
        outcome=verdict.outcome,
        value=_held_or_none(verdict.value),
        value_display=verdict.show(verdict.value),
        target=_held(verdict.target),
        target_display=verdict.show(verdict.target),
        tolerance=_held(verdict.tolerance),
        tolerance_display=verdict.show(verdict.tolerance),
        unit=Unit.of(verdict.value_kind),
        direction=verdict.direction,
        counts=Counts.of(verdict.counts),
        formula=verdict.formula,
        computation=verdict.computation,
        coverage=CoverageRecord(
            _held(verdict.coverage.ratio),
            verdict.coverage.detail,
            _held_or_none(verdict.coverage.minimum),
            verdict.coverage.rule,
        ),
        agreement_version=verdict.agreement_version,
        exclusions=Exclusions.of(verdict.exclusions),
        budget=None if verdict.budget is None else BudgetRecord.of(verdict.budget),
        credit=None if credit is None else CreditRecord.of(credit),
        notes=verdict.notes,
        counts_as=verdict.counts_as,
    )


def _budget_json(budget: BudgetRecord) -> dict[str, Any]:
    at = budget.projected_exhaustion_at
    return {
        "allowed_ratio": decimal_json(budget.allowed_ratio),
        "allowed_events": decimal_json(budget.allowed_events),
        "spent_events": budget.spent_events,
        "remaining_events": decimal_json(budget.remaining_events),
        "consumed_ratio": decimal_json(budget.consumed_ratio),
        "burn_rate": decimal_json(budget.burn_rate),
        "exhausted": budget.exhausted,
        "projected_exhaustion_at": None if at is None else at.isoformat(),
        "window_events": decimal_json(budget.window_events),
        "method": budget.method,
        "burn_rates": [
            {
                "look_back": str(Duration.of(rate.look_back)),
                "bad": rate.bad,
                "valid": rate.valid,
                "burn_rate": decimal_json(rate.rate),
            }
            for rate in budget.burn_rates
        ],
        "alerts": list(budget.alerts),
    }


def credit_json(credit: CreditRecord) -> dict[str, Any]:
    """A credit in the ``accord.verdicts/v2`` form."""
    return {
        "scheme": credit.scheme,
        "tier": credit.tier,
        "amount": format_decimal(credit.amount),
        "currency": credit.currency,
        "capped": credit.capped,
        "claim_deadline": credit.claim_deadline.isoformat(),
        "rule": credit.rule,
    }


_Enum = TypeVar("_Enum", bound=StrEnum)


class _Reader:
    """Reads one JSON object field by field, naming the path of whatever is wrong."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise RecordError(f"{where}: expected an object, found {type(data).__name__}")
        self._data = data
        self._where = where

    def _raw(self, name: str) -> object:
        if name not in self._data:
            raise RecordError(f"{self._where}.{name}: missing")
        return self._data[name]

    def _fail(self, name: str, expected: str) -> RecordError:
        return RecordError(f"{self._where}.{name}: expected {expected}")

    def text(self, name: str) -> str:
        value = self._raw(name)
        if not isinstance(value, str):
            raise self._fail(name, "a string")
        return value

    def integer(self, name: str) -> int:
        value = self._raw(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(name, "an integer")
        return value

    def flag(self, name: str) -> bool:
        value = self._raw(name)
        if not isinstance(value, bool):
            raise self._fail(name, "true or false")
        return value

    def decimal(self, name: str) -> Decimal:
        value = self.optional_decimal(name)
        if value is None:
            raise self._fail(name, "a number")
        return value

    def optional_decimal(self, name: str) -> Decimal | None:
        value = self._raw(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self._fail(name, "a decimal string")
        try:
            number = Decimal(str(value))  # v1 wrote floats: their shortest repr is the value
        except InvalidOperation:
            raise self._fail(name, "a decimal string") from None
        if not number.is_finite():
            raise self._fail(name, "a finite decimal")
        return number

    def instant(self, name: str) -> dt.datetime:
        text = self.text(name)
        try:
            at = dt.datetime.fromisoformat(text)
        except ValueError:
            raise self._fail(name, "an ISO 8601 instant") from None
        if at.tzinfo is None:
            raise self._fail(name, "an instant with its UTC offset")
        return at

    def tally(self, name: str) -> dict[str, int]:
        value = self._raw(name)
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
            for k, v in value.items()
        ):
            raise self._fail(name, "an object of whole numbers")
        return dict(value)

    def texts(self, name: str) -> tuple[str, ...]:
        value = self._raw(name)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._fail(name, "a list of strings")
        return tuple(value)

    def nested(self, name: str) -> _Reader | None:
        value = self._raw(name)
        return None if value is None else _Reader(value, f"{self._where}.{name}")

    def choice(self, name: str, enum: type[_Enum]) -> _Enum:
        text = self.text(name)
        try:
            return enum(text)
        except ValueError:
            raise self._fail(name, " or ".join(repr(m.value) for m in enum)) from None

    def verdict(self) -> VerdictRecord:
        window, coverage = self.nested("window"), self.nested("coverage")
        if window is None or coverage is None:
            raise self._fail("window" if window is None else "coverage", "an object")
        scope = self._raw("scope")
        if not isinstance(scope, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in scope.items()
        ):
            raise self._fail("scope", "an object of strings")
        budget, credit = self.nested("budget"), self.nested("credit")
        return VerdictRecord(
            objective=self.text("objective"),
            scope=dict(scope),
            window=WindowRecord(
                window.text("label"), window.instant("start"), window.instant("end")
            ),
            outcome=self.choice("outcome", Outcome),
            value=self.optional_decimal("value"),
            value_display=self.text("value_display"),
            target=self.decimal("target"),
            target_display=self.text("target_display"),
            tolerance=self.decimal("tolerance"),
            tolerance_display=self.text("tolerance_display"),
            unit=self.choice("unit", Unit),
            direction=self.choice("direction", Direction),
            counts=Counts.of(self.tally("counts")),
            formula=self.text("formula"),
            computation=self.text("computation"),
            coverage=CoverageRecord(
                coverage.decimal("ratio"),
                coverage.text("detail"),
                coverage.optional_decimal("minimum") if "minimum" in coverage._data else None,
                coverage.text("rule") if "rule" in coverage._data else "",
            ),
            agreement_version=self.text("agreement_version"),
            exclusions=Exclusions.of(self.tally("exclusions")),
            budget=None if budget is None else budget.budget(),
            credit=None if credit is None else credit.credit(),
            notes=self.texts("notes"),
            counts_as=self.choice("counts_as", Outcome)
            if self._data.get("counts_as") is not None
            else None,
        )

    def budget(self) -> BudgetRecord:
        exhausted, at = self._exhaustion()
        return BudgetRecord(
            allowed_ratio=self.decimal("allowed_ratio"),
            allowed_events=self.decimal("allowed_events"),
            spent_events=self.integer("spent_events"),
            remaining_events=self.decimal("remaining_events"),
            consumed_ratio=self.optional_decimal("consumed_ratio"),
            burn_rate=self.optional_decimal("burn_rate"),
            exhausted=exhausted,
            projected_exhaustion_at=at,
            alerts=self.texts("alerts"),
            window_events=self.optional_decimal("window_events")
            if "window_events" in self._data
            else None,
            method=self.text("method") if "method" in self._data else "",
            burn_rates=self._burn_rates(),
        )

    def _burn_rates(self) -> tuple[BurnRateRecord, ...]:
        """The look-back burn rates (v1 verdicts stored before they were kept have none)."""
        rates = self._data.get("burn_rates", [])
        if not isinstance(rates, list):
            raise self._fail("burn_rates", "a list")
        found = []
        for number, item in enumerate(rates):
            rate = _Reader(item, f"{self._where}.burn_rates[{number}]")
            found.append(
                BurnRateRecord(
                    rate.look_back(),
                    rate.integer("bad"),
                    rate.integer("valid"),
                    rate.optional_decimal("burn_rate"),
                )
            )
        return tuple(found)

    def look_back(self) -> dt.timedelta:
        try:
            return Duration.parse(self.text("look_back")).to_timedelta()
        except (UnitError, ValueError):
            raise self._fail("look_back", "a duration such as '1 hour'") from None

    def _exhaustion(self) -> tuple[bool, dt.datetime | None]:
        if "exhausted" not in self._data and self._raw("projected_exhaustion_at") == "exhausted":
            return True, None  # v1: one field for both states
        exhausted = self.flag("exhausted") if "exhausted" in self._data else False
        at = (
            None
            if self._raw("projected_exhaustion_at") is None
            else self.instant("projected_exhaustion_at")
        )
        return exhausted, at

    def credit(self) -> CreditRecord:
        return CreditRecord(
            scheme=self.text("scheme"),
            tier=self.integer("tier"),
            amount=self.decimal("amount"),
            currency=self.text("currency"),
            capped=self.flag("capped"),
            claim_deadline=self.instant("claim_deadline"),
            rule=self.text("rule"),
        )
