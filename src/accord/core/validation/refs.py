"""The findings of meaning checks and the identifiers they refer to."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from accord.core.calendars.clock import BusinessCalendar
from accord.core.calendars.spec import ALWAYS
from accord.core.model import Agreement
from accord.core.model.measurement import (
    BusinessDurationIndicator,
    Indicator,
    Source,
)
from accord.core.model.objectives import Objective
from accord.core.problems import DocPath, Severity

__all__ = ["DayLength", "Finding", "Refs", "a_or_an", "duplicates"]


@dataclass(frozen=True)
class Finding:
    path: DocPath
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR


@dataclass(frozen=True)
class DayLength:
    """How the calendar a duration is measured on counts a day."""

    #: Its typical working day, in seconds: the length of one business day.
    seconds: Decimal
    #: Whether every minute is working time (24x7): business time is wall-clock time there.
    always: bool = False


class Refs:
    """The identifiers defined in an agreement, for reference checks."""

    def __init__(
        self, agreement: Agreement, tolerated: frozenset[str], tolerated_kinds: frozenset[str]
    ) -> None:
        self.tolerated = tolerated
        self.tolerated_kinds = tolerated_kinds
        self.parties = {party.id for party in agreement.parties}
        self.stages = {stage.id for stage in agreement.journey}
        self.calendars = {calendar.id for calendar in agreement.calendars} | {ALWAYS}
        self.peaks = {peak.id for peak in agreement.peak_periods}
        # With duplicate ids, references resolve to the first definition (the later ones
        # are reported as duplicates), so one mistake does not cascade into others.
        self.sources = _first_by_id(agreement.sources)
        self.indicators = _first_by_id(agreement.indicators)
        self.objectives = _first_by_id(agreement.objectives)
        self.exclusions = {exclusion.id for exclusion in agreement.exclusions}
        self.ladders = {ladder.id for ladder in agreement.escalation}
        self.days = {
            calendar.id: DayLength(
                Decimal(BusinessCalendar.from_spec(calendar).business_day_seconds())
            )
            for calendar in agreement.calendars
        } | {ALWAYS: DayLength(Decimal(86400), always=True)}
        self.severities = (
            {severity.id for severity in agreement.incidents.severities}
            if agreement.incidents
            else set()
        )

    def day_of(self, indicator: Indicator) -> DayLength | None:
        """How the calendar an indicator's durations are measured on counts a day, if any."""
        if isinstance(indicator, BusinessDurationIndicator):
            return self.days.get(indicator.calendar)
        return None

    def missing(
        self, path: DocPath, kind: str, ref: str | None, known: Iterable[str]
    ) -> Iterator[Finding]:
        """A finding when ``ref`` names nothing of ``kind`` (tolerating broken definitions)."""
        names = set(known)
        if ref is None or ref in names or ref in self.tolerated or kind in self.tolerated_kinds:
            return
        close = difflib.get_close_matches(ref, sorted(names), n=1)
        guess = f"did you mean {close[0]!r}? " if close else ""
        listed = f"known {_plural(kind)}: {', '.join(sorted(names))}"
        hint = guess + listed if names else f"define the {kind} first"
        yield Finding(path, f"unknown {kind} {ref!r}", hint)


def a_or_an(word: str) -> str:
    """The word with its indefinite article: 'an integer', 'an events', 'a string' (the
    words named here are column types and source kinds, none spoken with a silent or
    sounded-out first letter)."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _plural(kind: str) -> str:
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


_Identified = TypeVar("_Identified", Source, Indicator, Objective)


def _first_by_id(items: Sequence[_Identified]) -> dict[str, _Identified]:
    found: dict[str, _Identified] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def duplicates(section: str, ids: Sequence[str]) -> Iterator[Finding]:
    """Ids given twice in one list; ``section`` is a dotted path such as 'remedies.credits'."""
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            yield Finding(
                (*section.split("."), index, "id"),
                f"duplicate id {item_id!r} in {section}",
                "ids must be unique within a section; rename one of them",
            )
        seen.add(item_id)
