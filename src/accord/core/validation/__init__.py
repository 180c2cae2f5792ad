"""Checks of meaning that types alone cannot express: references, bands, tiers, clocks.

Each check yields ``Finding``s with a path inside the document; the loader places them
at a line and column. Checks never stop at the first finding.
"""

from __future__ import annotations

from accord.core.model import Agreement
from accord.core.validation.clocks import check_clocks
from accord.core.validation.process import (
    check_escalation,
    check_incidents,
    check_other_references,
    check_responsibilities,
)
from accord.core.validation.recorded import check_recorded_indicators
from accord.core.validation.refs import Finding, Refs
from accord.core.validation.remedies import check_remedies
from accord.core.validation.structure import (
    check_exclusions,
    check_indicators,
    check_objectives,
    check_parties,
    check_sources,
    check_term,
    check_unique_ids,
)
from accord.core.validation.values import value_kind_of

__all__ = [
    "Finding",
    "check_agreement",
    "clocks",
    "process",
    "recorded",
    "refs",
    "remedies",
    "structure",
    "value_kind_of",
    "values",
]


def check_agreement(
    agreement: Agreement,
    *,
    tolerated_ids: frozenset[str] = frozenset(),
    tolerated_kinds: frozenset[str] = frozenset(),
) -> list[Finding]:
    """All meaning problems of an agreement.

    References to ``tolerated_ids``, or to anything of ``tolerated_kinds`` (e.g. "party"),
    are not reported: the loader passes what it had to cut from a broken document.
    """
    refs = Refs(agreement, tolerated_ids, tolerated_kinds)
    checks = (
        check_unique_ids,
        check_parties,
        check_term,
        check_sources,
        check_indicators,
        check_recorded_indicators,
        check_objectives,
        check_exclusions,
        check_remedies,
        check_responsibilities,
        check_escalation,
        check_incidents,
        check_other_references,
        check_clocks,
    )
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check(agreement, refs))
    return findings
