"""Renewal and termination notice: the obligations that exist without any incident.

For each term of an agreement (the initial term, then each automatic renewal period), the
**last day to give notice** is the last local date on which notice given still leaves the
required notice period before the term ends. The term ends at the local midnight after its
last day, in the agreement's time zone; notice periods count calendar days, weeks, months
and years there (``3 months`` before a term ending on 31 December 2027 runs from
1 October 2027 00:00, so the last day is 30 September 2027). The due instant is that
midnight, as UTC: notice received before it is in time.

- ``renewal_notice``: auto renewal — the last day to stop the renewal; manual renewal — the
  last day to request one. A manual agreement has one term (what a renewal brings is agreed
  then), so it has no deadline after its end.
- ``termination_notice``: the last day to give notice of termination for convenience taking
  effect at the end of the current term.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.model import Agreement
from accord.core.model.parties import RenewalMode
from accord.core.obligations.model import Obligation
from accord.core.units import Duration, DurationUnit

__all__ = ["NoticeDeadline", "notice_deadlines", "term_end"]

#: Renewal periods followed when looking for the next deadline (a century of yearly terms).
_MAX_TERMS: Final = 100
_MIDNIGHT: Final = dt.time()


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, month_calendar.monthrange(year, month + 1)[1]))


def term_end(effective: dt.date, duration: Duration) -> dt.date | None:
    """The last day of a term of the given length, if it has a calendar length."""
    amount = duration.amount
    if duration.business or amount != amount.to_integral_value():
        return None
    months = {DurationUnit.MONTH: int(amount), DurationUnit.YEAR: int(amount) * 12}.get(
        duration.unit
    )
    if months is not None:
        return _shift_months(effective, months) - dt.timedelta(days=1)
    if duration.unit in (DurationUnit.DAY, DurationUnit.WEEK):
        return effective + duration.to_timedelta() - dt.timedelta(days=1)
    return None


@dataclass(frozen=True)
class NoticeDeadline:
    """The last day to give one kind of notice for one term."""

    agreement: str
    kind: str
    term_end: dt.date
    notice: Duration
    last_day: dt.date
    #: The local midnight after ``last_day``, as UTC: notice must arrive before it.
    due_at: dt.datetime
    party: str

    def obligation(self) -> Obligation:
        what = "stop or request renewal" if self.kind == "renewal_notice" else "terminate"
        return Obligation(
            kind=self.kind,
            key=f"{self.kind}:{self.term_end.isoformat()}",
            party=self.party,
            subject=(
                f"last day to give notice ({self.notice}) to {what} at the end of the term "
                f"on {self.term_end.isoformat()}"
            ),
            trigger_at=self.due_at,
            due_at=self.due_at,
            calendar="24x7",
        )


def _notice_start(term_last_day: dt.date, notice: Duration) -> dt.date:
    """The first local date of the notice period before a term that ends after its last day."""
    following = term_last_day + dt.timedelta(days=1)
    amount = int(notice.amount)
    if notice.unit is DurationUnit.MONTH and not notice.business:
        return _shift_months(following, -amount)
    if notice.unit is DurationUnit.YEAR and not notice.business:
        return _shift_months(following, -12 * amount)
    # Days and weeks are local calendar days; a shorter notice still starts a day earlier at
    # most (notice is given on a day, not at an hour).
    days = -(-notice.to_timedelta() // dt.timedelta(days=1))
    return following - dt.timedelta(days=days)


def _terms(agreement: Agreement) -> Iterator[dt.date]:
    """The last day of the initial term, then of each automatic renewal period."""
    term = agreement.term
    if term.end is not None:
        last: dt.date | None = term.end
    else:
        assert term.duration is not None  # a term has a duration or an end
        last = term_end(term.effective, term.duration)
    if last is None:
        return
    yield last
    period = term.renewal.period
    if term.renewal.mode is not RenewalMode.AUTO or period is None:
        return
    for _ in range(_MAX_TERMS):
        following = term_end(last + dt.timedelta(days=1), period)
        if following is None:
            return
        last = following
        yield last


def _deadline(agreement: Agreement, kind: str, last: dt.date, notice: Duration) -> NoticeDeadline:
    start = _notice_start(last, notice)
    due = dt.datetime.combine(start, _MIDNIGHT, ZoneInfo(agreement.timezone)).astimezone(dt.UTC)
    return NoticeDeadline(
        agreement=agreement.metadata.id,
        kind=kind,
        term_end=last,
        notice=notice,
        last_day=start - dt.timedelta(days=1),
        due_at=due,
        party=agreement.consumer().id,
    )


def notice_deadlines(agreement: Agreement, as_of: dt.date) -> list[NoticeDeadline]:
    """The next renewal and termination notice deadlines whose last day is ``as_of`` or
    later (none once the last term has ended), earliest first."""
    notices = {
        "renewal_notice": agreement.term.renewal.notice,
        "termination_notice": agreement.term.termination_notice,
    }
    found = []
    for kind, notice in notices.items():
        for last in _terms(agreement):
            deadline = _deadline(agreement, kind, last, notice)
            if deadline.last_day >= as_of:
                found.append(deadline)
                break
    return sorted(found, key=lambda item: (item.due_at, item.kind))
