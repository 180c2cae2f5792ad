"""Service credits and chronic-failure clauses, as the contract states them.

A tier applies when the value is strictly worse than its threshold (a value exactly at
a threshold earns nothing from that tier), and only to a verdict with data. Within a scheme
and a window the worst tier reached by any covered objective in any scope applies once,
capped by the scheme's cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.core.model.measurement import Direction
from accord.core.remedies.spec import ChronicFailure, CreditScheme
from accord.core.units import Duration, add_duration
from accord.core.verdicts import SCHEME_CAP, CreditOwed, Outcome, Verdict

__all__ = ["ChronicFinding", "assess_chronic", "assess_credit", "chronic_credits"]


def _tier_reached(scheme: CreditScheme, verdict: Verdict) -> int:
    """1-based index of the worst tier the verdict's value falls into; 0 for none.

    A verdict without enough data (fewer events than the objective's minimum, or less
    coverage) earns no credit, even when the few events it has would fall into a tier;
    unless the agreement counts insufficient data as a breach: then the first tier.
    """
    if verdict.counts_as_breach and verdict.outcome is not Outcome.BREACH:
        return 1
    if verdict.value is None or verdict.outcome in (Outcome.NO_DATA, Outcome.INSUFFICIENT_DATA):
        return 0
    reached = 0
    for index, tier in enumerate(scheme.tiers, start=1):
        threshold = verdict.canonical(tier.threshold)
        worse = (
            verdict.value < threshold
            if verdict.direction is Direction.HIGHER_IS_BETTER
            else verdict.value > threshold
        )
        if worse:
            reached = index
    return reached


def assess_credit(
    scheme: CreditScheme,
    verdicts: Sequence[Verdict],
    claim_window: Duration,
    timezone: str,
) -> CreditOwed | None:
    """The credit a scheme owes for one window's verdicts of its objectives, or None.

    Tier thresholds are measured like each verdict's value: business days on the calendar
    of a business-duration indicator are its working days.
    """
    covered = [v for v in verdicts if v.objective in scheme.objectives]
    reached = [(_tier_reached(scheme, verdict), verdict) for verdict in covered]
    tier, worst = max(reached, key=lambda item: item[0], default=(0, None))
    if tier == 0 or worst is None:
        return None
    amount = scheme.tier_amount(scheme.tiers[tier - 1])
    cap = scheme.cap_amount()
    capped = amount.amount > cap.amount
    deadline = add_duration(worst.window.end_at, claim_window, timezone)
    chosen = scheme.tiers[tier - 1]
    side = "below" if worst.direction is Direction.HIGHER_IS_BETTER else "above"
    why = (
        "has insufficient data, counted as a breach"
        if worst.outcome in (Outcome.NO_DATA, Outcome.INSUFFICIENT_DATA)
        else f"is {side} {chosen.threshold}"
    )
    rule = (
        f"tier {tier} of {scheme.id}: {worst.objective} ({worst.scope_label}) {why} "
        f"→ {chosen.credit} of {scheme.basis} {scheme.basis_description}"
        + (f", capped at {scheme.cap}" if capped else "")
    )
    return CreditOwed(
        scheme=scheme.id,
        objective=worst.objective,
        scope=worst.scope_label,
        tier=tier,
        amount=(cap if capped else amount).rounded(),
        capped=capped,
        claim_deadline=deadline.isoformat(),
        rule=rule,
        uncapped=amount.rounded() if capped else None,
        clipped_by=(f"{SCHEME_CAP} {scheme.cap}",) if capped else (),
    )


@dataclass(frozen=True)
class ChronicFinding:
    """Whether a chronic-failure clause is triggered, with the windows that count."""

    clause: str
    triggered: bool
    breached_windows: tuple[str, ...]
    looked_at: tuple[str, ...]
    consequence: str


def assess_chronic(clause: ChronicFailure, history: Sequence[Verdict]) -> ChronicFinding:
    """Count windows (of the clause's objectives) with at least one breach among the last M."""
    covered = [v for v in history if v.objective in clause.objectives]
    windows = sorted({v.window.label for v in covered})[-clause.within_windows :]
    breached = tuple(
        label
        for label in windows
        if any(v.window.label == label and v.counts_as_breach for v in covered)
    )
    return ChronicFinding(
        clause=clause.id,
        triggered=len(breached) >= clause.breaches,
        breached_windows=breached,
        looked_at=tuple(windows),
        consequence=clause.consequence,
    )


def chronic_credits(
    clause: ChronicFailure,
    history: Sequence[Verdict],
    claim_window: Duration,
    timezone: str,
) -> list[tuple[str, CreditOwed]]:
    """The clause's credit per window it is owed for: each window of the clause's objectives
    is judged with the clause over the windows up to it; a breached window for which the
    clause is then triggered owes the credit (the window that triggers it, and every breached
    window while it stays triggered). Nothing when the clause declares no credit."""
    if clause.credit is None:
        return []
    covered = [v for v in history if v.objective in clause.objectives]
    ends = {v.window.label: v.window.end_at for v in covered}
    owed = []
    for label in sorted(ends):
        finding = assess_chronic(clause, [v for v in covered if v.window.label <= label])
        if not (finding.triggered and label in finding.breached_windows):
            continue
        deadline = add_duration(ends[label], claim_window, timezone)
        owed.append(
            (
                label,
                CreditOwed(
                    scheme=clause.id,
                    objective=clause.id,
                    scope="chronic failure",
                    tier=0,
                    amount=clause.credit.rounded(),
                    capped=False,
                    claim_deadline=deadline.isoformat(),
                    rule=(
                        f"chronic failure {clause.id}: {len(finding.breached_windows)} of the "
                        f"last {len(finding.looked_at)} windows breached "
                        f"({', '.join(finding.breached_windows)}) → {clause.credit}"
                    ),
                ),
            )
        )
    return owed
