"""The glossary defines the terms the document uses, and only those."""

from __future__ import annotations


def test_glossary_defines_the_terms_the_document_uses(payments_md: str) -> None:
    glossary = payments_md[payments_md.index("### A.7 Glossary") :]
    for term in ("Met", "Deviation", "Breach", "Error budget", "Service credit", "Tolerance band"):
        assert f"- **{term}:**" in glossary
    assert "- **Business hours:**" in glossary
    assert "- **Time slice:**" not in glossary  # payments-api has no time-slice indicator
