"""An evaluation as one JSON document, in the versioned ``accord.verdicts/v2`` form.

The CLI's JSON output and the demo's verdict files are this document; an evidence bundle's
``verdict.json`` starts with the same header. Each verdict is its ``VerdictRecord``'s
serialisation (``accord.core.records``): decimals as strings, instants as ISO 8601.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any, Final

from accord.core.evaluation import ConsistencyFinding, Evaluation, SourceReport
from accord.core.records import FORMAT, CreditRecord, credit_json, decimal_json
from accord.core.remedies.credits import ChronicFinding
from accord.core.verdicts import CreditOwed

__all__ = [
    "ITEM_KINDS",
    "chronic_json",
    "consistency_json",
    "evaluation_document",
    "evaluation_header",
    "items_csv",
    "items_json",
    "items_of",
]

#: The lists of a drill-down, as ``items_json`` names them.
ITEM_KINDS: Final = ("tickets", "bad_slices", "worst_hours")


def evaluation_header(evaluation: Evaluation) -> dict[str, Any]:
    """What every ``accord.verdicts/v2`` document starts with: format, agreement, period."""
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


def items_json(evaluation: Evaluation) -> dict[str, Any]:
    """The drill-down: tickets with their due instants, the bad slices and the worst hours
    (local hours of the agreement's time zone, with their offset)."""
    return {
        "tickets": [
            {
                "objective": t.objective,
                "window": t.window,
                "scope": t.scope,
                "key": t.key,
                "start": t.start_at.isoformat(),
                "end": t.end_at.isoformat() if t.end_at else None,
                "due": t.due_at.isoformat() if t.due_at else None,
                "business_seconds": decimal_json(t.business_seconds),
                "status": t.status,
            }
            for t in evaluation.tickets
        ],
        "bad_slices": [
            {
                "objective": s.objective,
                "window": s.window,
                "scope": s.scope,
                "start": s.start_at.isoformat(),
                "end": s.end_at.isoformat(),
                "events": s.events,
                "good": s.good,
                "reason": s.reason,
            }
            for s in evaluation.slices
        ],
        "worst_hours": [
            {
                "objective": h.objective,
                "window": h.window,
                "scope": h.scope,
                "hour": h.hour.isoformat(),
                "good": h.good,
                "valid": h.valid,
                "bad": h.bad,
            }
            for h in evaluation.hours
        ],
    }


def chronic_json(finding: ChronicFinding) -> dict[str, Any]:
    """A chronic-failure finding as the evaluation document and the store hold it."""
    return {
        "clause": finding.clause,
        "triggered": finding.triggered,
        "breached_windows": list(finding.breached_windows),
        "looked_at": list(finding.looked_at),
        "consequence": finding.consequence,
    }


def consistency_json(finding: ConsistencyFinding) -> dict[str, Any]:
    """A consistency finding as the evaluation document and the store hold it."""
    return {
        "objective": finding.objective,
        "window": finding.window,
        "across": finding.across,
        "worst_scope": finding.worst_scope,
        "best_scope": finding.best_scope,
        "spread": decimal_json(round(finding.spread, 10)),
        "max_spread": decimal_json(round(finding.max_spread, 10)),
        "outcome": finding.outcome.value,
    }


def _clipped(credit: CreditOwed) -> dict[str, Any]:
    """What the caps took off a credit, and which caps, when any clipped it."""
    if credit.clipped is None:
        return {}
    return {
        "clipped": decimal_json(credit.clipped.amount),
        "clipped_by": list(credit.clipped_by),
    }


def items_of(
    evaluation: Evaluation, objective: str, window: str, scope_label: str
) -> tuple[str | None, list[dict[str, Any]]]:
    """One verdict's items (by its objective, window and scope label) and which list of
    ``ITEM_KINDS`` they are; ``(None, [])`` when it has none."""
    found = items_json(evaluation)
    for kind in ITEM_KINDS:
        mine = [
            item
            for item in found[kind]
            if item["objective"] == objective
            and item["window"] == window
            and item["scope"] == scope_label
        ]
        if mine:
            return kind, mine
    return None, []


def items_csv(items: Sequence[Mapping[str, Any]]) -> str:
    """Items of one list as CSV, their fields as the header (empty for no items)."""
    if not items:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(items[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(items)
    return out.getvalue()


def evaluation_document(evaluation: Evaluation) -> dict[str, Any]:
    """The whole evaluation: verdicts, credits, chronic findings, consistency, sources and
    excluded periods; ``items`` when the drill-down was asked for."""
    listed = evaluation.tickets or evaluation.slices or evaluation.hours
    items = {"items": items_json(evaluation)} if listed else {}
    return {
        **evaluation_header(evaluation),
        "verdicts": [evaluation.record(v).to_json() for v in evaluation.verdicts],
        "credits": [
            {
                "window": owed.window,
                **credit_json(CreditRecord.of(owed.credit)),
                **_clipped(owed.credit),
            }
            for owed in evaluation.credits
        ],
        "chronic": [chronic_json(c) for c in evaluation.chronic],
        "consistency": [consistency_json(c) for c in evaluation.consistency],
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
        **items,
    }
