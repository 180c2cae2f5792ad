"""Exclusions: how they are written (``spec``) and which periods they take out of a window
under the contract's rules (``periods``)."""

from accord.core.exclusions.periods import Announced, ExcludedPeriod, excluded_periods
from accord.core.exclusions.spec import Exclusion, ExclusionKind

__all__ = ["Announced", "ExcludedPeriod", "Exclusion", "ExclusionKind", "excluded_periods"]
