"""The appendix of technical definitions: formulas, data sources and column mappings,
thresholds, credit tiers, the RACI matrix and the escalation ladders."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

from accord.reports.agreement import render_html, render_markdown
from tests.reports.examples import EXAMPLES, load, section


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_appendix_gives_every_indicators_formula_and_data_source(path: Path) -> None:
    agreement = load(path)
    appendix = section(render_markdown(agreement), "Appendix: technical definitions")
    page = render_html(agreement)
    for indicator in agreement.indicators:
        assert f"- **Formula:** `{indicator.formula()}`" in appendix
        assert f"<code>{escape(indicator.formula())}</code>" in page
        assert f"- **Data source:** `{indicator.source}`" in appendix
    for source in agreement.sources:
        for name, column in source.columns.items():
            assert f"| `{name}` | `{column.column}` |" in appendix


def test_appendix_holds_thresholds_credit_tiers_raci_and_escalation(payments_md: str) -> None:
    appendix = section(payments_md, "Appendix: technical definitions")
    assert (
        "| Monthly authorisation availability | 99.95% | 99.90% | 99.95% or more | "
        "99.90% to below 99.95% | below 99.90% |" in appendix
    )
    assert "| below 99.5% | 15% of the monthly platform fee | 6,000.00 EUR |" in appendix
    assert "| Service element | Acme Retail GmbH | PayCo Payments Ltd |" in appendix
    assert "| Authorisation API availability and latency | C, I | R, A |" in appendix
    assert "| Well-formed API calls and retries with back-off | R, A | I |" in appendix
    assert "| 2 | PayCo Payments Ltd | Head of Operations | — | 2 hours |" in appendix
