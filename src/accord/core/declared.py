"""Declared against measured downtime: what a partner's status feed admits beside what the
measurements show, per objective, scope and window.

Declared downtime is the time the partner's incidents (any impact but ``none``) were open
within the window, overlapping incidents counted once; an incident still open counts up to
the evaluation instant. Measured downtime is the bad time slices of a time-slice objective
(counted slices less good slices, times the slice length). Each verdict of such an
objective carries the comparison as a note, and the evaluation lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from accord.core.verdicts import Verdict

__all__ = ["DeclaredIncident", "DowntimeComparison", "compare_downtime", "show_duration"]


@dataclass(frozen=True)
class DeclaredIncident:
    """An incident as the partner's status feed declares it."""

    id: str
    name: str
    impact: str
    started_at: dt.datetime
    ended_at: dt.datetime | None


@dataclass(frozen=True)
class DowntimeComparison:
    objective: str
    window: str
    scope: str
    incidents: tuple[str, ...]
    declared: dt.timedelta
    measured: dt.timedelta

    def note(self) -> str:
        named = f" ({', '.join(self.incidents)})" if self.incidents else ""
        return (
            f"partner's status feed declared {len(self.incidents)} incident(s){named}, "
            f"{show_duration(self.declared)} of downtime; measured "
            f"{show_duration(self.measured)} of bad slices"
        )


def show_duration(delta: dt.timedelta) -> str:
    """``1h 05m``, ``45m``, ``0m``: downtime to the minute."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def _declared_within(
    incidents: Sequence[DeclaredIncident], start: dt.datetime, end: dt.datetime, as_of: dt.datetime
) -> tuple[tuple[str, ...], dt.timedelta]:
    spans = []
    names = []
    for incident in sorted(incidents, key=lambda i: i.started_at):
        if incident.impact == "none":
            continue
        low = max(incident.started_at, start)
        high = min(incident.ended_at or as_of, end, as_of)
        if low < high:
            spans.append((low, high))
            names.append(incident.name)
    total = dt.timedelta(0)
    reached = start
    for low, high in spans:  # sorted by start: overlaps count once
        fresh = max(low, reached)
        if fresh < high:
            total += high - fresh
            reached = high
    return tuple(names), total


def compare_downtime(
    verdicts: Sequence[Verdict],
    incidents: Sequence[DeclaredIncident],
    slices: Mapping[str, dt.timedelta],
    as_of: dt.datetime,
) -> tuple[list[Verdict], list[DowntimeComparison]]:
    """The verdicts, those of time-slice objectives (``slices``: objective → slice length)
    with the comparison as a note, and the comparisons."""
    noted: list[Verdict] = []
    found: list[DowntimeComparison] = []
    for verdict in verdicts:
        length = slices.get(verdict.objective)
        if length is None or "good" not in verdict.counts:
            noted.append(verdict)
            continue
        bad = max(verdict.counts.get("valid", 0) - verdict.counts["good"], 0)
        names, declared = _declared_within(
            incidents, verdict.window.start_at, verdict.window.end_at, as_of
        )
        comparison = DowntimeComparison(
            verdict.objective, verdict.window.label, verdict.scope_label, names, declared,
            length * bad,
        )  # fmt: skip
        found.append(comparison)
        noted.append(replace(verdict, notes=(*verdict.notes, comparison.note())))
    return noted, found
