"""Render an agreement as the document people sign: Markdown, HTML or PDF.

All three lay out the same ``Document`` (see ``accord.reports.view``) with the Jinja2
templates shipped in ``accord/reports/templates``. Markdown and HTML are deterministic:
the same agreement gives the same bytes. The PDF is the HTML printed by WeasyPrint on A4.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from functools import cache
from typing import Final

import jinja2

from accord.core.amendments import SignOff
from accord.core.model import Agreement
from accord.reports.markup import html_inline, md_cell, md_inline, md_lead, plain
from accord.reports.view import build_document

__all__ = ["render_html", "render_markdown", "render_pdf"]

_BLANK_LINES: Final = re.compile(r"\n{3,}")


@cache
def _environment(output: str) -> jinja2.Environment:
    """The template environment of one output format, built on first use."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("accord.reports", "templates"),
        autoescape=output == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["inline"] = html_inline if output == "html" else md_inline
    environment.filters["cell"] = html_inline if output == "html" else md_cell
    environment.filters["lead"] = html_inline if output == "html" else md_lead
    environment.filters["plain"] = plain
    return environment


def render_markdown(agreement: Agreement, signoff: Sequence[SignOff] = ()) -> str:
    """The agreement as Markdown (GitHub-flavoured tables)."""
    template = _environment("md").get_template("agreement.md.j2")
    text = template.render(doc=build_document(agreement, signoff))
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", lines).strip() + "\n"


def render_html(agreement: Agreement, signoff: Sequence[SignOff] = ()) -> str:
    """The agreement as one self-contained HTML page (styles included)."""
    template = _environment("html").get_template("agreement.html.j2")
    return template.render(doc=build_document(agreement, signoff))


def render_pdf(agreement: Agreement, signoff: Sequence[SignOff] = ()) -> bytes:
    """The agreement as an A4 PDF with page numbers, printed from the HTML."""
    with warnings.catch_warnings():
        # WeasyPrint warns at import when the system lacks an optional font-subsetting
        # library; the PDF is still correct, and the warning is not the user's to act on.
        warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
        import weasyprint  # noqa: PLC0415 (slow to import; only PDF output needs it)

    pdf = weasyprint.HTML(string=render_html(agreement, signoff)).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when no target is given
    return bytes(pdf)
