"""The version in force at an instant and over a span (pure rules)."""

from __future__ import annotations

import datetime as dt

from accord.core.versions import VersionSpan, in_force, in_force_during

UTC = dt.UTC
V1 = VersionSpan(dt.datetime(2026, 1, 1, tzinfo=UTC), 1)
V2 = VersionSpan(dt.datetime(2026, 11, 1, tzinfo=UTC), 2)
V3 = VersionSpan(dt.datetime(2026, 11, 1, tzinfo=UTC), 3)  # a correction of version 2


def test_the_latest_version_effective_at_or_before_the_instant_governs() -> None:
    assert in_force([V1, V2], dt.datetime(2026, 10, 31, 23, 59, tzinfo=UTC)) == V1
    assert in_force([V2, V1], V2.effective_at) == V2


def test_before_any_version_takes_effect_the_first_governs() -> None:
    assert in_force([V1, V2], dt.datetime(2020, 1, 1, tzinfo=UTC)) == V1


def test_a_correction_taking_effect_at_the_same_instant_replaces_the_version() -> None:
    assert in_force([V1, V2, V3], V2.effective_at) == V3
    span = in_force_during([V1, V2, V3], V1.effective_at, dt.datetime(2027, 1, 1, tzinfo=UTC))
    assert span == [V1, V3]


def test_the_versions_during_a_span_are_those_that_govern_some_instant_of_it() -> None:
    october = (dt.datetime(2026, 10, 1, tzinfo=UTC), dt.datetime(2026, 11, 1, tzinfo=UTC))
    assert in_force_during([V1, V2], *october) == [V1]
    q4 = (october[0], dt.datetime(2027, 1, 1, tzinfo=UTC))
    assert in_force_during([V1, V2], *q4) == [V1, V2]
