"""Closing the books: when a window's verdicts and credits become final.

A window goes through **open** (until its end), **grace** (from its end until its data
cutoff passes: late data still counts) and **closed** (from then on: its verdicts and credits
are final) — and may later be **restated**, on the record, with a reason. The close instant
is the window's end plus the agreement's ``data_cutoff`` (``DEFAULT_DATA_CUTOFF``, 5 business
days, when it declares none). Business days are Monday to Friday in the agreement's time
zone, counted from the first whole local day after the window ends, and the window closes at
local midnight after the last of them: a month ending at midnight on Sunday 1 November
closes at midnight after Friday 6 November. A wall-clock cutoff (``48 hours``) is simply
added to the end.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.units import Duration, DurationUnit, UnitError

__all__ = [
    "DEFAULT_DATA_CUTOFF",
    "LedgerReason",
    "PeriodState",
    "check_cutoff",
    "close_at",
    "state_of",
]

DEFAULT_DATA_CUTOFF: Final = Duration.parse("5 business days")
_WEEKEND: Final = (5, 6)


class PeriodState(StrEnum):
    OPEN = "open"
    GRACE = "grace"
    CLOSED = "closed"
    RESTATED = "restated"


class LedgerReason(StrEnum):
    """Why the books change after close (restatements): one of a
    fixed list, always with a text that says more."""

    LATE_DATA = "late_data"
    DATA_CORRECTION = "data_correction"
    AGREEMENT_CORRECTION = "agreement_correction"
    EXCLUSION_GRANTED = "exclusion_granted"
    DISPUTE_RESOLVED = "dispute_resolved"
    GOODWILL = "goodwill"
    OTHER = "other"


def check_cutoff(cutoff: Duration) -> None:
    """A cutoff counts whole business days or wall-clock time (no calendar is needed)."""
    if cutoff.business and (cutoff.unit is not DurationUnit.DAY or cutoff.amount % 1):
        raise UnitError(
            f"data_cutoff {cutoff}: business time is counted in whole business days here",
            "write e.g. '5 business days', or a wall-clock time such as '48 hours'",
        )
    if not cutoff.business and not cutoff.is_fixed:
        raise UnitError(
            f"data_cutoff {cutoff} has no fixed length",
            "write days or weeks, e.g. '10 days', or '5 business days'",
        )


def close_at(window_end: dt.datetime, cutoff: Duration, timezone: str) -> dt.datetime:
    """The instant a window that ends at ``window_end`` closes (UTC)."""
    if not cutoff.business:
        return window_end + cutoff.to_timedelta()
    zone = ZoneInfo(timezone)
    local = window_end.astimezone(zone)
    day = local.date()
    if local.time() != dt.time() or local.tzinfo is None:
        day += dt.timedelta(days=1)
    remaining = int(cutoff.amount)
    while remaining:
        if day.weekday() not in _WEEKEND:
            remaining -= 1
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def state_of(
    window_end: dt.datetime, closes_at: dt.datetime, now: dt.datetime, *, restated: bool
) -> PeriodState:
    """Where a window stands at ``now``."""
    if now < window_end:
        return PeriodState.OPEN
    if now < closes_at:
        return PeriodState.GRACE
    return PeriodState.RESTATED if restated else PeriodState.CLOSED
