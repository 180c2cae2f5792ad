"""Certifications and attestations a partner holds (ISO/IEC 27001, SOC 2 Type II, PCI DSS …),
checked against those the agreement requires of its processor (``data_handling.certifications``).

A certificate is valid from its first to its last day, both included, as dates in the
agreement's time zone. A required standard is kept on a day when a certificate for it is valid
that day. Standards are matched by name with the spelling differences people make removed:
case, punctuation, ``ISO/IEC`` against ``ISO``, and a remark in parentheses
(``PCI DSS v4.0 (card payments taken by phone)`` is ``PCI DSS v4.0``); a certificate for a
narrower name keeps a wider requirement (``SOC 2 Type II`` keeps ``SOC 2``), never the reverse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from accord.core.compliance.findings import Finding, FindingKind, Level

__all__ = [
    "EXPIRY_WARNING",
    "Certification",
    "CertificationStatus",
    "certification_findings",
    "standard_key",
]

#: How long before its last day a certificate is reported as expiring, unless asked otherwise.
EXPIRY_WARNING: Final = dt.timedelta(days=60)
_REMARK: Final = re.compile(r"\([^)]*\)")
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")
_DAY: Final = dt.timedelta(days=1)


class CertificationStatus(StrEnum):
    PENDING = "pending"
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Certification:
    """One certificate or attestation report: what, by whom, for what, from when to when."""

    standard: str
    issuer: str
    scope: str
    valid_from: dt.date
    valid_until: dt.date
    document_sha256: str

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_until

    def status(
        self, day: dt.date, warn_within: dt.timedelta = EXPIRY_WARNING
    ) -> CertificationStatus:
        if day < self.valid_from:
            return CertificationStatus.PENDING
        if day > self.valid_until:
            return CertificationStatus.EXPIRED
        if self.valid_until - day < warn_within:
            return CertificationStatus.EXPIRING
        return CertificationStatus.VALID


def standard_key(name: str) -> str:
    """A standard's name without spelling differences: ``ISO/IEC 27001`` → ``iso 27001``."""
    plain = _REMARK.sub(" ", name.lower()).replace("/iec", " ")
    return _NOT_WORD.sub(" ", plain).strip()


def _meets(held: str, required: str) -> bool:
    have, want = standard_key(held), standard_key(required)
    return have == want or have.startswith(want + " ")


def certification_findings(
    required: Sequence[str],
    held: Sequence[Certification],
    day: dt.date,
    warn_within: dt.timedelta = EXPIRY_WARNING,
) -> list[Finding]:
    """For each required standard: a finding when no certificate for it is valid on ``day``
    (expired when one was, missing when none ever was), a warning when the one valid now ends
    within ``warn_within`` and no later one takes over."""
    findings: list[Finding] = []
    for standard in required:
        mine = [c for c in held if _meets(c.standard, standard)]
        current = [c for c in mine if c.valid_on(day)]
        if not current:
            findings.append(_lapsed(standard, mine, day))
            continue
        last_day = _covered_until(mine, day)
        if last_day - day < warn_within:
            findings.append(
                Finding(
                    FindingKind.CERTIFICATION_EXPIRING,
                    Level.WARNING,
                    standard,
                    f"the {standard} certificate expires after {last_day.isoformat()} "
                    f"({(last_day - day).days} days); record the renewed one",
                )
            )
    return findings


def _lapsed(standard: str, mine: Sequence[Certification], day: dt.date) -> Finding:
    ended = [c for c in mine if c.valid_until < day]
    if ended:
        last = max(ended, key=lambda c: c.valid_until)
        return Finding(
            FindingKind.CERTIFICATION_EXPIRED,
            Level.FINDING,
            standard,
            f"the agreement requires {standard}; the last certificate "
            f"({last.issuer}) expired after {last.valid_until.isoformat()}",
        )
    message = f"the agreement requires {standard}; no certificate for it is recorded"
    pending = [c.valid_from for c in mine if c.valid_from > day]
    if pending:
        message = f"the agreement requires {standard}; one is valid only from {min(pending)}"
    return Finding(FindingKind.CERTIFICATION_MISSING, Level.FINDING, standard, message)


def _covered_until(mine: Sequence[Certification], day: dt.date) -> dt.date:
    """The last day of the unbroken run of valid certificates that covers ``day``."""
    end = max(c.valid_until for c in mine if c.valid_on(day))
    extended = True
    while extended:
        extended = False
        for certificate in mine:
            if certificate.valid_from <= end + _DAY and certificate.valid_until > end:
                end, extended = certificate.valid_until, True
    return end
