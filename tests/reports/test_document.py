"""The blocks of a rendered document: inline text as spans, facts that leave out what is
absent, and the sections in reading order."""

from __future__ import annotations

from accord.reports.document import Bullets, Code, Document, Facts, Section, Strong, spans


def test_inline_text_is_always_a_tuple_of_spans() -> None:
    assert spans("plain") == ("plain",)
    assert spans(Code("x > 1")) == (Code("x > 1"),)
    assert spans((Strong("Lead:"), " words")) == (Strong("Lead:"), " words")


def test_facts_leave_out_absent_values_but_keep_zero_like_text() -> None:
    facts = Facts.of(
        [
            ("Effective", "1 January 2026"),
            ("End", None),
            ("Notice", ""),
            ("Tiers", ()),
            ("Cap", "0"),
        ]
    )
    assert facts.rows == (("Effective", "1 January 2026"), ("Cap", "0"))


def test_bullets_keep_the_order_they_are_given() -> None:
    assert Bullets.of(iter(["b", "a", Code("c")])).items == ("b", "a", Code("c"))


def test_the_contents_are_the_summary_the_body_and_the_appendix_in_order() -> None:
    summary, body, appendix = Section("s", "Summary"), Section("b", "Body"), Section("a", "A")
    document = Document(
        title="T",
        subtitle="S",
        identity="id",
        summary=summary,
        body=(body,),
        appendix=appendix,
        footer="f",
    )
    assert [s.key for s in document.contents()] == ["s", "b", "a"]
    assert document.lang == "en"
