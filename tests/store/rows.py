"""Rows for the store's tests, every required column filled: the test names what it is
about (agreement, state, instant, key) and takes the rest as given."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.store.governance_rows import (
    AmendmentEventRow,
    AmendmentRow,
    DisputeEventRow,
    DisputeEvidenceRow,
    DisputeRow,
)
from accord.store.report_rows import ScheduledReportRow
from tests.store.seed import AT

__all__ = [
    "amendment",
    "amendment_event",
    "dispute",
    "dispute_event",
    "dispute_evidence",
    "scheduled_report",
]


def scheduled_report(organisation: int, scope: str, period: str) -> ScheduledReportRow:
    return ScheduledReportRow(
        organisation_id=organisation,
        scope=scope,
        period=period,
        report_hash="0" * 64,
        files='{"report.json": "b"}',
        generated_at=AT,
        emails=1,
    )


def amendment(agreement: int, state: str = "proposed", **fields: Any) -> AmendmentRow:
    values: dict[str, Any] = {
        "summary": "s",
        "text": "",
        "version_hash": "h",
        "label": "2",
        "base_version": 1,
        "party": "p",
        "proposed_by": "u",
        "proposed_at": AT,
        "effective_at": AT,
        "at_earliest": True,
        **fields,
    }
    return AmendmentRow(agreement_id=agreement, state=state, **values)


def amendment_event(row: AmendmentRow, kind: str, at: dt.datetime = AT) -> AmendmentEventRow:
    return AmendmentEventRow(
        amendment_id=row.id, agreement_id=row.agreement_id, kind=kind, party="p", actor="u", at=at
    )


def dispute(agreement: int, state: str = "open", **fields: Any) -> DisputeRow:
    values: dict[str, Any] = {
        "subject": "credit",
        "scheme": "uptime",
        "window_label": "2026-10",
        "claim": "c",
        "party": "p",
        "raised_by": "u",
        "raised_at": AT,
        "ladder": "{}",
        "step": 1,
        **fields,
    }
    return DisputeRow(agreement_id=agreement, state=state, **values)


def dispute_event(row: DisputeRow, kind: str, at: dt.datetime = AT) -> DisputeEventRow:
    return DisputeEventRow(
        dispute_id=row.id, agreement_id=row.agreement_id, kind=kind, actor="u", at=at, text=""
    )


def dispute_evidence(row: DisputeRow, reference: str) -> DisputeEvidenceRow:
    return DisputeEvidenceRow(
        dispute_id=row.id,
        agreement_id=row.agreement_id,
        kind="link",
        reference=reference,
        party="p",
        added_by="u",
        added_at=AT,
    )
