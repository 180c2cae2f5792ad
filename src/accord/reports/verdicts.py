"""Evaluations rendered for people and programs: JSON (versioned), CSV and plain-language
explanations of single verdicts.

The JSON format ``accord.verdicts/v1`` is documented in docs/verdicts.md. Each verdict has
``objective``, ``scope``, ``window``, ``outcome`` (met | deviation | breach | no_data),
``value``, ``target``, ``tolerance``, ``coverage`` and ``credit``, plus its evidence.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from accord.core.evaluation import Evaluation, SourceReport, WindowCredit
from accord.core.model.measurement import Direction, ValueKind
from accord.core.units import Duration, format_decimal
from accord.core.verdicts import Budget, CreditOwed, Verdict, show_value

__all__ = [
    "FORMAT",
    "burn_rates_text",
    "credit_for",
    "evaluation_csv",
    "evaluation_header",
    "evaluation_json",
    "explain_verdict",
    "verdict_json",
]

FORMAT = "accord.verdicts/v1"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 10))


def credit_for(verdict: Verdict, credits: Iterable[WindowCredit]) -> CreditOwed | None:
    """The credit a verdict triggered, if it is the one that set its scheme's tier."""
    for owed in credits:
        credit = owed.credit
        if (
            owed.window == verdict.window.label
            and credit.objective == verdict.objective
            and credit.scope == verdict.scope_label
        ):
            return credit
    return None


def _budget_json(budget: Budget | None) -> dict[str, Any] | None:
    if budget is None:
        return None
    return {
        "allowed_ratio": _number(budget.allowed_ratio),
        "allowed_events": _number(budget.allowed_events),
        "spent_events": budget.spent_events,
        "remaining_events": _number(budget.remaining_events),
        "consumed_ratio": _number(budget.consumed_ratio),
        "burn_rate": _number(budget.burn_rate),
        "projected_exhaustion_at": budget.projected_exhaustion_at,
        "window_events": _number(budget.window_events),
        "method": budget.method,
        "burn_rates": [
            {
                "look_back": str(Duration.of(rate.span)),
                "bad": rate.bad,
                "valid": rate.valid,
                "burn_rate": _number(rate.rate),
            }
            for rate in budget.burn_rates
        ],
        "alerts": list(budget.alerts),
    }


def _credit_json(credit: CreditOwed | None) -> dict[str, Any] | None:
    if credit is None:
        return None
    return {
        "scheme": credit.scheme,
        "tier": credit.tier,
        "amount": format_decimal(credit.amount.amount),
        "currency": credit.amount.currency,
        "capped": credit.capped,
        "claim_deadline": credit.claim_deadline,
        "rule": credit.rule,
    }


def verdict_json(verdict: Verdict, credit: CreditOwed | None) -> dict[str, Any]:
    """One verdict with its evidence, as plain JSON data."""
    kind = verdict.value_kind
    return {
        "objective": verdict.objective,
        "scope": verdict.scope,
        "window": {
            "label": verdict.window.label,
            "start": verdict.window.start_at.isoformat(),
            "end": verdict.window.end_at.isoformat(),
        },
        "outcome": verdict.outcome.value,
        "value": _number(verdict.value),
        "value_display": verdict.show(verdict.value),
        "target": _number(verdict.target),
        "target_display": verdict.show(verdict.target),
        "tolerance": _number(verdict.tolerance),
        "tolerance_display": verdict.show(verdict.tolerance),
        "unit": {"ratio": "ratio", "duration": "seconds", "number": "number"}[kind.value],
        "direction": verdict.direction.value,
        "counts": verdict.counts,
        "formula": verdict.formula,
        "computation": verdict.computation,
        "coverage": {"ratio": _number(verdict.coverage.ratio), "detail": verdict.coverage.detail},
        "exclusions": verdict.exclusions,
        "budget": _budget_json(verdict.budget),
        "credit": _credit_json(credit),
        "notes": list(verdict.notes),
        "agreement_version": verdict.agreement_version,
    }


def _source_json(report: SourceReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "files": len(report.files),
        "rows_read": report.rows_read,
        "rows_accepted": report.rows_accepted,
        "rows_rejected": report.rows_rejected,
        "rows_outside_windows": report.rows_outside_windows,
        "issues": [
            {"reason": i.reason, "count": i.count, "samples": list(i.samples)}
            for i in report.issues
        ],
        "quarantine": report.quarantine_path,
        "first_at": report.first_at,
        "last_at": report.last_at,
    }


def evaluation_header(evaluation: Evaluation) -> dict[str, Any]:
    """What every ``accord.verdicts/v1`` document starts with: format, agreement, period."""
    agreement = evaluation.agreement
    return {
        "format": FORMAT,
        "agreement": {
            "id": agreement.metadata.id,
            "title": agreement.metadata.title,
            "version": agreement.metadata.version,
            "hash": agreement.version_hash(),
        },
        "period": {
            "label": evaluation.period.label,
            "start": evaluation.period.start_at.isoformat(),
            "end": evaluation.period.end_at.isoformat(),
            "timezone": evaluation.period.timezone,
        },
        "as_of": evaluation.as_of.isoformat(),
    }


def evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    """The whole evaluation in the versioned ``accord.verdicts/v1`` format."""
    return {
        **evaluation_header(evaluation),
        "verdicts": [
            verdict_json(v, credit_for(v, evaluation.credits)) for v in evaluation.verdicts
        ],
        "credits": [
            {"window": owed.window, **(_credit_json(owed.credit) or {})}
            for owed in evaluation.credits
        ],
        "chronic": [
            {
                "clause": c.clause,
                "triggered": c.triggered,
                "breached_windows": list(c.breached_windows),
                "looked_at": list(c.looked_at),
                "consequence": c.consequence,
            }
            for c in evaluation.chronic
        ],
        "consistency": [
            {
                "objective": c.objective,
                "window": c.window,
                "across": c.across,
                "worst_scope": c.worst_scope,
                "best_scope": c.best_scope,
                "spread": _number(c.spread),
                "max_spread": _number(c.max_spread),
                "outcome": c.outcome.value,
            }
            for c in evaluation.consistency
        ],
        "sources": [_source_json(report) for report in evaluation.sources],
        "excluded_periods": [
            {
                "exclusion": p.exclusion,
                "start": p.start_at.isoformat(),
                "end": p.end_at.isoformat(),
                "counted": p.counted,
                "reason": p.reason,
            }
            for p in evaluation.excluded
        ],
        "declared_downtime": [
            {
                "objective": d.objective,
                "window": d.window,
                "scope": d.scope,
                "incidents": list(d.incidents),
                "declared_seconds": int(d.declared.total_seconds()),
                "measured_seconds": int(d.measured.total_seconds()),
            }
            for d in evaluation.downtime
        ],
    }


CSV_COLUMNS = (
    "objective",
    "scope",
    "window",
    "outcome",
    "value",
    "target",
    "tolerance",
    "coverage",
    "credit",
    "currency",
    "computation",
)


def evaluation_csv(evaluation: Evaluation) -> str:
    """One CSV row per verdict, values in canonical units (ratios in [0, 1], seconds)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for verdict in evaluation.verdicts:
        credit = credit_for(verdict, evaluation.credits)
        writer.writerow(
            [
                verdict.objective,
                verdict.scope_label,
                verdict.window.label,
                verdict.outcome.value,
                "" if verdict.value is None else format_decimal(round(verdict.value, 10)),
                format_decimal(verdict.target),
                format_decimal(verdict.tolerance),
                format_decimal(round(verdict.coverage.ratio, 6)),
                format_decimal(credit.amount.amount) if credit else "",
                credit.amount.currency if credit else "",
                verdict.computation,
            ]
        )
    return out.getvalue()


def _band(verdict: Verdict) -> str:
    target, tolerance = verdict.show(verdict.target), verdict.show(verdict.tolerance)
    if verdict.direction is Direction.HIGHER_IS_BETTER:
        return (
            f"met at {target} or more; from {tolerance} to below {target} is a deviation; "
            f"below {tolerance} is a breach"
        )
    return (
        f"met at {target} or less; above {target} up to {tolerance} is a deviation; "
        f"above {tolerance} is a breach"
    )


def _budget_lines(budget: Budget | None) -> list[str]:
    if budget is None:
        return []
    lines = [
        f"Error budget: {show_value(budget.allowed_ratio, ValueKind.RATIO)} of valid events = "
        f"{format_decimal(round(budget.allowed_events, 1))} bad events allowed; "
        f"{budget.spent_events:,} spent; "
        f"{show_value(budget.consumed_ratio, ValueKind.RATIO)} consumed"
        + (
            f"; burn rate {format_decimal(round(budget.burn_rate, 2))}× since the window's start"
            if budget.burn_rate is not None
            else ""
        )
    ]
    if budget.method:
        lines.append(f"Budget method: {budget.method}")
    if budget.burn_rates:
        lines.append(f"Burn rates: {burn_rates_text(budget)}")
    if budget.projected_exhaustion_at:
        lines.append(f"Budget projected to run out: {budget.projected_exhaustion_at}")
    lines += [f"Burn-rate alert: {alert}" for alert in budget.alerts]
    return lines


def burn_rates_text(budget: Budget) -> str:
    """The burn rate over each look-back window: '1.2× over 1 hour, 0× over 5 minutes'."""
    return ", ".join(
        f"{'—' if rate.rate is None else format_decimal(round(rate.rate, 2)) + '×'} over "
        f"{Duration.of(rate.span)}"
        for rate in budget.burn_rates
    )


def explain_verdict(evaluation: Evaluation, verdict: Verdict) -> str:
    """One verdict in plain language, with every number behind it."""
    agreement = evaluation.agreement
    objective = next(o for o in agreement.objectives if o.id == verdict.objective)
    credit = credit_for(verdict, evaluation.credits)
    lines = [
        f"{objective.name} ({objective.id}) — scope {verdict.scope_label}, window "
        f"{verdict.window.label} ({verdict.window.start_at.isoformat()} to "
        f"{verdict.window.end_at.isoformat()})",
        f"Outcome: {verdict.outcome.value.upper().replace('_', ' ')}",
        f"Measured: {verdict.computation}",
        f"Rule: {_band(verdict)}",
        f"Formula: {verdict.formula}",
        f"Data coverage: {verdict.coverage.detail} "
        f"({show_value(verdict.coverage.ratio, ValueKind.RATIO)})",
    ]
    if verdict.exclusions:
        excluded = ", ".join(f"{count:,} {what}" for what, count in verdict.exclusions.items())
        lines.append(f"Excluded: {excluded}")
    lines += _budget_lines(verdict.budget)
    if credit is not None:
        lines.append(f"Credit: {credit.amount} ({credit.rule}); claim by {credit.claim_deadline}")
    lines += [f"Note: {note}" for note in verdict.notes]
    lines.append(
        f"Agreement: {agreement.metadata.id} version {agreement.metadata.version} "
        f"(sha256 {verdict.agreement_version})"
    )
    return "\n".join(lines)
