"""Error budgets and burn rates of occurrence objectives (SRE workbook practice).

For a target T in (0, 1): the budget is the share 1 − T of valid events that may be bad.
Burn rate over a look-back window w is e(w) / (1 − T), where e(w) is the error ratio in w.
A multi-window alert fires when both its long and short windows burn faster than
f · P / L, the rate that spends a fraction f of the budget of a window of length P within
the long window L. Rates are compared unrounded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from accord.core.units import Duration, format_decimal
from accord.core.verdicts import Budget

__all__ = ["BURN_ALERTS", "BurnAlert", "BurnCounts", "WindowProgress", "error_budget"]


@dataclass(frozen=True)
class BurnAlert:
    """One multi-window burn-rate alert: spend ``budget_fraction`` within ``long``."""

    name: str
    long: dt.timedelta
    short: dt.timedelta
    budget_fraction: Decimal

    def threshold(self, window: dt.timedelta) -> Decimal:
        """The burn rate that spends the fraction within the long window: f · P / L."""
        return self.budget_fraction * Decimal(window / self.long)


BURN_ALERTS: Final = (
    BurnAlert(
        "page: 2% of budget in 1h", dt.timedelta(hours=1), dt.timedelta(minutes=5), Decimal("0.02")
    ),
    BurnAlert(
        "page: 5% of budget in 6h", dt.timedelta(hours=6), dt.timedelta(minutes=30), Decimal("0.05")
    ),
    BurnAlert(
        "ticket: 10% of budget in 1d", dt.timedelta(days=1), dt.timedelta(hours=2), Decimal("0.1")
    ),
    BurnAlert(
        "ticket: 10% of budget in 3d", dt.timedelta(days=3), dt.timedelta(hours=6), Decimal("0.1")
    ),
)


@dataclass(frozen=True)
class BurnCounts:
    """Bad and valid events in a look-back window ending at the evaluation instant."""

    span: dt.timedelta
    bad: int
    valid: int

    def burn_rate(self, allowed_ratio: Decimal) -> Decimal | None:
        if self.valid == 0 or allowed_ratio == 0:
            return None
        return Decimal(self.bad) / Decimal(self.valid) / allowed_ratio


@dataclass(frozen=True)
class WindowProgress:
    """Where the evaluation instant stands in the window."""

    start_at: dt.datetime
    end_at: dt.datetime
    as_of: dt.datetime

    @property
    def elapsed(self) -> dt.timedelta:
        return min(max(self.as_of, self.start_at), self.end_at) - self.start_at

    @property
    def length(self) -> dt.timedelta:
        return self.end_at - self.start_at


def error_budget(
    good: int,
    valid: int,
    target_ratio: Decimal,
    progress: WindowProgress,
    recent: tuple[BurnCounts, ...] = (),
) -> Budget | None:
    """The budget of one window; ``None`` when the target leaves no budget to speak of."""
    allowed_ratio = 1 - target_ratio
    bad = valid - good
    allowed_events = allowed_ratio * valid
    if allowed_ratio <= 0:
        # A target of 100% allows nothing: one bad event spends it all, and the share
        # consumed (bad / 0) is undefined rather than infinite.
        if bad == 0:
            return Budget(Decimal(0), Decimal(0), 0, Decimal(0), Decimal(0), None, None)
        return Budget(Decimal(0), Decimal(0), bad, -Decimal(bad), None, None, "exhausted")
    consumed = (Decimal(bad) / valid / allowed_ratio) if valid else Decimal(0)
    elapsed_share = (
        Decimal(_microseconds(progress.elapsed)) / _microseconds(progress.length)
        if progress.length
        else Decimal(0)
    )
    burn = consumed / elapsed_share if elapsed_share else None
    return Budget(
        allowed_ratio=allowed_ratio,
        allowed_events=allowed_events,
        spent_events=bad,
        remaining_events=allowed_events - bad,
        consumed_ratio=consumed,
        burn_rate=burn,
        projected_exhaustion_at=_exhaustion(consumed, burn, progress),
        alerts=_alerts(allowed_ratio, progress.length, recent),
    )


def _exhaustion(consumed: Decimal, burn: Decimal | None, progress: WindowProgress) -> str | None:
    """When the budget runs out at the window's average burn so far, if within the window."""
    if burn is None or burn == 0:
        return None
    if consumed >= 1:
        return "exhausted"
    if burn <= 1:
        # At this rate the budget lasts to the window's end or beyond.
        return None
    # consumed grows linearly with elapsed time at the current rate: it reaches 1 at
    # elapsed / consumed, which is inside the window because the burn rate is above 1.
    lasts = Decimal(_microseconds(progress.elapsed)) / consumed
    at = progress.start_at + dt.timedelta(microseconds=int(lasts))
    return at.isoformat() if at < progress.end_at else None


def _microseconds(length: dt.timedelta) -> int:
    return (length.days * 86400 + length.seconds) * 1_000_000 + length.microseconds


def _alerts(
    allowed_ratio: Decimal, window: dt.timedelta, recent: tuple[BurnCounts, ...]
) -> tuple[str, ...]:
    by_span = {counts.span: counts for counts in recent}
    fired = []
    for alert in BURN_ALERTS:
        long, short = by_span.get(alert.long), by_span.get(alert.short)
        if long is None or short is None:
            continue
        threshold = alert.threshold(window)
        long_rate, short_rate = long.burn_rate(allowed_ratio), short.burn_rate(allowed_ratio)
        if (
            long_rate is not None
            and short_rate is not None
            and min(long_rate, short_rate) > threshold
        ):
            fired.append(
                f"{alert.name}: burn {format_decimal(round(long_rate, 2))}× over "
                f"{_span(alert.long)} and {format_decimal(round(short_rate, 2))}× over "
                f"{_span(alert.short)} exceed "
                f"{format_decimal(round(threshold, 2))}×"
            )
    return tuple(fired)


def _span(length: dt.timedelta) -> str:
    return str(Duration.of(length))
