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
from accord.store.incident_rows import (
    IncidentEventRow,
    IncidentNoticeRow,
    IncidentRow,
    IncidentSourceRow,
)
from accord.store.report_rows import ScheduledReportRow
from accord.store.review_rows import IncidentReviewRow, PreventiveActionRow
from accord.store.tables import EvaluationRunRow, MeasurementBatchRow, ObligationRow, VerdictRow
from tests.store.seed import AT

DAY = dt.timedelta(days=1)

__all__ = [
    "DAY",
    "amendment",
    "amendment_event",
    "batch",
    "dispute",
    "dispute_event",
    "dispute_evidence",
    "duty",
    "incident",
    "incident_event",
    "incident_notice",
    "incident_review",
    "incident_source",
    "preventive_action",
    "scheduled_report",
    "verdict",
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


def incident(agreement: int, state: str = "reported", **fields: Any) -> IncidentRow:
    values: dict[str, Any] = {
        "title": "t",
        "severity": "sev1",
        "security": False,
        "source": "manual",
        "party": "p",
        "ladder": "[]",
        "reported_at": AT,
        "reported_by": "u",
        **fields,
    }
    return IncidentRow(agreement_id=agreement, state=state, **values)


def incident_event(row: IncidentRow, kind: str, at: dt.datetime = AT) -> IncidentEventRow:
    return IncidentEventRow(
        incident_id=row.id,
        agreement_id=row.agreement_id,
        at=at,
        actor="u",
        kind=kind,
        text="",
        data="{}",
    )


def incident_notice(row: IncidentRow, notice: str, sent_at: dt.datetime) -> IncidentNoticeRow:
    return IncidentNoticeRow(
        incident_id=row.id,
        agreement_id=row.agreement_id,
        regime="dora",
        notice=notice,
        sent_at=sent_at,
        recipient="authority",
        content="",
        recorded_at=AT,
        recorded_by="u",
    )


def incident_source(agreement: int, name: str, secret_sha256: str) -> IncidentSourceRow:
    return IncidentSourceRow(
        agreement_id=agreement,
        name=name,
        kind="alertmanager",
        secret_sha256=secret_sha256,
        severity="sev2",
        created_at=AT,
        created_by="u",
    )


def incident_review(row: IncidentRow, state: str = "draft") -> IncidentReviewRow:
    return IncidentReviewRow(
        incident_id=row.id,
        agreement_id=row.agreement_id,
        state=state,
        summary="",
        customer_impact="{}",
        root_cause="",
        contributing_factors="[]",
        went_well="",
        went_wrong="",
        created_at=AT,
        created_by="u",
        updated_at=AT,
        updated_by="u",
    )


def preventive_action(
    row: IncidentRow, title: str, due_on: dt.date, state: str = "open"
) -> PreventiveActionRow:
    return PreventiveActionRow(
        incident_id=row.id,
        agreement_id=row.agreement_id,
        title=title,
        owner="o",
        party="p",
        due_on=due_on,
        state=state,
        created_at=AT,
        created_by="u",
    )


def duty(agreement: int, key: str, due: dt.datetime, **fields: Any) -> ObligationRow:
    """An open obligation falling due at ``due``."""
    values: dict[str, Any] = {
        "kind": "report",
        "party": "p",
        "subject": key,
        "trigger_at": due - DAY,
        "calendar": "24x7",
        "state": "open",
        "escalated_level": 0,
        "created_at": AT,
        **fields,
    }
    return ObligationRow(agreement_id=agreement, key=key, due_at=due, **values)


def batch(agreement: int, source: str, batch_id: str, **fields: Any) -> MeasurementBatchRow:
    """A pushed batch of one event, received at ``AT``, without a stored file unless given."""
    values: dict[str, Any] = {
        "events_received": 1,
        "events_accepted": 1,
        "events_duplicate": 0,
        "events_rejected": 0,
        "digest": "d",
        "received_at": AT,
        "received_by": "u",
        **fields,
    }
    return MeasurementBatchRow(agreement_id=agreement, source=source, batch_id=batch_id, **values)


def verdict(run: EvaluationRunRow, objective: str, window_label: str, **fields: Any) -> VerdictRow:
    """A verdict of the run, met, for the window starting at ``AT`` unless told otherwise."""
    values: dict[str, Any] = {
        "scope_key": "{}",
        "scope_label": "all",
        "window_start": AT,
        "window_end": AT + 31 * DAY,
        "outcome": "met",
        "evidence": "{}",
        "digest": "d",
        "recorded_at": AT,
        **fields,
    }
    return VerdictRow(
        agreement_id=run.agreement_id,
        version_id=run.version_id,
        run_id=run.id,
        objective=objective,
        window_label=window_label,
        **values,
    )
