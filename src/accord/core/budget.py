"""Error budgets and burn rates of occurrence objectives (SRE workbook practice).

For a target T in (0, 1) the budget is the share 1 − T of valid events that may be bad.

- Burn rate over a look-back window w: e(w) / (1 − T), where e(w) = bad(w) / valid(w). The
  burn rate of the window so far is the one over the look-back since its start.
- Budget consumed: bad events ÷ the whole window's allowance (1 − T) · N, where N is the
  window's volume. While the window is open N is projected from the traffic so far, as if
  it went on evenly: N = n / x for n valid events in the elapsed share x of the window. So
  consumed = burn rate × x, and at a constant error rate equal to the allowed one the burn
  rate is 1 at every instant and the budget runs out exactly at the window's end.
- Projected exhaustion: at the burn rate so far, consumed reaches 1 at x = 1 / burn rate,
  which lies inside the window only when the burn rate is above 1.
- A multi-window alert fires when both its long and short windows burn faster than
  f · P / L, the rate that spends a fraction f of the budget of a window of length P within
  the long window L. Rates are compared unrounded.

Source: Beyer et al., The Site Reliability Workbook, ch. 5 "Alerting on SLOs" (O'Reilly 2018).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from accord.core.model.objectives import BurnAlertSpec
from accord.core.units import Duration, format_decimal
from accord.core.verdicts import Budget, BurnRate, show_seconds

__all__ = [
    "BURN_ALERTS",
    "BurnAlert",
    "BurnCounts",
    "BurnWatch",
    "WindowProgress",
    "burn_alerts",
    "error_budget",
    "look_backs",
]


@dataclass(frozen=True)
class BurnAlert:
    """One multi-window burn-rate alert: spend ``budget_fraction`` within ``long``."""

    name: str
    long: dt.timedelta
    short: dt.timedelta
    budget_fraction: Decimal

    @classmethod
    def of(cls, spec: BurnAlertSpec) -> BurnAlert:
        return cls(
            spec.name, spec.long.to_timedelta(), spec.short.to_timedelta(), spec.budget.ratio
        )

    def threshold(self, window: dt.timedelta) -> Decimal:
        """The burn rate that spends the fraction within the long window: f · P / L."""
        return self.budget_fraction * Decimal(_microseconds(window)) / _microseconds(self.long)


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


def burn_alerts(declared: Sequence[BurnAlertSpec] | None) -> tuple[BurnAlert, ...]:
    """The alerts an objective declares; the workbook's four when it declares none."""
    if declared is None:
        return BURN_ALERTS
    return tuple(BurnAlert.of(spec) for spec in declared)


def look_backs(alerts: Sequence[BurnAlert]) -> tuple[dt.timedelta, ...]:
    """Every look-back window of the alerts, shortest first."""
    return tuple(sorted({a.long for a in alerts} | {a.short for a in alerts}))


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
class BurnWatch:
    """The alerts watched over a window and the counts of their look-back windows."""

    recent: tuple[BurnCounts, ...] = ()
    alerts: tuple[BurnAlert, ...] = BURN_ALERTS


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
    watch: BurnWatch | None = None,
) -> Budget:
    """The budget of one window as of ``progress.as_of`` (see the module's definitions)."""
    recent, alerts = (watch.recent, watch.alerts) if watch else ((), BURN_ALERTS)
    allowed_ratio = 1 - target_ratio
    bad = valid - good
    rates = tuple(BurnRate(c.span, c.bad, c.valid, c.burn_rate(allowed_ratio)) for c in recent)
    if allowed_ratio <= 0:
        # A target of 100% allows nothing: one bad event spends it all, and the share
        # consumed (bad / 0) is undefined rather than infinite.
        method = "a target of 100% allows no bad event"
        if bad == 0:
            return Budget(
                Decimal(0),
                Decimal(0),
                0,
                Decimal(0),
                Decimal(0),
                None,
                None,
                method=method,
                burn_rates=rates,
            )
        return Budget(
            Decimal(0),
            Decimal(0),
            bad,
            -Decimal(bad),
            None,
            None,
            None,
            exhausted=True,
            method=method,
            burn_rates=rates,
        )
    elapsed, length = _microseconds(progress.elapsed), _microseconds(progress.length)
    # N = n / x with x = elapsed / length, each figure divided once so that exact
    # quotients stay exact.
    window_events = Decimal(valid * length) / elapsed if elapsed else None
    allowed_events = allowed_ratio * window_events if window_events is not None else Decimal(0)
    burn = Decimal(bad) / valid / allowed_ratio if valid else Decimal(0)
    consumed = Decimal(bad * elapsed) / (allowed_ratio * valid * length) if valid else Decimal(0)
    exhausted = consumed > 1 or (consumed == 1 and progress.elapsed < progress.length)
    return Budget(
        allowed_ratio=allowed_ratio,
        allowed_events=allowed_events,
        spent_events=bad,
        remaining_events=allowed_events - bad,
        consumed_ratio=consumed,
        burn_rate=burn,
        projected_exhaustion_at=None if exhausted else _exhaustion(burn, progress),
        alerts=_alerts(allowed_ratio, progress.length, recent, alerts),
        exhausted=exhausted,
        window_events=window_events,
        method=_method(valid, window_events, progress),
        burn_rates=rates,
    )


def _method(valid: int, window_events: Decimal | None, progress: WindowProgress) -> str:
    if window_events is None:
        return "the window has not started: no volume to allow bad events from"
    if progress.elapsed == progress.length:
        return f"the window is complete: its {valid:,} valid events"
    return (
        f"window volume projected from the traffic so far, as if it went on evenly: "
        f"{valid:,} valid events in {_length(progress.elapsed)} of {_length(progress.length)} "
        f"→ {format_decimal(round(window_events, 1))} expected"
    )


def _exhaustion(burn: Decimal, progress: WindowProgress) -> dt.datetime | None:
    """When a budget not yet spent runs out at the window's burn rate so far, if within the
    window."""
    if burn <= 1:
        # At this rate the budget lasts to the window's end or beyond.
        return None
    # consumed = burn × elapsed share: it reaches 1 at the share 1 / burn, inside the window
    # because the burn rate is above 1 (and after now because consumed is below 1).
    lasts = Decimal(_microseconds(progress.length)) / burn
    return progress.start_at + dt.timedelta(microseconds=int(lasts))


def _microseconds(length: dt.timedelta) -> int:
    return (length.days * 86400 + length.seconds) * 1_000_000 + length.microseconds


def _alerts(
    allowed_ratio: Decimal,
    window: dt.timedelta,
    recent: tuple[BurnCounts, ...],
    alerts: tuple[BurnAlert, ...],
) -> tuple[str, ...]:
    by_span = {counts.span: counts for counts in recent}
    fired = []
    for alert in alerts:
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


def _length(length: dt.timedelta) -> str:
    return show_seconds(Decimal(_microseconds(length)) / 1_000_000)
