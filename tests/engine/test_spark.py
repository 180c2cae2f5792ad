"""The same objectives on Apache Spark: every example agreement's verdicts, evaluated with
the plans' statements transpiled to Spark SQL over Parquet (``local[2]``), equal DuckDB's,
indicator kind by kind, business-hours clocks with pauses included.
The ``spark`` fixture (tests/conftest.py) starts one session for all of them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.connectors.files import FileReader
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.periods import parse_period
from accord.demo.base import SampleOptions
from accord.demo.generate import write_sample_data
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.spark import SparkEngine
from accord.services.agreements import AgreementFiles

EXAMPLES = Path(__file__).parents[2] / "examples"
AS_OF = dt.datetime(2026, 11, 4, 9, tzinfo=dt.UTC)


def _example(name: str, objectives: list[str], tmp_path: Path) -> Agreement:
    """The example with some of its objectives (Spark answers each statement in a fraction
    of a second, DuckDB in a millisecond: one objective per kind and shape keeps the test
    short); the chronic clause of payments-api looks back on six earlier windows."""
    agreement = AgreementFiles().load_valid(EXAMPLES / f"{name}.yaml").agreement
    assert agreement is not None
    write_sample_data(agreement, tmp_path, SampleOptions(months=2, volume=0.01))
    chosen = [o for o in agreement.objectives if o.id in objectives]
    assert len(chosen) == len(objectives)
    if len(chosen) == len(agreement.objectives):
        return agreement
    return agreement.model_copy(update={"objectives": chosen, "remedies": None})


def _evaluated(agreement: Agreement, data: Path, spark: SparkEngine | None) -> Evaluation:
    period = parse_period("2026-10", agreement.timezone)
    request = EvaluationRequest(
        data_dir=data, period=period, as_of=AS_OF, reader=FileReader(), spark=spark
    )
    return evaluate(agreement, request)


def _numbers(evaluation: Evaluation) -> list[tuple[object, ...]]:
    return [
        (
            v.objective,
            v.window.label,
            sorted(v.scope.items()),
            v.outcome,
            v.value,
            sorted(v.counts.items()),
            v.computation,
            v.coverage,
            sorted(v.exclusions.items()),
            v.budget,
        )
        for v in [*evaluation.verdicts, *evaluation.history]
    ]


@pytest.mark.parametrize(
    ("example", "objectives", "kinds"),
    [
        # business-hours clocks (a percentile; within a threshold, paused while waiting on
        # the customer), first-contact resolution, survey scores
        (
            "support-outsourcer",
            [
                "p1-first-response",
                "resolution-europe",
                "first-contact-resolution",
                "traveller-satisfaction",
            ],
            {"business_duration", "first_contact_resolution", "survey_score"},
        ),
        # time slices on probes with maintenance windows, mean time to repair, a gauge
        (
            "cloud-hosting",
            ["uptime", "time-to-repair", "renewals"],
            {"timeslice", "mean_time", "business_gauge"},
        ),
        # ratios with burn rates, thresholds, nearest-rank percentiles during a peak period,
        # exclusions, credits and a chronic clause over earlier windows
        (
            "payments-api",
            ["api-availability", "checkout-speed", "peak-latency"],
            {"ratio", "threshold", "percentile"},
        ),
    ],
)
def test_spark_gives_the_verdicts_duckdb_gives(
    spark: SparkEngine, tmp_path: Path, example: str, objectives: list[str], kinds: set[str]
) -> None:
    agreement = _example(example, objectives, tmp_path)
    indicators = {o.indicator for o in agreement.objectives}
    assert kinds <= {i.kind for i in agreement.indicators if i.id in indicators}

    on_duckdb = _evaluated(agreement, tmp_path, None)
    on_spark = _evaluated(agreement, tmp_path, spark)

    expected = _numbers(on_duckdb)
    assert len(expected) >= 3
    assert any(row[4] is not None for row in expected)
    assert _numbers(on_spark) == expected
    assert on_spark.credits == on_duckdb.credits
    assert [s.rows_outside_windows for s in on_spark.sources] == [
        s.rows_outside_windows for s in on_duckdb.sources
    ]
