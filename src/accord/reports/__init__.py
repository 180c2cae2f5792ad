"""Rendering agreements and results to HTML, Markdown and PDF; deterministic output."""

__all__ = [
    "agreement",
    "appendix",
    "charts",
    "describe",
    "document",
    "evidence",
    "glossary",
    "language_doc",
    "markup",
    "operating_terms",
    "period",
    "phrasing",
    "rendering",
    "review",
    "service_terms",
    "summary",
    "verdicts",
    "view",
]
