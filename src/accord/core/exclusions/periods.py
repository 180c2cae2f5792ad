"""Which announced maintenance and declared periods are excluded, under the contract's rules.

Maintenance counts only when announced at least ``notice`` before it starts, and only up to
``monthly_cap`` of excluded time per calendar month (in the agreement's time zone, by the
month the maintenance starts in, earliest first): the part beyond the cap counts as normal
time. The rule applied to each period is kept so the verdict can show it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from accord.core.exclusions.spec import Exclusion, ExclusionKind
from accord.core.units import Duration, add_duration

__all__ = ["Announced", "ExcludedPeriod", "excluded_periods"]


@dataclass(frozen=True)
class Announced:
    """A period listed by a source: when it starts and ends, and when it was announced."""

    start_at: dt.datetime
    end_at: dt.datetime
    announced_at: dt.datetime | None = None
    #: Column values the period is limited to (the exclusion's ``match``), e.g. region=eu.
    match: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ExcludedPeriod:
    """A period excluded from measurement (possibly clipped), or rejected with a reason."""

    exclusion: str
    start_at: dt.datetime
    end_at: dt.datetime
    counted: bool
    reason: str
    match: tuple[tuple[str, str], ...] = ()


def _notice_problem(period: Announced, notice: Duration | None, timezone: str) -> str | None:
    """Why the notice rule fails, if it does; a month of notice is a calendar month."""
    if notice is None:
        return None
    if period.announced_at is None:
        return "not announced"
    if notice.business:  # business-time notice needs the calendar; not judged here
        return None
    if period.start_at < add_duration(period.announced_at, notice, timezone):
        given = period.start_at - period.announced_at
        return f"announced {given} ahead, less than the {notice} notice"
    return None


def excluded_periods(
    exclusion: Exclusion, announced: Iterable[Announced], timezone: str
) -> list[ExcludedPeriod]:
    """Apply the notice and monthly-cap rules (where the exclusion has them), earliest first.

    The cap is counted per calendar month and per matched column values: with
    ``match: [region]`` each region has its own monthly allowance.
    """
    used: dict[object, dt.timedelta] = {}
    ordered = sorted(announced, key=lambda item: (item.start_at, item.end_at, item.match))
    return [_judge(exclusion, period, timezone, used) for period in ordered]


def _judge(
    exclusion: Exclusion, period: Announced, timezone: str, used: dict[object, dt.timedelta]
) -> ExcludedPeriod:
    def result(end_at: dt.datetime, counted: bool, reason: str) -> ExcludedPeriod:
        return ExcludedPeriod(exclusion.id, period.start_at, end_at, counted, reason, period.match)

    if period.end_at <= period.start_at:
        return result(period.end_at, False, "ends before it starts")
    problem = _notice_problem(period, exclusion.notice, timezone)
    if problem:
        return result(period.end_at, False, problem)
    if exclusion.monthly_cap is None:
        return result(period.end_at, True, _why_excluded(exclusion))
    local = period.start_at.astimezone(ZoneInfo(timezone))
    bucket = (local.year, local.month, period.match)
    left = exclusion.monthly_cap.to_timedelta() - used.get(bucket, dt.timedelta())
    if left <= dt.timedelta():
        return result(period.end_at, False, f"monthly cap of {exclusion.monthly_cap} used up")
    allowed = min(period.end_at - period.start_at, left)
    used[bucket] = used.get(bucket, dt.timedelta()) + allowed
    if allowed == period.end_at - period.start_at:
        return result(period.end_at, True, _why_excluded(exclusion))
    return result(
        period.start_at + allowed, True, f"clipped at the monthly cap of {exclusion.monthly_cap}"
    )


#: What each kind of exclusion is, in the words of a verdict's reason.
_WHAT: Final[dict[ExclusionKind, str]] = {
    ExclusionKind.MAINTENANCE: "announced maintenance",
    ExclusionKind.FORCE_MAJEURE: "force majeure, beyond the provider's reasonable control",
    ExclusionKind.CONSUMER_CAUSED: "caused by the consumer",
}


def _why_excluded(exclusion: Exclusion) -> str:
    """Why a counted period is excluded: what it is, where it is listed, the rules it met.

    Only maintenance has a notice and a monthly cap to meet; force majeure and consumer-caused
    periods are excluded because the source lists them, so the reason names the listing.
    """
    listed = " ".join(
        part
        for part in (
            f"listed in source {exclusion.source}" if exclusion.source else "",
            f"where {exclusion.where}" if exclusion.where else "",
        )
        if part
    )
    rules = [
        f"announced at least {exclusion.notice} ahead" if exclusion.notice else "",
        f"within the monthly cap of {exclusion.monthly_cap}" if exclusion.monthly_cap else "",
    ]
    return ", ".join(part for part in (_WHAT[exclusion.kind], listed, *rules) if part)
