"""The indicator kinds: what each accepts and refuses, what its value is (a share, a time, a
number) and which way is better, the columns it reads, and its formula in the words the
signed document, the verdict's explanation and the engine's query share."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from accord.core.model.measurement import (
    BusinessDurationIndicator,
    BusinessGaugeIndicator,
    Direction,
    FirstContactResolutionIndicator,
    Indicator,
    PercentileIndicator,
    RatioIndicator,
    SurveyScoreIndicator,
    ThroughputIndicator,
    TimesliceIndicator,
    ValueKind,
)
from accord.core.units import Duration
from tests.core.model.refused import refusal

INDICATORS: TypeAdapter[Any] = TypeAdapter(Indicator)


def written(kind: str, **fields: Any) -> dict[str, Any]:
    return {"id": "ind", "name": "Indicator", "source": "data", "kind": kind, **fields}


def indicator(kind: str, **fields: Any) -> Any:
    return INDICATORS.validate_python(written(kind, **fields))


def test_the_kind_chooses_the_model_an_indicator_is_read_by() -> None:
    assert type(indicator("ratio", good="status < 500")) is RatioIndicator
    assert type(indicator("percentile", measure="latency", percentile=99)) is PercentileIndicator
    with pytest.raises(ValidationError) as error:
        indicator("ratoi", good="status < 500")
    assert error.value.errors()[0]["type"] == "union_tag_invalid"


def test_a_ratio_reads_the_columns_of_good_valid_and_where() -> None:
    ratio = indicator("ratio", good="status < 500", valid="method <> 'OPTIONS'", where="env = 'p'")

    assert ratio.columns_used() == {"status", "method", "env"}
    assert ratio.formula() == (
        "count of events where status < 500 / count of events where method <> 'OPTIONS'"
    )
    assert indicator("ratio", good="status < 400").formula() == (
        "count of events where status < 400 / count of events"
    )


def test_a_threshold_counts_the_boundary_as_good_unless_told_otherwise() -> None:
    at_most = indicator("threshold", measure="latency", threshold="300ms")
    below = indicator("threshold", measure="latency", threshold="300ms", inclusive=False)

    assert at_most.formula() == (
        "count of events with latency ≤ 300 milliseconds / count of events"
    )
    assert below.formula() == "count of events with latency < 300 milliseconds / count of events"
    assert at_most.columns_used() == {"latency"}


def test_a_threshold_is_a_duration_for_times_and_a_number_otherwise() -> None:
    assert indicator("threshold", measure="latency", threshold="300ms").threshold == (
        Duration.parse("300 milliseconds")
    )
    number = indicator("threshold", measure="basket", threshold=4.5).threshold
    assert (type(number), number) == (Decimal, Decimal("4.5"))


@pytest.mark.parametrize("percentile", [0, 100, -1, 100.1])
def test_a_percentile_lies_strictly_between_0_and_100(percentile: float) -> None:
    where, _, _ = refusal(
        PercentileIndicator, written("percentile", measure="l", percentile=percentile)
    )
    assert where == ("percentile",)


def test_a_percentile_is_a_time_where_lower_is_better_by_nearest_rank_unless_approximate() -> None:
    p99 = indicator("percentile", measure="latency", percentile="99.9")
    sketch = indicator("percentile", measure="latency", percentile=99, method="approximate")

    assert (p99.value_kind, p99.direction()) == (ValueKind.DURATION, Direction.LOWER_IS_BETTER)
    assert p99.formula() == (
        "p99.9 of latency, nearest rank: the ⌈99.9/100 × n⌉-th smallest of the n values"
    )
    assert "t-digest" in sketch.formula()
    assert "t-digest" not in p99.formula()


TIMESLICE = {"good": "status < 500", "slice_target": "95%", "no_traffic": "excluded"}


@pytest.mark.parametrize("length", ["1s", "1m", "1.5s", "1 day"])
def test_a_time_slice_is_a_fixed_length_of_a_second_or_more(length: str) -> None:
    assert indicator("timeslice", slice=length, **TIMESLICE).slice == Duration.parse(length)


@pytest.mark.parametrize(
    ("length", "shown"),
    [
        ("500ms", "500 milliseconds"),
        ("1 business hours", "1 business hour"),
        ("1 month", "1 month"),
    ],
)
def test_a_slice_shorter_than_a_second_or_of_no_fixed_length_is_refused(
    length: str, shown: str
) -> None:
    assert refusal(TimesliceIndicator, written("timeslice", slice=length, **TIMESLICE)) == (
        ("slice",),
        f"slice {shown} must be a fixed length of 1s or more",
        "write e.g. slice: 1m",
    )


def test_a_timeslice_counts_slices_and_says_how_a_quiet_slice_counts() -> None:
    uptime = indicator("timeslice", slice="5m", **TIMESLICE)

    assert uptime.counts == "slices"
    assert uptime.formula() == (
        "good 5 minutes slices / counted slices; a slice is good when at least 95% of its "
        "events satisfy status < 500; slices without traffic count as excluded"
    )


BUSINESS = {"start": "opened_at", "end": "first_response_at", "calendar": "office"}


def test_within_needs_a_threshold_and_percentile_needs_its_percentile() -> None:
    assert refusal(
        BusinessDurationIndicator, written("business_duration", statistic="within", **BUSINESS)
    ) == (
        (),
        "statistic 'within' needs a 'threshold'",
        "add e.g. threshold: 4 business hours",
    )
    assert refusal(
        BusinessDurationIndicator, written("business_duration", statistic="percentile", **BUSINESS)
    )[1] == ("statistic 'percentile' needs 'percentile'")


@pytest.mark.parametrize(
    ("statistic", "extra", "value_kind", "direction"),
    [
        ("within", {"threshold": "4 business hours"}, ValueKind.RATIO, Direction.HIGHER_IS_BETTER),
        ("mean", {}, ValueKind.DURATION, Direction.LOWER_IS_BETTER),
        ("median", {}, ValueKind.DURATION, Direction.LOWER_IS_BETTER),
        ("percentile", {"percentile": 90}, ValueKind.DURATION, Direction.LOWER_IS_BETTER),
    ],
)
def test_a_business_duration_is_a_share_within_a_threshold_or_else_a_time(
    statistic: str, extra: dict[str, Any], value_kind: ValueKind, direction: Direction
) -> None:
    found = indicator("business_duration", statistic=statistic, **BUSINESS, **extra)

    assert (found.value_kind, found.direction()) == (value_kind, direction)


def test_a_business_duration_counts_open_tickets_as_late_and_names_its_pauses() -> None:
    paused = indicator(
        "business_duration",
        statistic="within",
        threshold="4 business hours",
        pauses={"source": "changes", "states": ["waiting_on_customer", "on_hold"]},
        **BUSINESS,
    )

    assert paused.unfinished == "count_as_late"
    assert paused.pauses.status == "status"
    assert paused.columns_used() == {"opened_at", "first_response_at"}
    assert paused.formula() == (
        "share of tickets whose business time on calendar office from opened_at to "
        "first_response_at, paused while status is waiting_on_customer, on_hold is "
        "≤ 4 business hours"
    )
    assert indicator(
        "business_duration", statistic="percentile", percentile=90, **BUSINESS
    ).formula() == ("p90 of business time on calendar office from opened_at to first_response_at")


def test_a_pause_needs_a_status_that_stops_the_clock() -> None:
    pauses = {"source": "changes", "states": []}
    where, _, _ = refusal(
        BusinessDurationIndicator,
        written("business_duration", statistic="mean", pauses=pauses, **BUSINESS),
    )
    assert where == ("pauses", "states")


def test_first_contact_resolution_reads_the_contacts_and_the_resolved_condition() -> None:
    fcr = indicator("first_contact_resolution", contacts="contacts", resolved="state = 'done'")

    assert isinstance(fcr, FirstContactResolutionIndicator)
    assert fcr.columns_used() == {"contacts", "state"}
    assert fcr.formula() == (
        "count of tickets where state = 'done' and contacts = 1 / "
        "count of tickets where state = 'done'"
    )


@pytest.mark.parametrize("scale", [{"scale_min": 1, "scale_max": 10}, {}])
def test_nps_is_only_defined_on_a_0_to_10_scale(scale: dict[str, int]) -> None:
    nps = written("survey_score", score="s", method="nps", **scale)

    assert refusal(SurveyScoreIndicator, nps) == (
        (),
        "NPS is defined on a 0–10 scale",
        "set scale_min 0, scale_max 10",
    )


def test_share_satisfied_needs_its_lowest_satisfied_score() -> None:
    share = written("survey_score", score="s", method="share_satisfied")

    assert refusal(SurveyScoreIndicator, share) == (
        (),
        "method 'share_satisfied' needs 'satisfied_at_least'",
        "add e.g. satisfied_at_least: 4",
    )


@pytest.mark.parametrize(("low", "high"), [(5, 5), (5, 1)])
def test_a_survey_scale_must_run_upwards(low: int, high: int) -> None:
    assert refusal(
        SurveyScoreIndicator,
        written("survey_score", score="s", method="mean", scale_min=low, scale_max=high),
    ) == (
        ("scale_max",),
        f"scale_max {high} must be above scale_min {low}",
        "e.g. scale_min: 1, scale_max: 5",
    )


def test_a_survey_scores_1_to_5_by_default_and_only_a_satisfied_share_is_a_ratio() -> None:
    mean = indicator("survey_score", score="s", method="mean")
    share = indicator("survey_score", score="s", method="share_satisfied", satisfied_at_least=4)
    nps = indicator("survey_score", score="s", method="nps", scale_min=0, scale_max=10)

    assert (mean.scale_min, mean.scale_max) == (1, 5)
    assert [found.value_kind for found in (mean, share, nps)] == [
        ValueKind.NUMBER,
        ValueKind.RATIO,
        ValueKind.NUMBER,
    ]
    assert mean.formula() == "mean of s (scale 1–5)"
    assert share.formula() == "count of responses with s ≥ 4 / responses"
    assert nps.formula() == "100 × (share of s ≥ 9 − share of s ≤ 6)"


def test_a_business_gauge_is_better_the_way_it_says() -> None:
    renewal = indicator("business_gauge", numerator="renewed", denominator="due", better="higher")
    churn = indicator("business_gauge", numerator="lost", denominator="customers", better="lower")

    assert isinstance(churn, BusinessGaugeIndicator)
    assert (renewal.direction(), churn.direction()) == (
        Direction.HIGHER_IS_BETTER,
        Direction.LOWER_IS_BETTER,
    )
    assert churn.columns_used() == {"lost", "customers"}
    assert churn.formula() == "sum of lost / sum of customers"


@pytest.mark.parametrize("per", ["1m", "1h", "1d"])
def test_a_throughput_period_is_a_minute_to_a_day(per: str) -> None:
    found = indicator("throughput", per=per, minimum=10_000)

    assert (found.per, found.counts) == (Duration.parse(per), "periods")
    assert found.formula().startswith(
        f"periods of {Duration.parse(per)} with at least 10,000 events"
    )


@pytest.mark.parametrize("per", ["59s", "25h", "1 week", "8 business hours"])
def test_a_throughput_period_outside_a_minute_to_a_day_is_refused(per: str) -> None:
    assert refusal(ThroughputIndicator, written("throughput", per=per, minimum=1)) == (
        ("per",),
        f"per {Duration.parse(per)} must be a fixed length from 1 minute to 1 day",
        "write e.g. per: 1h",
    )
