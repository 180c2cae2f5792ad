"""What a governance review pack says, as plain values: the agreement's results for the
period (``accord.core.period_report``), the compliance findings, the term and its notice
dates, the open obligations, and the qualitative commitments the participants rate.
Built by ``accord.services.reviews``, rendered by ``accord.reports.review``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accord.core.compliance.findings import Finding
from accord.core.period_report import AgreementResults

__all__ = ["CommitmentToRate", "DecisionLine", "DutyLine", "RatingLine", "ReviewPack", "TermFacts"]


@dataclass(frozen=True)
class TermFacts:
    effective: dt.date
    renewal: str
    initial_term_end: dt.date | None
    #: ``None`` while the agreement renews indefinitely.
    last_day: dt.date | None
    #: One line per renewal decision: ``2027-06-01 terminate by bravo (term ending …)``.
    decisions: tuple[str, ...]


@dataclass(frozen=True)
class DutyLine:
    due_at: dt.datetime
    kind: str
    party: str
    subject: str
    state: str


@dataclass(frozen=True)
class CommitmentToRate:
    id: str
    party: str
    behaviour: str
    evidence: str | None


@dataclass(frozen=True)
class RatingLine:
    """A party's rating of a commitment (1 not met … 5 exemplary), with its comment."""

    commitment: str
    party: str
    rating: int
    comment: str
    recorded_by: str


@dataclass(frozen=True)
class DecisionLine:
    text: str
    owner: str | None
    due_on: dt.date | None
    recorded_by: str


@dataclass(frozen=True)
class ReviewPack:
    agreement: str
    title: str
    version: str
    period: str
    previous_period: str
    #: e.g. ``quarterly``; ``None`` when the agreement declares no governance.
    cadence: str | None
    participants: tuple[str, ...]
    results: AgreementResults
    findings: tuple[Finding, ...]
    term: TermFacts
    obligations: tuple[DutyLine, ...]
    commitments: tuple[CommitmentToRate, ...]
    generated_at: dt.datetime
    #: What the review recorded for the period so far (empty before it meets).
    ratings: tuple[RatingLine, ...] = ()
    decisions: tuple[DecisionLine, ...] = ()
