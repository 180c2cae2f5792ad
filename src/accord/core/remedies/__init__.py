"""Remedies: how credit schemes and chronic-failure clauses are written (``spec``) and the
credits and findings they produce from verdicts (``credits``)."""

from accord.core.remedies.caps import apply_caps
from accord.core.remedies.credits import (
    ChronicFinding,
    assess_chronic,
    assess_credit,
    chronic_credits,
)
from accord.core.remedies.spec import (
    AggregateCaps,
    ChronicFailure,
    CreditScheme,
    CreditTier,
    Remedies,
)

__all__ = [
    "AggregateCaps",
    "ChronicFailure",
    "ChronicFinding",
    "CreditScheme",
    "CreditTier",
    "Remedies",
    "apply_caps",
    "assess_chronic",
    "assess_credit",
    "chronic_credits",
]
