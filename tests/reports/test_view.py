"""The view model: one document that every format lays out; a section the agreement has no
content for is left out, and Markdown and HTML say every piece of text the model holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.reports.agreement import render_html, render_markdown
from accord.reports.document import Block, Bullets, Facts, Inline, Paragraph, Section
from accord.reports.markup import html_inline, md_cell, md_lead
from accord.reports.view import build_document
from tests.reports.examples import EXAMPLES, MINIMAL, load, parse


def _inlines(section: Section) -> Iterator[tuple[str, Inline]]:
    """Every piece of text of a section with how it is laid out: 'lead' or 'cell'."""
    yield "cell", section.title
    for block in section.blocks:
        yield from _block_inlines(block)
    for child in section.sections:
        yield from _inlines(child)


def _block_inlines(block: Block) -> Iterator[tuple[str, Inline]]:
    if isinstance(block, Paragraph):
        yield "lead", block.text
    elif isinstance(block, Bullets):
        yield from (("lead", item) for item in block.items)
    elif isinstance(block, Facts):
        for label, value in block.rows:
            yield from (("cell", label), ("cell", value))
    else:
        yield from (("cell", header) for header in block.headers)
        for row in block.rows:
            yield from (("cell", value) for value in row)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_markdown_and_html_say_everything_the_document_model_says(path: Path) -> None:
    agreement = load(path)
    document = build_document(agreement)
    markdown, page = render_markdown(agreement), render_html(agreement)
    for section in document.contents():
        for layout, text in _inlines(section):
            assert html_inline(text) in page, text
            assert (md_lead(text) if layout == "lead" else md_cell(text)) in markdown, text


def test_sections_absent_from_the_agreement_are_left_out() -> None:
    markdown = render_markdown(parse(MINIMAL))
    headings = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
    assert headings == [
        "Executive summary",
        "1. Parties and term",
        "Appendix: technical definitions",
    ]
    assert "The agreement names no service credits or other remedies." in markdown
    assert "### What is promised" not in markdown
