"""Minimum data coverage: when a window has too little data to be judged.

A window whose data covers less than the minimum share of the days data is expected on is
``insufficient_data``, never met; so is one with fewer valid events than the objective's
``minimum_events``, under the same rule. The minimum and what follows are declared on the
objective, else on its source, else the defaults below apply. What follows is either no
verdict (no credit, nothing counted) or a breach, for when delivering the data is the
provider's duty (chronic-failure clauses count it; a credit scheme owes its first tier).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from accord.core.model.objectives import Objective
from accord.core.model.sources import InsufficientData, Source
from accord.core.units import Percentage

__all__ = ["DEFAULT_MIN_COVERAGE", "CoverageRule", "coverage_rule"]

#: Without a declared minimum, a window needs data on 90% of the days data is expected on.
DEFAULT_MIN_COVERAGE: Final = Percentage(Decimal("0.9"))


@dataclass(frozen=True)
class CoverageRule:
    """The minimum coverage of one objective and what follows below it."""

    minimum: Percentage
    if_below: InsufficientData
    #: Where the minimum comes from: the objective, the source or the default.
    declared_by: str

    def follows(self) -> str:
        """What insufficient data counts as, in words."""
        return (
            "counts as a breach (delivering the data is the provider's duty)"
            if self.if_below is InsufficientData.BREACH
            else "no verdict"
        )

    def describe(self) -> str:
        return f"at least {self.minimum} ({self.declared_by}); below it: {self.follows()}"


def coverage_rule(objective: Objective, source: Source) -> CoverageRule:
    """The objective's rule, else its source's, else the default (each part separately)."""
    if objective.min_coverage is not None:
        minimum, by = objective.min_coverage, f"objective {objective.id}"
    elif source.min_coverage is not None:
        minimum, by = source.min_coverage, f"source {source.id}"
    else:
        minimum, by = DEFAULT_MIN_COVERAGE, "default"
    if_below = (
        objective.insufficient_data or source.insufficient_data or InsufficientData.NO_VERDICT
    )
    return CoverageRule(minimum, if_below, by)
