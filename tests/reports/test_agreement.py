"""The rendered agreement: executive summary, body and appendix in Markdown, HTML and PDF."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from accord.reports.agreement import render_html, render_markdown, render_pdf
from tests.reports.examples import EXAMPLES, load


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_renders_as_markdown_and_html(path: Path) -> None:
    agreement = load(path)
    markdown, page = render_markdown(agreement), render_html(agreement)
    assert markdown.startswith(f"# {agreement.metadata.title}\n")
    assert markdown.endswith("\n")
    assert not markdown.endswith("\n\n")
    assert page.startswith("<!DOCTYPE html>")
    assert f"<h1>{html.escape(agreement.metadata.title)}</h1>" in page
    for document in (markdown, page):
        assert "Executive summary" in document
        assert "Appendix: technical definitions" in document


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_markdown_and_html_are_the_same_bytes_when_rendered_twice(path: Path) -> None:
    first, second = load(path), load(path)
    assert render_markdown(first).encode() == render_markdown(second).encode()
    assert render_html(first).encode() == render_html(second).encode()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_document_names_the_agreement_id_version_and_hash(path: Path) -> None:
    agreement = load(path)
    identity = (
        f"Agreement {agreement.metadata.id}, version {agreement.metadata.version}, "
        f"sha256 {agreement.version_hash()}"
    )
    markdown = render_markdown(agreement)
    assert markdown.rstrip().splitlines()[-1].startswith(identity)
    assert f"<footer>\n<p>{html.escape(identity)}" in render_html(agreement)


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_pdf_is_a4_and_holds_the_title_summary_and_a_target(path: Path) -> None:
    agreement = load(path)
    pdf = render_pdf(agreement)
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = re.sub(r"\s+", " ", _pdf_text(pdf))
    assert re.sub(r"\s+", " ", agreement.metadata.title) in text
    assert "Executive summary" in text
    assert f"Page 1 of {len(reader.pages)}" in text
    objective = agreement.objectives[0]
    assert objective.name in text
    assert str(objective.target).rstrip("%") in text
