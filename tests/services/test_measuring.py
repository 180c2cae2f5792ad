"""Where evaluations measure: DuckDB in process unless told Spark, and then one Spark session
per master for every evaluation of the process."""

from __future__ import annotations

from accord.engine.spark import SparkEngine
from accord.services.measuring import Measuring, MeasuringEngine, spark_for


def test_duckdb_is_the_default_and_no_spark_master_is_ever_called() -> None:
    assert Measuring().engine is MeasuringEngine.DUCKDB
    unreachable = Measuring(MeasuringEngine.DUCKDB, spark_master="spark://192.0.2.1:7077")
    assert spark_for(unreachable) is None


def test_one_spark_session_serves_every_evaluation_on_its_master(spark: SparkEngine) -> None:
    first = spark_for(Measuring(MeasuringEngine.SPARK, "local[2]"))
    again = spark_for(Measuring(MeasuringEngine("spark"), "local[2]"))
    assert first is not None
    assert again is first
    assert first.session is spark.session  # joins the session the process runs
