"""What every indicator of the language has: an id, a name, the source it reads, the rows
that count; what its value is (ratio, duration, number) and whether larger is better. The
kinds themselves live in ``accord.core.model.measurement`` and ``accord.core.model.recorded``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from accord.core.spec import Identifier, PredicateField, Spec

__all__ = ["Direction", "IndicatorBase", "ValueKind"]


class ValueKind(StrEnum):
    """What an indicator's value is, and so how its objective's target is written."""

    RATIO = "ratio"
    DURATION = "duration"
    NUMBER = "number"


class Direction(StrEnum):
    """Whether larger values of an indicator are better (availability) or worse (latency)."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class IndicatorBase(Spec):
    """Fields every indicator has."""

    id: Identifier = Field(description="Identifier used by objectives.")
    name: str = Field(min_length=1, description="Name as it appears in the document.")
    description: str | None = Field(default=None, description="What it measures, in words.")
    source: Identifier = Field(description="Data source the indicator reads.")
    where: PredicateField | None = Field(
        default=None, description="Condition selecting the rows that count at all."
    )

    value_kind: ClassVar[ValueKind] = ValueKind.RATIO
    #: What the indicator counts, in words (its error budget is a share of them).
    counts: ClassVar[str] = "events"

    def direction(self) -> Direction:
        """Whether a larger value is better; most indicators are shares of good things."""
        return Direction.HIGHER_IS_BETTER

    def in_words(self) -> str:
        """What the indicator measures, in words a non-engineer can follow (the signed
        document); kinds whose formula reads well enough keep this default."""
        return self.formula()

    def columns_used(self) -> set[str]:
        """Logical columns of the source this indicator reads."""
        return set(self.where.columns) if self.where else set()

    def formula(self) -> str:  # pragma: no cover - every kind overrides
        raise NotImplementedError
