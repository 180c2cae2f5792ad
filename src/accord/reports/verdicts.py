"""Verdicts rendered for people and spreadsheets, from their records: CSV and plain-language
explanations of single verdicts.

The JSON form (``accord.verdicts/v2``) is the record's own serialisation
(``accord.core.records`` and ``accord.core.documents``), documented in docs/verdicts.md.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.model.measurement import Direction, ValueKind
from accord.core.records import BudgetRecord, VerdictRecord
from accord.core.units import Duration, Money, format_decimal
from accord.core.verdicts import show_value

__all__ = ["CSV_COLUMNS", "burn_rates_text", "evaluation_csv", "explain_verdict"]

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


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value)


def evaluation_csv(evaluation: Evaluation) -> str:
    """One CSV row per verdict, values in canonical units (ratios in [0, 1], seconds)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for verdict in evaluation.verdicts:
        record = evaluation.record(verdict)
        credit = record.credit
        writer.writerow(
            [
                record.objective,
                record.scope_label,
                record.window.label,
                record.outcome.value,
                _plain(record.value),
                format_decimal(record.target),
                format_decimal(record.tolerance),
                format_decimal(round(record.coverage.ratio, 6)),
                format_decimal(credit.amount) if credit else "",
                credit.currency if credit else "",
                record.computation,
            ]
        )
    return out.getvalue()


def _band(record: VerdictRecord) -> str:
    target, tolerance = record.target_display, record.tolerance_display
    if record.direction is Direction.HIGHER_IS_BETTER:
        return (
            f"met at {target} or more; from {tolerance} to below {target} is a deviation; "
            f"below {tolerance} is a breach"
        )
    return (
        f"met at {target} or less; above {target} up to {tolerance} is a deviation; "
        f"above {tolerance} is a breach"
    )


def _budget_lines(budget: BudgetRecord | None) -> list[str]:
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
    if budget.exhausted:
        lines.append("Budget projected to run out: exhausted")
    elif budget.projected_exhaustion_at is not None:
        lines.append(f"Budget projected to run out: {budget.projected_exhaustion_at.isoformat()}")
    lines += [f"Burn-rate alert: {alert}" for alert in budget.alerts]
    return lines


def burn_rates_text(budget: BudgetRecord) -> str:
    """The burn rate over each look-back window: '1.2× over 1 hour, 0× over 5 minutes'."""
    return ", ".join(
        f"{'—' if rate.rate is None else format_decimal(round(rate.rate, 2)) + '×'} over "
        f"{Duration.of(rate.look_back)}"
        for rate in budget.burn_rates
    )


def explain_verdict(agreement: Agreement, record: VerdictRecord) -> str:
    """One verdict in plain language, with every number behind it."""
    objective = next(o for o in agreement.objectives if o.id == record.objective)
    credit = record.credit
    lines = [
        f"{objective.name} ({objective.id}) — scope {record.scope_label}, window "
        f"{record.window.label} ({record.window.start_at.isoformat()} to "
        f"{record.window.end_at.isoformat()})",
        f"Outcome: {record.outcome.value.upper().replace('_', ' ')}",
        f"Measured: {record.computation}",
        f"Rule: {_band(record)}",
        f"Formula: {record.formula}",
        f"Data coverage: {record.coverage.detail} "
        f"({show_value(record.coverage.ratio, ValueKind.RATIO)})"
        + (f"; required: {record.coverage.rule}" if record.coverage.rule else ""),
    ]
    if record.counts_as is not None:
        lines.insert(2, f"Counts as: {record.counts_as.value.upper()} (insufficient data)")
    if record.exclusions:
        excluded = ", ".join(f"{count:,} {what}" for what, count in record.exclusions)
        lines.append(f"Excluded: {excluded}")
    lines += _budget_lines(record.budget)
    if credit is not None:
        amount = Money(credit.amount, credit.currency)
        lines.append(
            f"Credit: {amount} ({credit.rule}); claim by {credit.claim_deadline.isoformat()}"
        )
    lines += [f"Note: {note}" for note in record.notes]
    lines.append(
        f"Agreement: {agreement.metadata.id} version {agreement.metadata.version} "
        f"(sha256 {record.agreement_version})"
    )
    return "\n".join(lines)
