"""Working together as written: one accountable party per responsibility, reports with a
cadence, formats and recipients, change types and freezes, and dispute steps in order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from accord.core.model.governance import (
    ChangeFreeze,
    ChangeManagement,
    DisputeResolution,
    Governance,
    Report,
    Responsibility,
)
from accord.core.units import Duration
from tests.core.model.refused import refusal

CHANGES = {"notice": "30 days", "approval": ["shop"], "rollback": "Within 1 hour."}


def test_a_responsibility_has_one_accountable_party_and_someone_doing_the_work() -> None:
    row = {"element": "API availability", "responsible": ["payco"], "accountable": "payco"}

    assert Responsibility.model_validate(row).consulted == []
    assert refusal(Responsibility, {**row, "accountable": ["payco", "shop"]})[0] == ("accountable",)
    assert refusal(Responsibility, {**row, "responsible": []})[0] == ("responsible",)


def test_a_report_has_a_cadence_a_format_and_a_recipient() -> None:
    report = {"name": "Monthly SLA report", "schedule": "monthly", "formats": ["pdf"]}

    assert Report.model_validate({**report, "recipients": ["shop"]}).formats == ["pdf"]
    assert refusal(Report, {**report, "recipients": []})[0] == ("recipients",)
    assert refusal(Report, {**report, "recipients": ["shop"], "formats": []})[0] == ("formats",)
    assert refusal(Report, {**report, "recipients": ["shop"], "formats": ["docx"]})[0] == (
        "formats",
        0,
    )
    assert refusal(Report, {**report, "recipients": ["shop"], "schedule": "daily"})[0] == (
        "schedule",
    )


def test_governance_review_within_defaults_to_none_and_reads_business_time() -> None:
    written: dict[str, Any] = {
        "review_cadence": "quarterly",
        "participants": ["shop", "payco"],
        "data_sharing": "Monthly CSV export.",
    }

    assert Governance.model_validate(written).review_within is None
    counted = Governance.model_validate(
        {**written, "review_within": "10 business days", "calendar": "office"}
    )
    assert counted.review_within == Duration.parse("10 business days")
    assert counted.review_within.business
    assert refusal(Governance, {**written, "review_cadence": "weekly"})[0] == ("review_cadence",)


def test_a_change_type_without_approvals_falls_back_to_change_management() -> None:
    written = {**CHANGES, "change_types": [{"id": "data-location", "notice": "90 days"}]}
    changes = ChangeManagement.model_validate(written)

    (kind,) = changes.change_types
    assert kind.approval is None  # None: the approval of change management applies
    assert kind.notice == Duration.parse("90 days")
    assert changes.freezes == []


def test_a_freeze_covers_inclusive_local_dates_of_every_change_unless_narrowed() -> None:
    freeze = ChangeFreeze.model_validate(
        {"name": "Year-end peak", "dates": [{"from": "2026-12-15", "to": "2027-01-05"}]}
    )

    assert freeze.change_types == []  # every change
    (dates,) = freeze.dates
    assert (dates.start, dates.end) == (dt.date(2026, 12, 15), dt.date(2027, 1, 5))
    assert refusal(ChangeFreeze, {"name": "Peak", "dates": []})[0] == ("dates",)


def test_a_dispute_needs_a_step_and_relies_on_the_usual_evidence_unless_told() -> None:
    step = {"name": "Operational review", "within": "10 days", "decided_by": "Service managers"}
    disputes = DisputeResolution.model_validate({"raise_within": "30 days", "steps": [step]})

    assert disputes.evidence.startswith("incident reports, uptime dashboards")
    assert disputes.mediation is None
    assert refusal(DisputeResolution, {"raise_within": "30 days", "steps": []})[0] == ("steps",)
    assert (
        refusal(DisputeResolution, {"raise_within": "30", "steps": [step]})[1]
        == "duration '30' has no unit"
    )
