"""Durations against calendars: the clock each duration of an agreement is measured on.

A duration measured on a business calendar says so (``8 business hours``): a plain ``1 day``
there could mean one working day or 24 hours of working time, and the reader of the contract
cannot tell which. A duration measured on the wall clock does not say ``business``: there is
no calendar whose working time it could count. On the built-in ``24x7`` calendar every
minute is working time, so both spellings mean the same there. A measured duration has a
fixed length (no months), except notices and claim windows, which step calendar dates.

Every place of the language where a duration is measured is decided here:

- the ``threshold`` of a ``business_duration`` indicator: the indicator's ``calendar``;
- an objective's ``target``, ``tolerance``, ``consistency.max_spread`` and its credit tiers'
  ``below``/``above``: the indicator's ``calendar`` for a ``business_duration`` indicator,
  else the wall clock (``percentile``, ``mean_time``; a ``threshold`` indicator's threshold);
- a severity's ``acknowledge``, ``update_every`` and ``resolve``: the severity's ``calendar``;
- a maintenance exclusion's ``notice`` and ``remedies.claim_window``: the wall clock.

Durations Accord does not measure (term, renewal and notice periods, escalation levels'
``within``, the review deadline, the breach-notification time, dispute steps, retention) keep
their written form and are printed in the document as agreed; the language reference says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from accord.core.model import Agreement
from accord.core.model.measurement import (
    BusinessDurationIndicator,
    Indicator,
    ThresholdIndicator,
)
from accord.core.model.objectives import Objective
from accord.core.problems import DocPath
from accord.core.units import Duration, DurationUnit, Percentage
from accord.core.validation.refs import Finding, Refs

__all__ = ["Clock", "check_clocks", "clock_of"]

_CALENDAR_UNITS: Final = (DurationUnit.MONTH, DurationUnit.YEAR)


@dataclass(frozen=True)
class Clock:
    """What a duration is measured on: a calendar's working time, or the wall clock."""

    #: The calendar's id; ``None`` for the wall clock.
    calendar: str | None
    #: Why it is this clock, for a duration on the wall clock that says 'business'.
    why: str = ""
    #: Whether months and years may be counted (stepping local dates), not only fixed lengths.
    calendar_units: bool = False


def clock_of(indicator: Indicator) -> Clock:
    """The clock an indicator's durations (its values, targets, thresholds) are measured on."""
    if isinstance(indicator, BusinessDurationIndicator):
        return Clock(indicator.calendar)
    return Clock(None, f"indicator {indicator.id!r} measures wall-clock time")


_NOTICE: Final = Clock(None, "a maintenance notice is counted in wall-clock time", True)
_CLAIMS: Final = Clock(None, "the claim window runs in wall-clock time from the window's end", True)


def check_clocks(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    """Every duration on a business calendar says 'business'; none on the wall clock does."""
    check = _Check(refs)
    for index, indicator in enumerate(agreement.indicators):
        if isinstance(indicator, (BusinessDurationIndicator, ThresholdIndicator)):
            yield from check(
                ("indicators", index, "threshold"), indicator.threshold, clock_of(indicator)
            )
    for index, objective in enumerate(agreement.objectives):
        yield from _objective(check, objective, ("objectives", index))
    yield from _remedies(check, agreement)
    yield from _severities(check, agreement)
    for index, exclusion in enumerate(agreement.exclusions):
        yield from check(("exclusions", index, "notice"), exclusion.notice, _NOTICE)


def _objective(check: _Check, objective: Objective, path: DocPath) -> Iterator[Finding]:
    indicator = check.refs.indicators.get(objective.indicator)
    if indicator is None:
        return
    clock = clock_of(indicator)
    yield from check((*path, "target"), objective.target, clock)
    yield from check((*path, "tolerance"), objective.tolerance, clock)
    if objective.consistency is not None:
        yield from check(
            (*path, "consistency", "max_spread"), objective.consistency.max_spread, clock
        )


def _remedies(check: _Check, agreement: Agreement) -> Iterator[Finding]:
    remedies = agreement.remedies
    if remedies is None:
        return
    yield from check(("remedies", "claim_window"), remedies.claim_window, _CLAIMS)
    refs = check.refs
    for index, scheme in enumerate(remedies.credits):
        clocks = {
            clock_of(indicator): None
            for objective_id in scheme.objectives
            if (objective := refs.objectives.get(objective_id)) is not None
            and (indicator := refs.indicators.get(objective.indicator)) is not None
        }
        for position, tier in enumerate(scheme.tiers):
            side = "below" if tier.below is not None else "above"
            path: DocPath = ("remedies", "credits", index, "tiers", position, side)
            found = [finding for clock in clocks for finding in check(path, tier.threshold, clock)]
            # One finding per tier, even when the scheme covers objectives on several clocks.
            yield from found[:1]


def _severities(check: _Check, agreement: Agreement) -> Iterator[Finding]:
    if agreement.incidents is None:
        return
    for index, severity in enumerate(agreement.incidents.severities):
        clock = Clock(severity.calendar)
        for name in ("acknowledge", "update_every", "resolve"):
            yield from check(
                ("incidents", "severities", index, name), getattr(severity, name), clock
            )


@dataclass(frozen=True)
class _Check:
    """Checks one duration against the clock it is measured on."""

    refs: Refs

    def __call__(
        self, path: DocPath, value: Percentage | Duration | Decimal | None, clock: Clock
    ) -> Iterator[Finding]:
        if not isinstance(value, Duration):
            return
        name = str(path[-1])
        calendar = clock.calendar
        if value.unit in _CALENDAR_UNITS and not clock.calendar_units:
            yield Finding(
                path,
                f"{name} {value} has no fixed length: a month or year depends on where it starts",
                "write it in minutes, hours, days or weeks, e.g. '30 days'",
            )
        elif calendar is None and value.business:
            yield Finding(
                path,
                f"{name} {value} counts business time, but {clock.why}",
                f"write it without 'business', e.g. '{Duration(value.amount, value.unit)}'",
            )
        elif calendar is not None and self._business(calendar) and not value.business:
            yield Finding(
                path,
                f"{name} {value} is measured on the business calendar {calendar!r}, so it "
                "must say 'business'",
                self._hint(value, calendar),
            )

    def _business(self, calendar: str) -> bool:
        """Whether a calendar is defined and counts only working time (24x7 counts all)."""
        day = self.refs.days.get(calendar)
        return day is not None and not day.always

    def _hint(self, value: Duration, calendar: str) -> str:
        """How to write a plain duration as business time; a day has two readings."""
        if value.unit in (DurationUnit.MINUTE, DurationUnit.HOUR):
            return f"write '{_business(value)}' to count the working time of {calendar!r}"
        if value.unit is DurationUnit.DAY:
            day = Duration.of_seconds(self.refs.days[calendar].seconds)
            hours = Duration(value.seconds / 3600, DurationUnit.HOUR, business=True)
            return (
                f"write '{_business(value)}' (a working day of {calendar!r} is {day}) or '{hours}'"
            )
        return "write it in business minutes, hours or days, e.g. '4 business hours'"


def _business(value: Duration) -> Duration:
    return Duration(value.amount, value.unit, business=True)
