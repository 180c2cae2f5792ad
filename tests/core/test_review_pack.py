"""A governance review pack as plain values: what the service built is what the renderer
lays out, unchanged, and equal facts make equal packs (so the same facts give the same
document); before the review meets, it records no ratings and no decisions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from accord.core.compliance.findings import Finding, FindingKind, Level
from accord.core.period_report import AgreementResults
from accord.core.review_pack import (
    CommitmentToRate,
    DecisionLine,
    DutyLine,
    RatingLine,
    ReviewPack,
    TermFacts,
)

GENERATED_AT = dt.datetime(2026, 10, 1, 7, 30, tzinfo=dt.UTC)


def pack() -> ReviewPack:
    return ReviewPack(
        agreement="acme-bravo",
        title="Acme and Bravo hosting",
        version="3",
        period="2026-Q3",
        previous_period="2026-Q2",
        cadence="quarterly",
        participants=("Acme GmbH", "Bravo AG"),
        results=AgreementResults("acme-bravo", "Acme and Bravo hosting", ["Bravo AG"]),
        findings=(
            Finding(
                FindingKind.CERTIFICATION_EXPIRING,
                Level.WARNING,
                "ISO 27001",
                "ISO 27001 ends 2026-10-20 (19 days)",
            ),
        ),
        term=TermFacts(
            effective=dt.date(2026, 1, 1),
            renewal="auto",
            initial_term_end=dt.date(2027, 12, 31),
            last_day=None,
            decisions=(),
        ),
        obligations=(
            DutyLine(
                dt.datetime(2026, 10, 15, 15, tzinfo=dt.UTC),
                "governance_review",
                "bravo",
                "2026-Q3",
                "open",
            ),
        ),
        commitments=(CommitmentToRate("cooperation", "bravo", "Answers within a day.", None),),
        generated_at=GENERATED_AT,
    )


def test_before_the_review_meets_the_pack_records_no_ratings_or_decisions() -> None:
    assert (pack().ratings, pack().decisions) == ((), ())


def test_equal_facts_make_equal_packs_and_one_rating_more_another() -> None:
    rating = RatingLine("cooperation", "acme", 4, "Quick answers.", "anna@acme.example")
    decision = DecisionLine("Renew the certificate.", "bravo", dt.date(2026, 10, 15), "anna")

    rated = dataclasses.replace(pack(), ratings=(rating,), decisions=(decision,))

    assert pack() == pack()
    assert rated != pack()
    assert rated.ratings == (rating,)


@pytest.mark.parametrize(
    ("part", "field"),
    [
        (pack(), "findings"),
        (pack().term, "last_day"),
        (pack().obligations[0], "state"),
        (pack().commitments[0], "evidence"),
    ],
)
def test_no_part_of_a_pack_can_be_changed_under_its_renderer(part: object, field: str) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(part, field, None)
