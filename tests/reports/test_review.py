"""The review pack as HTML and PDF: the sections a vendor manager sends, in the agreement's
look; the PDF's pages are converted to images to check that they render."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from accord.core.compliance.findings import Finding, FindingKind, Level
from accord.core.period_report import AgreementResults, VerdictLine
from accord.core.review_pack import CommitmentToRate, DutyLine, ReviewPack, TermFacts
from accord.reports.review import review_html, review_pdf

AT = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)


def pack() -> ReviewPack:
    results = AgreementResults(
        "cloud-hosting",
        "Cloud hosting",
        ["Stratus"],
        verdicts=[
            VerdictLine("uptime", "all", "2026-10", "met", "99.97%", "99.95%", Decimal("1")),
            VerdictLine("uptime", "all", "2026-11", "breach", "99.12%", "99.95%", Decimal("0.98")),
        ],
        outcomes={"met": 1, "breach": 1},
        credits={"EUR": Decimal("1250.00")},
    )
    return ReviewPack(
        agreement="cloud-hosting",
        title="Cloud hosting",
        version="3.0",
        period="2026-Q4",
        previous_period="2026-Q3",
        cadence="quarterly",
        participants=("Lumen Bank", "Stratus"),
        results=results,
        findings=(
            Finding(
                FindingKind.CERTIFICATION_EXPIRED,
                Level.FINDING,
                "SOC 2 Type II",
                "SOC 2 Type II is required; the last certificate expired after 2026-12-31",
            ),
        ),
        term=TermFacts(
            dt.date(2026, 1, 1),
            "auto",
            dt.date(2028, 12, 31),
            None,
            ("2027-01-02 renegotiate by lumen",),
        ),
        obligations=(DutyLine(AT, "renewal_notice", "lumen", "last day to give notice", "open"),),
        commitments=(
            CommitmentToRate("status-page", "Stratus", "Post every sev1 within 10 minutes.", None),
        ),
        generated_at=AT,
    )


def test_the_html_has_every_section_and_the_numbers() -> None:
    html = review_html(pack())
    for heading in (
        "Governance review 2026-Q4",
        "Performance in 2026-Q4",
        "Compliance",
        "Term, renewal and notice",
        "Open obligations",
        "Scorecard: commitments to rate",
        "Minutes and decisions",
    ):
        assert heading in html
    assert "99.12%" in html
    assert "1,250.00" in html
    assert "SOC 2 Type II" in html
    assert "Lumen Bank, Stratus" in html
    assert "renews until notice is given" in html
    assert review_html(pack()) == html


def test_the_pdf_renders_pages_with_the_sections(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("no poppler-utils (pdftoppm, pdftotext); .ci/run installs them")
        pytest.skip("poppler-utils not installed (apt-get install poppler-utils)")
    document = tmp_path / "review.pdf"
    document.write_bytes(review_pdf(pack()))
    text = subprocess.run(
        ["pdftotext", "-layout", str(document), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Governance review 2026-Q4" in text
    assert "Scorecard: commitments to rate" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(document), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    assert all(page.stat().st_size > 2000 for page in pages)
