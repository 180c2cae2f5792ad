"""Versions in force: which version of an agreement governs an instant, and a window.

Every version has the instant it takes effect (``metadata.effective``, or the instant it was
given or uploaded). The version in force at an instant is the one with the latest effective
instant at or before it; of two with the same effective instant the later version (a
correction) wins. Before the first effective instant the first version governs: there is no
other.

**The straddle rule.** A window is judged as a whole by the version in force at its start
(``STRADDLE_RULE``): a month that began under version 1 stays version 1's even when
version 2 takes effect in its middle; version 2 judges the windows that start from its
effective instant on. Every recorded verdict states the version and this rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, TypeVar

from accord.core.evaluation import (
    ConsistencyFinding,
    Evaluation,
    HourItem,
    SliceItem,
    TicketItem,
    WindowCredit,
)
from accord.core.periods import Period
from accord.core.verdicts import Verdict

__all__ = [
    "STRADDLE_RULE",
    "VersionSpan",
    "in_force",
    "in_force_during",
    "judge_by_versions_in_force",
    "judged_by_versions_in_force",
]

STRADDLE_RULE: Final = (
    "a window is judged by the agreement version in force at its start; a version that "
    "takes effect during the window judges the windows that start from then on"
)

_INSTANT: Final = dt.timedelta(microseconds=1)
_Version = TypeVar("_Version")


@dataclass(frozen=True, order=True)
class VersionSpan:
    """A version's number and the instant it takes effect (UTC)."""

    effective_at: dt.datetime
    number: int


def _ordered(versions: Iterable[VersionSpan]) -> list[VersionSpan]:
    found = sorted(versions)
    if not found:
        raise ValueError("an agreement without versions has no version in force")
    return found


def in_force(versions: Iterable[VersionSpan], at: dt.datetime) -> VersionSpan:
    """The version that governs ``at``."""
    ordered = _ordered(versions)
    governing = ordered[0]
    for version in ordered:
        if version.effective_at <= at:
            governing = version
    return governing


def in_force_during(
    versions: Sequence[VersionSpan], start_at: dt.datetime, end_at: dt.datetime
) -> list[VersionSpan]:
    """The versions that govern some instant of ``[start_at, end_at)``, in effect order."""
    first = in_force(versions, start_at)
    later = [
        version
        for version in _ordered(versions)
        if start_at < version.effective_at < end_at
        and in_force(versions, version.effective_at) == version
    ]
    return [first, *later]


def judge_by_versions_in_force(
    versions: Mapping[VersionSpan, _Version],
    period: Period,
    judge: Callable[[_Version], Evaluation],
) -> Evaluation:
    """Evaluate ``period`` with ``judge`` under each version that governs one of its windows
    (usually one), and keep each window's verdicts from the version in force at its start."""
    spans = list(versions)
    primary = in_force(spans, period.end_at - _INSTANT)
    judged = {primary: judge(versions[primary])}
    starts = [verdict.window.start_at for verdict in judged[primary].verdicts]
    earliest = min([period.start_at, *starts])
    for span in in_force_during(spans, earliest, primary.effective_at):
        if span not in judged:
            judged[span] = judge(versions[span])
    return judged_by_versions_in_force(judged, primary)


def judged_by_versions_in_force(
    evaluations: Mapping[VersionSpan, Evaluation], primary: VersionSpan
) -> Evaluation:
    """One evaluation of a period from evaluations of it under several versions: each
    verdict, credit and consistency finding from the version in force at its window's start
    (``STRADDLE_RULE``); chronic findings and the data read from ``primary`` (the version in
    force at the period's end)."""
    spans = list(evaluations)
    merged = evaluations[primary]
    if len(spans) == 1:
        return merged
    verdicts: list[Verdict] = []
    credits: list[WindowCredit] = []
    consistency: list[ConsistencyFinding] = []
    tickets: list[TicketItem] = []
    slices: list[SliceItem] = []
    hours: list[HourItem] = []
    for span, evaluation in sorted(evaluations.items()):
        kept = [v for v in evaluation.verdicts if in_force(spans, v.window.start_at) == span]
        judged = {(v.objective, v.window.label) for v in kept}
        verdicts += kept
        credits += [c for c in evaluation.credits if (c.credit.objective, c.window) in judged]
        consistency += [c for c in evaluation.consistency if (c.objective, c.window) in judged]
        tickets += [t for t in evaluation.tickets if (t.objective, t.window) in judged]
        slices += [s for s in evaluation.slices if (s.objective, s.window) in judged]
        hours += [h for h in evaluation.hours if (h.objective, h.window) in judged]
    rank = {objective.id: i for i, objective in enumerate(merged.agreement.objectives)}
    verdicts.sort(key=lambda v: (rank.get(v.objective, len(rank)), v.window.start_at))
    return replace(
        merged,
        verdicts=verdicts,
        credits=credits,
        consistency=consistency,
        tickets=tickets,
        slices=slices,
        hours=hours,
    )
