"""The rendered agreement: executive summary, body and appendix in Markdown, HTML and PDF."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markupsafe import escape
from pypdf import PdfReader

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.reports.agreement import render_html, render_markdown, render_pdf
from accord.reports.document import Block, Bullets, Facts, Inline, Paragraph, Section
from accord.reports.markup import html_inline, md_cell, md_lead
from accord.reports.view import build_document
from accord.services.agreements import load_valid

EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples").glob("*.yaml"))


def _load(path: Path) -> Agreement:
    agreement = load_valid(path).agreement
    assert agreement is not None
    return agreement


def _example(name: str) -> Agreement:
    return _load(next(path for path in EXAMPLES if path.stem == name))


def _parse(text: str) -> Agreement:
    loaded = load_agreement(text, "test.yaml")
    assert loaded.ok, loaded.problems
    assert loaded.agreement is not None
    return loaded.agreement


MINIMAL = """\
apiVersion: accord/v1
kind: Agreement
metadata: {id: minimal, title: Minimal agreement, version: "1"}
timezone: Europe/Berlin
parties:
  - {id: shop, name: Shop GmbH, role: consumer}
  - {id: vendor, name: Vendor Ltd, role: provider}
term:
  effective: 2026-01-01
  end: 2026-12-31
  renewal: {mode: manual, notice: 30 days}
  termination_notice: 3 months
"""


def _section(markdown: str, heading: str) -> str:
    """The text of one '## ' section of a Markdown document."""
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


@pytest.fixture(scope="module")
def payments() -> Agreement:
    return _example("payments-api")


@pytest.fixture(scope="module")
def payments_md(payments: Agreement) -> str:
    return render_markdown(payments)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_renders_as_markdown_and_html(path: Path) -> None:
    agreement = _load(path)
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
    first, second = _load(path), _load(path)
    assert render_markdown(first).encode() == render_markdown(second).encode()
    assert render_html(first).encode() == render_html(second).encode()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_document_names_the_agreement_id_version_and_hash(path: Path) -> None:
    agreement = _load(path)
    identity = (
        f"Agreement {agreement.metadata.id}, version {agreement.metadata.version}, "
        f"sha256 {agreement.version_hash()}"
    )
    markdown = render_markdown(agreement)
    assert markdown.rstrip().splitlines()[-1].startswith(identity)
    assert f"<footer>\n<p>{html.escape(identity)}" in render_html(agreement)


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
    agreement = _load(path)
    document = build_document(agreement)
    markdown, page = render_markdown(agreement), render_html(agreement)
    for section in document.contents():
        for layout, text in _inlines(section):
            assert html_inline(text) in page, text
            assert (md_lead(text) if layout == "lead" else md_cell(text)) in markdown, text


def test_executive_summary_states_each_promise_with_its_tolerance_band(payments_md: str) -> None:
    summary = _section(payments_md, "Executive summary")
    assert (
        "Authorisation availability of at least 99.95% each calendar month per region; "
        "99.90% to below 99.95% is a deviation, below 99.90% a breach" in summary
    )
    assert "Authorisations answered within 800 ms of at least 99% each calendar month; " in summary
    assert "98% to below 99% is a deviation, below 98% a breach." in summary
    assert (
        "99th percentile authorisation latency of at most 1200 milliseconds over any 7 "
        "consecutive days during Black Friday to Cyber Monday; above 1200 milliseconds up to "
        "1500 milliseconds is a deviation, above 1500 milliseconds a breach." in summary
    )


def test_executive_summary_states_credits_in_money_with_cap_chronic_clause_and_claim_window(
    payments_md: str,
) -> None:
    summary = _section(payments_md, "Executive summary")
    assert (
        "PayCo Payments Ltd credits Acme Retail GmbH a share of the monthly platform fee "
        "(40,000.00 EUR): 5% (2,000.00 EUR) below 99.95%, 15% (6,000.00 EUR) below 99.5% and "
        "30% (12,000.00 EUR) below 99%." in summary
    )
    assert "capped at 30% of the monthly platform fee (12,000.00 EUR) per window" in summary
    assert (
        "(3 breaches of Monthly authorisation availability within 6 consecutive windows): "
        "Acme may terminate without penalty on 30 days' notice." in summary
    )
    assert "must claim credits within 30 days" in summary
    assert "Service credits are the sole remedy" in summary


def test_executive_summary_names_parties_term_measurement_and_whom_to_call(
    payments_md: str,
) -> None:
    summary = _section(payments_md, "Executive summary")
    assert "binds Acme Retail GmbH (the consumer" in summary
    assert "PayCo Payments Ltd (the provider" in summary
    assert "takes effect on 1 January 2026 and runs for 24 months, until 31 December 2027" in (
        summary
    )
    assert "renews automatically for 12 months at a time" in summary
    assert "at least 90 days before the end of the term" in summary
    assert "the share of events where `status < 500` among events where `status <> 429`" in (
        summary
    )
    assert "NOC duty manager, PayCo Payments Ltd, noc@payco.example; escalates after 30 min" in (
        summary
    )
    assert "PayCo NOC (operations), noc@payco.example, +44 20 7946 0000." in summary


def test_body_follows_the_seed_structure_and_groups_objectives_by_journey_stage(
    payments_md: str,
) -> None:
    headings = re.findall(r"^## (.+)$", payments_md, flags=re.MULTILINE)
    assert headings == [
        "Executive summary",
        "1. Parties and term",
        "2. Customer journey",
        "3. Service levels",
        "4. Exclusions",
        "5. Remedies",
        "6. Responsibilities",
        "7. Incident management and escalation",
        "8. Support",
        "9. Qualitative commitments",
        "Appendix: technical definitions",
    ]
    levels = _section(payments_md, "3. Service levels")
    checkout, api = levels.index("### Checkout payment"), levels.index("### Authorisation API")
    assert checkout < levels.index("**Fast authorisations**") < api
    assert api < levels.index("**Monthly authorisation availability**")


def test_sections_absent_from_the_agreement_are_left_out() -> None:
    markdown = render_markdown(_parse(MINIMAL))
    headings = re.findall(r"^## (.+)$", markdown, flags=re.MULTILINE)
    assert headings == [
        "Executive summary",
        "1. Parties and term",
        "Appendix: technical definitions",
    ]
    assert "The agreement names no service credits or other remedies." in markdown
    assert "### What is promised" not in markdown


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_appendix_gives_every_indicators_formula_and_data_source(path: Path) -> None:
    agreement = _load(path)
    appendix = _section(render_markdown(agreement), "Appendix: technical definitions")
    page = render_html(agreement)
    for indicator in agreement.indicators:
        assert f"- **Formula:** `{indicator.formula()}`" in appendix
        assert f"<code>{escape(indicator.formula())}</code>" in page
        assert f"- **Data source:** `{indicator.source}`" in appendix
    for source in agreement.sources:
        for name, column in source.columns.items():
            assert f"| `{name}` | `{column.column}` |" in appendix


def test_appendix_holds_thresholds_credit_tiers_raci_and_escalation(payments_md: str) -> None:
    appendix = _section(payments_md, "Appendix: technical definitions")
    assert (
        "| Monthly authorisation availability | 99.95% | 99.90% | 99.95% or more | "
        "99.90% to below 99.95% | below 99.90% |" in appendix
    )
    assert "| below 99.5% | 15% of the monthly platform fee | 6,000.00 EUR |" in appendix
    assert "| Service element | Acme Retail GmbH | PayCo Payments Ltd |" in appendix
    assert "| Authorisation API availability and latency | C, I | R, A |" in appendix
    assert "| Well-formed API calls and retries with back-off | R, A | I |" in appendix
    assert "| 2 | PayCo Payments Ltd | Head of Operations | — | 2 hours |" in appendix


def test_glossary_defines_the_terms_the_document_uses(payments_md: str) -> None:
    glossary = payments_md[payments_md.index("### A.7 Glossary") :]
    for term in ("Met", "Deviation", "Breach", "Error budget", "Service credit", "Tolerance band"):
        assert f"- **{term}:**" in glossary
    assert "- **Business hours:**" in glossary
    assert "- **Time slice:**" not in glossary  # payments-api has no time-slice indicator


def test_text_that_looks_like_markup_is_shown_as_written() -> None:
    text = MINIMAL.replace("Minimal agreement", '"<b>Tiers</b> | *all* of_them_"') + (
        "commitments:\n"
        "  - {id: honest, party: vendor, behaviour: '# 1. Say <script>x</script> | be honest'}\n"
    )
    agreement = _parse(text)
    markdown, page = render_markdown(agreement), render_html(agreement)
    assert "<h1>&lt;b&gt;Tiers&lt;/b&gt; | *all* of_them_</h1>" in page
    assert "&lt;script&gt;" in page
    assert "<script>" not in page
    assert "# \\<b\\>Tiers\\</b\\> \\| \\*all\\* of_them\\_" in markdown
    assert "- **Vendor Ltd**: # 1. Say \\<script\\>x\\</script\\> \\| be honest" in markdown


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_pdf_is_a4_and_holds_the_title_summary_and_a_target(path: Path) -> None:
    agreement = _load(path)
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
