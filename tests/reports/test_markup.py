"""Inline text in Markdown and HTML: what looks like markup is shown as written."""

from __future__ import annotations

from accord.reports.agreement import render_html, render_markdown
from tests.reports.examples import MINIMAL, parse


def test_text_that_looks_like_markup_is_shown_as_written() -> None:
    text = MINIMAL.replace("Minimal agreement", '"<b>Tiers</b> | *all* of_them_"') + (
        "commitments:\n"
        "  - {id: honest, party: vendor, behaviour: '# 1. Say <script>x</script> | be honest'}\n"
    )
    agreement = parse(text)
    markdown, page = render_markdown(agreement), render_html(agreement)
    assert "<h1>&lt;b&gt;Tiers&lt;/b&gt; | *all* of_them_</h1>" in page
    assert "&lt;script&gt;" in page
    assert "<script>" not in page
    assert "# \\<b\\>Tiers\\</b\\> \\| \\*all\\* of_them\\_" in markdown
    assert "- **Vendor Ltd**: # 1. Say \\<script\\>x\\</script\\> \\| be honest" in markdown
