"""Governance reviews as obligations: the agreement's ``governance.review_cadence`` cuts the
calendar year (local dates in its time zone) into review periods of one, three, six or twelve
months; the review of each period is held after it ends, within ``governance.review_within``
(one month unless the agreement says otherwise), and the consumer, who convenes it, owes it.
With ``governance.calendar`` the time allowed is counted on that calendar's clock (the one
incident timers run on: business days and hours, its zone and holidays); without one, months
step local dates and shorter spans are wall-clock time (a business day a whole day).

A review is named by the period whose pack it reviews: a month (2026-10) for a monthly
cadence, otherwise the last quarter of its period (2026-Q4 for the fourth quarter, the second
half-year or the year), the labels ``accord review pack|rate|decide|minutes`` take.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.calendars.spec import ALWAYS
from accord.core.model import Agreement
from accord.core.obligations.incidents import calendar_of
from accord.core.obligations.model import Obligation, due_at
from accord.core.units import Duration, DurationUnit, add_duration

__all__ = ["DEFAULT_REVIEW_WITHIN", "ReviewPeriod", "governance_reviews", "review_period"]

DEFAULT_REVIEW_WITHIN: Final = Duration(Decimal(1), DurationUnit.MONTH)
_MONTHS: Final = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


@dataclass(frozen=True)
class ReviewPeriod:
    """A period of the review cadence: its label, first day and the day after its last."""

    label: str
    start: dt.date
    end: dt.date


def _shift(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def review_period(day: dt.date, cadence: str) -> ReviewPeriod:
    """The review period of ``cadence`` that holds ``day``."""
    months = _MONTHS[cadence]
    start = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    end = _shift(start, months)
    last = _shift(end, -1)
    label = (
        f"{last.year}-{last.month:02d}"
        if months == 1
        else f"{last.year}-Q{(last.month - 1) // 3 + 1}"
    )
    return ReviewPeriod(label, start, end)


def governance_reviews(agreement: Agreement, now: dt.datetime) -> list[Obligation]:
    """The reviews to schedule at ``now``: the current period's (held after it ends), and
    the previous period's while it is still due; none for a period that ended before the
    term began."""
    governance = agreement.governance
    if governance is None:
        return []
    zone = ZoneInfo(agreement.timezone)
    current = review_period(now.astimezone(zone).date(), governance.review_cadence)
    previous = review_period(current.start - dt.timedelta(days=1), governance.review_cadence)
    within = governance.review_within or DEFAULT_REVIEW_WITHIN
    names = {party.id: party.name for party in agreement.parties}
    attending = " and ".join(names.get(p, p) for p in governance.participants)
    found = []
    for period in (previous, current):
        if period.end <= agreement.term.effective:
            continue
        trigger = dt.datetime.combine(period.end, dt.time(), zone).astimezone(dt.UTC)
        due = (
            add_duration(trigger, within, agreement.timezone)
            if governance.calendar is None and not within.business
            else due_at(trigger, within, calendar_of(agreement, governance.calendar or ALWAYS))
        )
        if period is previous and due < now:
            continue  # not scheduled after the fact
        found.append(
            Obligation(
                kind="governance_review",
                key=f"governance_review:{period.label}",
                party=agreement.consumer().id,
                subject=f"hold the {period.label} governance review "
                f"({governance.review_cadence.replace('_', '-')}) with {attending}",
                trigger_at=trigger,
                due_at=due,
                calendar=governance.calendar or ALWAYS,
            )
        )
    return found
