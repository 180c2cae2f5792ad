"""The counter inside the PromQL that SLO tools write."""

from __future__ import annotations

import pytest

from accord.connectors.openslo.promql import counter_selector


@pytest.mark.parametrize(
    ("query", "selector"),
    [
        ('http_requests_total{code="200"}', 'http_requests_total{code="200"}'),
        ("sum(rate(http_requests_total[5m]))", "http_requests_total"),
        ('sum by (region) (increase(x_total{a="b"}[{{.window}}]))', 'x_total{a="b"}'),
        ("sum(x_total) by (region)", "x_total"),
        ("rate(x_total[1m])", "x_total"),
    ],
)
def test_the_counter_inside_sum_and_rate_is_found(query: str, selector: str) -> None:
    assert counter_selector(query) == selector


@pytest.mark.parametrize(
    "query",
    [
        "sum(rate(a_total[5m])) - sum(rate(b_total[5m]))",
        "histogram_quantile(0.99, sum(rate(h_bucket[5m])) by (le))",
        "avg_over_time(probe_success[5m])",
    ],
)
def test_other_queries_have_no_counter_reading(query: str) -> None:
    assert counter_selector(query) is None
