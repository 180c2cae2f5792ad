"""Local time in SQL: the local day of an instant, and whether it lies in a peak period.

Local days number the days since 1970-01-01 in a time zone. They are computed with
arithmetic on epoch seconds plus the UTC offset in force, which changes only at the
zone's transitions: far cheaper per row than a time-zone conversion, and portable.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlglot import exp

from accord.core.calendars.spec import PeakPeriod, expand_days
from accord.core.periods import WindowSpan
from accord.engine.sql import any_of, call, number, text, typed

__all__ = [
    "local_day",
    "local_day_of_epoch",
    "local_hour_start",
    "peak_condition",
    "slices_nest_in_days",
    "utc_offsets",
]

_ISO_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def utc_offsets(span: WindowSpan, timezone: str) -> list[tuple[dt.datetime, int]]:
    """The UTC offsets (seconds) in force in ``timezone`` during ``span``, each with the
    instant it starts; zones change offset at most at a quarter hour."""
    zone = ZoneInfo(timezone)
    step = dt.timedelta(minutes=15)
    at = span.start_at
    offsets: list[tuple[dt.datetime, int]] = []
    while at <= span.end_at:
        offset = int((at.astimezone(zone).utcoffset() or dt.timedelta()).total_seconds())
        if not offsets or offsets[-1][1] != offset:
            offsets.append((at, offset))
        at += step
    return offsets


def local_day(value: exp.Expr, timezone: str, span: WindowSpan) -> exp.Expr:
    """The local day number of an instant (a ``TIMESTAMPTZ`` expression) within ``span``."""
    return local_day_of_epoch(call("epoch", value), timezone, span)


def local_day_of_epoch(seconds: exp.Expr, timezone: str, span: WindowSpan) -> exp.Expr:
    """The local day number of an instant given in epoch seconds, within ``span``:
    ``floor((seconds + offset) / 86400)`` with the offset in force at that instant."""
    shifted = exp.Paren(
        this=exp.Add(this=seconds.copy(), expression=_offset(seconds, timezone, span))
    )
    return call("floor", exp.Div(this=shifted, expression=number(86400)))


def local_hour_start(value: exp.Expr, timezone: str, span: WindowSpan) -> exp.Expr:
    """The epoch second at which the local hour of an instant (a ``TIMESTAMPTZ`` expression)
    within ``span`` starts: ``floor((s + offset) / 3600) * 3600 - offset`` with the offset in
    force at the instant. The two 02:00 hours of an autumn daylight-saving change are two
    hours (their offsets differ), and in a zone half an hour off UTC a local hour is not a
    UTC hour."""
    seconds = call("epoch", value)
    offset = _offset(seconds, timezone, span)
    shifted = exp.Paren(this=exp.Add(this=seconds.copy(), expression=offset.copy()))
    hours = call("floor", exp.Div(this=shifted, expression=number(3600)))
    start = exp.Mul(this=hours, expression=number(3600))
    return exp.Paren(this=exp.Sub(this=start, expression=offset))


def _offset(seconds: exp.Expr, timezone: str, span: WindowSpan) -> exp.Expr:
    """The UTC offset (seconds) in force at an instant given in epoch seconds within
    ``span``: a constant, or a ``CASE`` over the zone's transitions in the span."""
    offsets = utc_offsets(span, timezone)
    shift: exp.Expr = number(offsets[0][1])
    if len(offsets) > 1:
        case = exp.Case()
        for (start, _), (_, previous) in zip(offsets[1:], offsets, strict=False):
            case = case.when(
                exp.LT(this=seconds.copy(), expression=number(int(start.timestamp()))),
                number(previous),
            )
        shift = case.else_(number(offsets[-1][1]))
    return shift


def slices_nest_in_days(span: WindowSpan, slice_seconds: int, timezone: str) -> bool:
    """Whether every slice of ``span`` lies within one local day of ``timezone``: slices
    divide the day and start on local midnight under every offset in force."""
    if span.start_at.microsecond or 86400 % slice_seconds:
        return False
    start = int(span.start_at.timestamp())
    return all((start + offset) % slice_seconds == 0 for _, offset in utc_offsets(span, timezone))


def peak_condition(peak: PeakPeriod, value: exp.Expr) -> exp.Expr:
    """True for instants inside a peak period (its dates and daily hours, in its zone)."""
    local = exp.Paren(this=exp.AtTimeZone(this=value.copy(), zone=text(peak.timezone)))
    parts: list[exp.Expr] = []
    if peak.dates:
        day = typed(local.copy(), "DATE")
        ranges = [
            exp.Between(
                this=day.copy(),
                low=typed(text(str(r.start)), "DATE"),
                high=typed(text(str(r.end)), "DATE"),
            )
            for r in peak.dates
        ]
        parts.append(exp.Paren(this=any_of(ranges)))
    if peak.hours:
        parts.append(exp.Paren(this=any_of(_peak_days(peak, local))))
    return exp.and_(*parts)


def _peak_days(peak: PeakPeriod, local: exp.Expr) -> list[exp.Expr]:
    """Per day of the week with peak hours: that day, at one of its ranges of minutes."""
    assert peak.hours is not None
    hour = exp.Extract(this=exp.var("HOUR"), expression=local.copy())
    minute = exp.Extract(this=exp.var("MINUTE"), expression=local.copy())
    minutes = exp.Paren(
        this=exp.Add(this=exp.Mul(this=hour, expression=number(60)), expression=minute)
    )
    days: list[exp.Expr] = []
    for day, ranges in peak.hours.items():
        weekday = _ISO_DAYS.index(expand_days(day)[0]) + 1
        within = [
            exp.Paren(
                this=exp.and_(
                    exp.GTE(this=minutes.copy(), expression=number(r.start_minute)),
                    exp.LT(this=minutes.copy(), expression=number(r.end_minute)),
                )
            )
            for r in ranges
        ]
        is_day = exp.EQ(
            this=exp.Extract(this=exp.var("ISODOW"), expression=local.copy()),
            expression=number(weekday),
        )
        days.append(exp.Paren(this=exp.and_(is_day, exp.Paren(this=any_of(within)))))
    return days
