"""Readings shared by kinds: good over valid, and one statistic over the valid values; a
scope without valid rows has no value, never zero."""

from __future__ import annotations

from decimal import Decimal

from accord.engine.kinds.base import Values
from accord.engine.kinds.readings import elapsed_reading, share, statistic


def test_a_share_is_good_over_valid_with_its_counts_written_out() -> None:
    reading = share(Values({"good": 9_995, "valid": 10_000}))

    assert reading.value == Decimal("0.9995")
    assert reading.counts == {"good": 9_995, "valid": 10_000}
    assert reading.computation == "9,995 good / 10,000 valid"


def test_a_share_without_valid_events_has_no_value() -> None:
    for found in ({}, {"good": 0, "valid": 0}, {"good": None, "valid": None}):
        reading = share(Values(found))
        assert reading.value is None
        assert reading.computation == "no valid events"


def test_a_share_is_exact_not_a_float() -> None:
    reading = share(Values({"good": 1, "valid": 3}))

    assert reading.value == Decimal(1) / Decimal(3)


def test_a_statistic_reads_the_value_exactly_as_the_engine_returned_it() -> None:
    reading = statistic("p99 of")(Values({"valid": 1200, "value": 0.1 + 0.2}))

    assert reading.value == Decimal("0.30000000000000004")
    assert reading.computation == "p99 of 1,200 values"
    assert reading.counts == {"valid": 1200}


def test_a_statistic_without_values_has_none_even_when_the_engine_gives_a_number() -> None:
    assert statistic("mean of")(Values({"valid": 0, "value": 0})).value is None
    assert statistic("mean of")(Values({"valid": 3, "value": None})).computation == "no values"


def test_an_elapsed_time_divides_whole_microseconds_once_in_decimal() -> None:
    mean = elapsed_reading("mean", "mean of {:,} incidents", "none")
    median = elapsed_reading("median", "median of {:,} incidents", "none")

    # 10,804,833,428 µs over 3 incidents (a median halfway between two microseconds).
    reading = mean(Values({"valid": 3, "micros": 10_804_833_428}))
    assert reading.value == Decimal(10_804_833_428) / 3 / 1_000_000
    assert reading.computation == "mean of 3 incidents"
    assert median(Values({"valid": 2, "micros": 5_402_366_714.5})).value == Decimal("5402.3667145")
    assert mean(Values({"valid": 0, "micros": None})).value is None
    assert median(Values({})).computation == "none"
