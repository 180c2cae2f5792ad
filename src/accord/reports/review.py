"""Governance review packs rendered: HTML with the rendered agreement's look, and PDF (the
HTML printed by WeasyPrint). Deterministic: the same ``ReviewPack`` gives the same HTML."""

from __future__ import annotations

import warnings

from accord.core.period_report import PeriodReport
from accord.core.review_pack import ReviewPack
from accord.reports.period import executive_summary, template_environment

__all__ = ["review_html", "review_pdf"]

#: Rating scale printed beside each commitment, for both sides to fill in.
SCALE = "1 (not met) … 5 (exemplary)"


def review_html(pack: ReviewPack) -> str:
    summary = executive_summary(
        PeriodReport(pack.agreement, pack.title, pack.period, pack.previous_period, [pack.results])
    )
    return (
        template_environment()
        .get_template("review.html.j2")
        .render(pack=pack, summary=summary, scale=SCALE)
    )


def review_pdf(pack: ReviewPack) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # WeasyPrint's dependencies warn on import
        import weasyprint  # noqa: PLC0415 (slow to import; only PDF output needs it)

        pdf: bytes = weasyprint.HTML(string=review_html(pack)).write_pdf()
    return pdf
