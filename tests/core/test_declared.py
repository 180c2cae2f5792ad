"""Declared against measured downtime: the partner's incidents open in the window (overlaps
once, 'none' impact not at all, an open one up to the evaluation instant) beside the bad
time slices of a time-slice objective."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from accord.core.declared import DeclaredIncident, compare_downtime, show_duration
from accord.core.verdicts import Verdict
from tests.core.remedies.test_credits import OCTOBER, verdict

MINUTE = dt.timedelta(minutes=1)
START = OCTOBER.start_at
AS_OF = OCTOBER.end_at


def incident(
    name: str, start_minutes: int, end_minutes: int | None, impact: str = "major"
) -> DeclaredIncident:
    started = START + start_minutes * MINUTE
    ended = None if end_minutes is None else START + end_minutes * MINUTE
    return DeclaredIncident(name.lower(), name, impact, started, ended)


def sliced(good: int, valid: int, objective: str = "availability") -> Verdict:
    return replace(verdict("0.99", objective=objective), counts={"good": good, "valid": valid})


def compared(
    incidents: list[DeclaredIncident], *, as_of: dt.datetime = AS_OF
) -> tuple[list[Verdict], list[dt.timedelta]]:
    noted, found = compare_downtime([sliced(40, 43)], incidents, {"availability": MINUTE}, as_of)
    return noted, [comparison.declared for comparison in found]


def test_overlapping_incidents_are_counted_once() -> None:
    _, declared = compared([incident("Outage", 10, 70), incident("Degraded", 60, 100)])

    assert declared == [90 * MINUTE]


def test_an_incident_without_impact_is_not_downtime() -> None:
    _, declared = compared([incident("Notice", 10, 70, impact="none")])

    assert declared == [dt.timedelta(0)]


def test_an_incident_still_open_counts_up_to_the_evaluation_instant() -> None:
    _, declared = compared([incident("Ongoing", 30, None)], as_of=START + 50 * MINUTE)

    assert declared == [20 * MINUTE]


def test_an_incident_is_clipped_to_the_window() -> None:
    before = DeclaredIncident("b", "Before", "major", START - 30 * MINUTE, START + 15 * MINUTE)

    _, declared = compared([before, incident("After", 60 * 24 * 40, 60 * 24 * 41)])

    assert declared == [15 * MINUTE]


def test_the_note_sets_declared_beside_the_bad_slices() -> None:
    noted, _ = compared([incident("Outage", 0, 65), incident("Blip", 120, 125)])

    assert noted[0].notes[-1] == (
        "partner's status feed declared 2 incident(s) (Outage, Blip), 1h 10m of downtime; "
        "measured 3m of bad slices"
    )


def test_objectives_without_slices_are_passed_on_untouched() -> None:
    other = sliced(5, 9, objective="latency")
    plain = verdict("0.5", objective="availability")  # no good/valid counts

    noted, found = compare_downtime(
        [other, plain], [incident("Outage", 0, 60)], {"availability": MINUTE}, AS_OF
    )

    assert noted == [other, plain]
    assert found == []


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (dt.timedelta(seconds=59), "0m"),
        (dt.timedelta(minutes=45), "45m"),
        (dt.timedelta(hours=1, minutes=5), "1h 05m"),
        (dt.timedelta(days=2, minutes=1), "48h 01m"),
    ],
)
def test_downtime_is_shown_to_the_minute(delta: dt.timedelta, shown: str) -> None:
    assert show_duration(delta) == shown
