"""Prometheus sources as written: plain series selectors only (Accord adds up the raw
increases itself), one kind of series per source, a step from a second to an hour, and the
reserved columns each kind of series gives its rows."""

from __future__ import annotations

from typing import Any

import pytest

from accord.core.model.prometheus import (
    BUCKET_LABEL,
    GOOD_COLUMN,
    TIME_COLUMN,
    VALUE_COLUMN,
    PrometheusQuery,
    parse_selector,
)
from accord.core.units import Duration
from tests.core.model.refused import refusal

URL = "http://prometheus:9090"


def query(**fields: Any) -> PrometheusQuery:
    return PrometheusQuery.model_validate({"url": URL, **fields})


@pytest.mark.parametrize(
    ("text", "name", "shown"),
    [
        ("http_requests_total", "http_requests_total", "http_requests_total"),
        ("job:requests:rate5m", "job:requests:rate5m", "job:requests:rate5m"),
        ('up{job="checkout"}', "up", 'up{job="checkout"}'),
        ("up{ job = 'a' , }", "up", "up{job = 'a'}"),
        ('{__name__=~"http_.*",code!~"5.."}', None, '{__name__=~"http_.*",code!~"5.."}'),
        ('up{path="/a,b}", env!="dev"}', "up", 'up{path="/a,b}", env!="dev"}'),
        ('up{msg="say \\"hi\\""}', "up", 'up{msg="say \\"hi\\""}'),
        ("up{}", "up", "up"),
    ],
)
def test_a_plain_series_selector_is_read_with_its_matchers_as_written(
    text: str, name: str | None, shown: str
) -> None:
    selector = parse_selector(text)

    assert selector is not None
    assert (selector.name, str(selector)) == (name, shown)


@pytest.mark.parametrize(
    "text",
    [
        "rate(http_requests_total[5m])",
        "sum(up)",
        "up[5m]",
        "up offset 5m",
        'up{job="a"} + down',
        "up{job=checkout}",
        '{job="a"',
        "{}",
        "",
        "5xx_total",
    ],
)
def test_anything_but_a_plain_series_selector_is_not_one(text: str) -> None:
    assert parse_selector(text) is None


def test_a_histogram_selector_names_its_bucket_series() -> None:
    histogram = parse_selector('http_request_duration_seconds{job="checkout"}')
    bare = parse_selector("http_request_duration_seconds")

    assert histogram is not None
    assert bare is not None
    assert histogram.renamed("_bucket") == 'http_request_duration_seconds_bucket{job="checkout"}'
    assert bare.renamed("_bucket") == "http_request_duration_seconds_bucket{}"


@pytest.mark.parametrize(
    ("fields", "selected", "columns"),
    [
        ({"events": "requests_total"}, "events", {TIME_COLUMN}),
        ({"events": "requests_total", "good": "ok_total"}, "events", {TIME_COLUMN, GOOD_COLUMN}),
        ({"events": "requests_total", "bad": "err_total"}, "events", {TIME_COLUMN, GOOD_COLUMN}),
        ({"histogram": "latency_seconds"}, "histogram", {TIME_COLUMN, BUCKET_LABEL}),
        ({"samples": "probe_success"}, "samples", {TIME_COLUMN, VALUE_COLUMN}),
    ],
)
def test_each_kind_of_series_gives_its_rows_their_reserved_columns(
    fields: dict[str, str], selected: str, columns: set[str]
) -> None:
    found = query(**fields)

    assert (found.selected(), found.columns_provided()) == (selected, columns)


def test_increases_are_taken_per_minute_unless_told() -> None:
    assert query(events="requests_total").step == Duration.parse("1m")
    assert query(events="requests_total", step="1s").step == Duration.parse("1s")
    assert query(events="requests_total", step="1h").step == Duration.parse("1h")


@pytest.mark.parametrize("step", ["500ms", "61m", "1 business hours"])
def test_a_step_outside_a_second_to_an_hour_is_refused(step: str) -> None:
    where, message, _ = refusal(
        PrometheusQuery, {"url": URL, "events": "requests_total", "step": step}
    )
    assert (where, message) == (
        ("step",),
        f"step {Duration.parse(step)} must be a fixed length from 1s to 1h",
    )


@pytest.mark.parametrize("url", ["prometheus:9090", "ftp://prometheus", "http://", "https:// x"])
def test_the_server_is_an_http_url(url: str) -> None:
    assert refusal(PrometheusQuery, {"url": url, "events": "up"})[:2] == (
        ("url",),
        f"url {url!r} is not an http(s) URL",
    )


@pytest.mark.parametrize(
    ("fields", "found"),
    [
        ({}, "none"),
        ({"events": "requests_total", "samples": "up"}, "events, samples"),
        ({"histogram": "latency_seconds", "samples": "up"}, "histogram, samples"),
    ],
)
def test_a_source_selects_exactly_one_kind_of_series(fields: dict[str, str], found: str) -> None:
    assert refusal(PrometheusQuery, {"url": URL, **fields})[1] == (
        "a Prometheus source selects one of 'events' (counters), 'histogram' or "
        f"'samples' (gauges); found {found}"
    )


def test_good_or_bad_counts_a_subset_of_events_and_only_one_of_them() -> None:
    assert refusal(PrometheusQuery, {"url": URL, "samples": "up", "good": "ok_total"})[1] == (
        "'good' and 'bad' count a subset of 'events' counters"
    )
    both = {"url": URL, "events": "all_total", "good": "ok_total", "bad": "err_total"}
    assert refusal(PrometheusQuery, both)[:2] == (("bad",), "give 'good' or 'bad', not both")


def test_a_function_around_a_series_is_refused_where_it_is_written() -> None:
    where, message, hint = refusal(
        PrometheusQuery, {"url": URL, "events": "all_total", "good": "sum(ok_total)"}
    )

    assert (where, message) == (("good",), "good 'sum(ok_total)' is not a series selector")
    assert "rate() or sum() are not needed" in hint


def test_a_histogram_needs_its_name_not_only_matchers() -> None:
    assert refusal(PrometheusQuery, {"url": URL, "histogram": '{job="checkout"}'})[:2] == (
        ("histogram",),
        "histogram '{job=\"checkout\"}' needs the histogram's name",
    )
