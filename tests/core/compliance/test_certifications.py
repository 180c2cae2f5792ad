"""Required certifications against the certificates held, on a day."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.core.compliance.certifications import (
    Certification,
    CertificationStatus,
    certification_findings,
    standard_key,
)
from accord.core.compliance.findings import FindingKind, Level

DAY = dt.date(2026, 11, 3)


def cert(standard: str, valid_from: str, valid_until: str) -> Certification:
    return Certification(
        standard=standard,
        issuer="TÜV Süd",
        scope="hosting platform",
        valid_from=dt.date.fromisoformat(valid_from),
        valid_until=dt.date.fromisoformat(valid_until),
        document_sha256="0" * 64,
    )


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("ISO/IEC 27001", "iso 27001"),
        ("iso 27001", "iso 27001"),
        ("PCI DSS v4.0 (card payments taken by phone)", "pci dss v4 0"),
        ("SOC 2 Type II", "soc 2 type ii"),
    ],
)
def test_standards_are_matched_without_spelling_differences(written: str, key: str) -> None:
    assert standard_key(written) == key


def test_a_valid_certificate_keeps_the_requirement_without_findings() -> None:
    held = [cert("ISO 27001", "2026-01-01", "2028-12-31")]
    assert certification_findings(["ISO/IEC 27001"], held, DAY) == []


def test_an_expired_required_certificate_is_a_finding_naming_its_last_day() -> None:
    held = [cert("ISO/IEC 27001", "2023-01-01", "2026-11-02")]
    (finding,) = certification_findings(["ISO/IEC 27001"], held, DAY)
    assert (finding.kind, finding.level) == (FindingKind.CERTIFICATION_EXPIRED, Level.FINDING)
    assert "expired after 2026-11-02" in finding.message


def test_the_last_day_is_still_valid() -> None:
    held = [cert("ISO/IEC 27001", "2023-01-01", "2026-11-03")]
    (finding,) = certification_findings(["ISO/IEC 27001"], held, DAY)
    assert finding.kind is FindingKind.CERTIFICATION_EXPIRING
    assert "(0 days)" in finding.message


def test_a_required_standard_never_certified_is_missing() -> None:
    held = [cert("SOC 2 Type II", "2026-01-01", "2026-12-31")]
    (finding,) = certification_findings(["PCI DSS v4.0"], held, DAY)
    assert finding.kind is FindingKind.CERTIFICATION_MISSING


def test_a_certificate_valid_only_later_does_not_keep_it_today() -> None:
    held = [cert("PCI DSS v4.0", "2026-12-01", "2027-11-30")]
    (finding,) = certification_findings(["PCI DSS v4.0 (card payments)"], held, DAY)
    assert finding.kind is FindingKind.CERTIFICATION_MISSING
    assert "valid only from 2026-12-01" in finding.message


def test_expiry_within_the_warning_period_is_a_warning() -> None:
    held = [cert("SOC 2 Type II", "2025-12-01", "2026-12-01")]
    (finding,) = certification_findings(["SOC 2"], held, DAY, dt.timedelta(days=60))
    assert (finding.kind, finding.level) == (FindingKind.CERTIFICATION_EXPIRING, Level.WARNING)
    assert "(28 days)" in finding.message
    assert certification_findings(["SOC 2"], held, DAY, dt.timedelta(days=28)) == []


def test_a_renewal_recorded_in_time_silences_the_warning() -> None:
    held = [
        cert("SOC 2 Type II", "2025-12-01", "2026-12-01"),
        cert("SOC 2 Type II", "2026-12-02", "2027-12-01"),
    ]
    assert certification_findings(["SOC 2"], held, DAY) == []


def test_a_wider_certificate_does_not_keep_a_narrower_requirement() -> None:
    held = [cert("SOC 2", "2026-01-01", "2027-12-31")]
    (finding,) = certification_findings(["SOC 2 Type II"], held, DAY)
    assert finding.kind is FindingKind.CERTIFICATION_MISSING


def test_status_on_a_day() -> None:
    certificate = cert("ISO 27001", "2026-01-01", "2026-12-01")
    assert certificate.status(dt.date(2025, 12, 31)) is CertificationStatus.PENDING
    assert certificate.status(dt.date(2026, 6, 1)) is CertificationStatus.VALID
    assert certificate.status(DAY) is CertificationStatus.EXPIRING
    assert certificate.status(dt.date(2026, 12, 2)) is CertificationStatus.EXPIRED
