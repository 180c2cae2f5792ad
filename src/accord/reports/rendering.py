"""The reports behind the services' ``Rendering`` port (``accord.services.ports``), wired by
the composition root: explanations of verdict records, evidence READMEs, agreement
documents and period reports."""

from __future__ import annotations

from collections.abc import Sequence

from accord.core.amendments import SignOff
from accord.core.model import Agreement
from accord.core.period_report import PeriodReport
from accord.core.records import VerdictRecord
from accord.reports.agreement import render_html, render_markdown, render_pdf
from accord.reports.evidence import readme_text
from accord.reports.period import executive_summary, render_files
from accord.reports.verdicts import explain_verdict
from accord.services.rendering import DocumentFormat, ReadmeFacts, RenderedReport

__all__ = ["ReportRendering"]


class ReportRendering:
    """Renders with ``accord.reports``: plain text, Markdown, HTML and PDF."""

    def explain(self, agreement: Agreement, record: VerdictRecord) -> str:
        return explain_verdict(agreement, record)

    def evidence_readme(self, facts: ReadmeFacts) -> str:
        return readme_text(facts)

    def agreement_document(
        self, agreement: Agreement, output: DocumentFormat, signoff: Sequence[SignOff] = ()
    ) -> bytes:
        if output == "pdf":
            return render_pdf(agreement, signoff)
        render = render_html if output == "html" else render_markdown
        return render(agreement, signoff).encode()

    def period_report(self, report: PeriodReport) -> RenderedReport:
        return RenderedReport(render_files(report), executive_summary(report))
