"""The reports behind the services' rendering port: what bootstrap wires in."""

from __future__ import annotations

from pathlib import Path

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.reports.agreement import render_html, render_markdown
from accord.reports.rendering import ReportRendering
from accord.services.rendering import Rendering

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def _agreement() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), EXAMPLE.name)
    assert loaded.agreement is not None
    return loaded.agreement


def test_it_implements_the_port() -> None:
    rendering: Rendering = ReportRendering()

    assert callable(rendering.explain)


def test_the_agreement_document_is_the_reports_own_bytes() -> None:
    agreement = _agreement()
    rendering = ReportRendering()

    assert rendering.agreement_document(agreement, "markdown") == (
        render_markdown(agreement).encode()
    )
    assert rendering.agreement_document(agreement, "html") == render_html(agreement).encode()


def test_the_signed_document_describes_a_throughput_indicator_in_words() -> None:
    markdown = ReportRendering().agreement_document(_agreement(), "markdown").decode()

    assert "at least 10,000 events arrived" in markdown
