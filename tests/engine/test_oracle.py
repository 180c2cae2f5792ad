"""The engine against an independent, deliberately simple oracle on generated data.

The oracle below knows nothing of DuckDB, SQL or the engine's modules: it reads the rows it
generated as plain Python values and computes each indicator the slow, obvious way (counting
row by row, sorting a list for percentiles, walking time slices one by one). Hypothesis
generates small data sets with timestamps around the boundaries of October 2026 in
Europe/Berlin (a month of 745 hours: the clocks go back on 25 October) and the engine's
verdicts must agree with the oracle on every one of them.

Definitions the oracle holds the engine to:

- Rows: those in [window start, measured end) that no exclusion removes, where the measured
  end is the window's end or ``as_of`` if earlier. Excluded rows are counted per scope.
- Ratio: good valid rows / valid rows.
- Threshold: rows with a measure at or below (or strictly below) the threshold / rows with
  a measure.
- Percentile (exact): nearest rank, the ⌈p/100 × n⌉-th smallest of the n measured values.
- Time slices: the window is cut into slices from its start; the slices counted are those
  starting before the measured end (and, during a peak period, starting inside it). A slice
  is excluded when it overlaps an excluded period; a slice with events is good when at
  least the slice target of its events are good; a slice without events counts as the rule
  says. A scope without any counted event in the window has no data.
- Mean/median time: of end − start over rows with both; first-contact resolution: resolved
  with one contact / resolved; CSAT: mean of the scores, or share of scores ≥ 4; NPS:
  100 × (scores ≥ 9 − scores ≤ 6) / responses; business gauges: Σ numerator / Σ denominator.
- Exclusions: maintenance counts when announced a day ahead, up to 3 hours per local month
  of its start, earliest first; consumer-caused rows are left out one by one.
- Coverage: the local days (Berlin) with rows, excluded rows included, of the days the
  window has reached (during a peak period, of those the peak touches); for time slices,
  the days in which a counted slice with events starts.
- Credits: the worst tier any scope falls strictly below, once per window.
- Scopes: every value of the scope columns seen in the rows the objective selects (at any
  time); a scope silent in the window is reported with no data.
- Verdicts: met at or better than the target, deviation down to the tolerance (inclusive),
  breach beyond; no data when there is no value.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.connectors.files import FileReader
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.periods import parse_period
from accord.core.verdicts import Outcome, Verdict
from accord.engine.evaluate import EvaluationRequest, evaluate
from tests.engine import builders
from tests.engine.builders import write_rows

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
WINDOW_START = dt.datetime(2026, 10, 1, tzinfo=BERLIN).astimezone(UTC)
WINDOW_END = dt.datetime(2026, 11, 1, tzinfo=BERLIN).astimezone(UTC)
DST_CHANGE = dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
REGIONS = ("eu", "us", "ap")
ORACLE_METADATA = {"id": "oracle", "title": "Oracle agreement", "version": "1"}

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --------------------------------------------------------------------------------------
# The oracle: plain Python over plain rows.
# --------------------------------------------------------------------------------------


def in_window(at: dt.datetime, end: dt.datetime = WINDOW_END) -> bool:
    return WINDOW_START <= at < end


def share(good: int, valid: int) -> Decimal | None:
    return Decimal(good) / Decimal(valid) if valid else None


def nearest_rank(values: Sequence[Decimal], percentile: Decimal) -> Decimal | None:
    """The ⌈p/100 × n⌉-th smallest value (1-based), on an exactly computed rank."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(percentile / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def outcome(value: Decimal | None, target: Decimal, tolerance: Decimal, higher: bool) -> Outcome:
    if value is None:
        return Outcome.NO_DATA
    better_or_equal = (lambda a, b: a >= b) if higher else (lambda a, b: a <= b)
    if better_or_equal(value, target):
        return Outcome.MET
    if better_or_equal(value, tolerance):
        return Outcome.DEVIATION
    return Outcome.BREACH


def coverage(days: set[dt.date], as_of: dt.datetime, peak: bool = False) -> str | None:
    """'N of M days': local days with data of the local days the window has reached (with
    a peak period in office hours, only the weekdays: the days the peak touches)."""
    end = min(as_of, WINDOW_END)
    if end <= WINDOW_START:
        return None
    first = WINDOW_START.astimezone(BERLIN).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(BERLIN).date()
    expected = {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
    if peak:
        expected = {day for day in expected if day.weekday() < 5}
        if not expected:
            return "no day data is expected on yet (office-hours)"
        return f"{len(days & expected)} of {len(expected)} days (office-hours)"
    return f"{len(days & expected)} of {len(expected)} days"


def ratio(text: str) -> Decimal:
    """'99.5%' → 0.995."""
    return Decimal(text.rstrip("%")) / 100


@dataclass(frozen=True)
class Expected:
    """What the oracle says about one objective in one scope."""

    value: Decimal | None
    outcome: Outcome
    counts: dict[str, int]
    excluded: dict[str, int]
    #: The coverage's wording ("12 of 31 days"), when the oracle checks it.
    coverage: str | None = None


# --------------------------------------------------------------------------------------
# Running the engine.
# --------------------------------------------------------------------------------------


def agreement_of(sections: dict[str, Any]) -> Agreement:
    return builders.agreement_of({**sections, "metadata": ORACLE_METADATA})


def run(agreement: Agreement, folder: Path, as_of: dt.datetime = WINDOW_END) -> Evaluation:
    period = parse_period("2026-10", "Europe/Berlin")
    assert (period.start_at, period.end_at) == (WINDOW_START, WINDOW_END)
    request = EvaluationRequest(data_dir=folder, period=period, as_of=as_of, reader=FileReader())
    return evaluate(agreement, request)


def by_objective(evaluation: Evaluation, objective: str) -> dict[str, Verdict]:
    found = {v.scope_label: v for v in evaluation.verdicts if v.objective == objective}
    assert all(v.window.label == "2026-10" for v in found.values())
    return found


def assert_agrees(
    verdicts: dict[str, Verdict],
    expected: dict[str, Expected],
    close: Callable[[Decimal, Decimal], bool] = lambda a, b: a == b,
) -> None:
    if not expected:
        # No scope value in the selected rows at all: the objective is still reported, once.
        (only,) = verdicts.values()
        assert only.outcome is Outcome.NO_DATA
        assert set(only.scope.values()) <= {"(none seen)"}
        return
    assert set(verdicts) == set(expected)
    for scope, want in expected.items():
        got = verdicts[scope]
        if want.value is None or got.value is None:
            assert got.value == want.value, scope
        else:
            assert close(got.value, want.value), (scope, got.value, want.value)
        assert got.outcome is want.outcome, (scope, got.computation)
        for name, count in want.counts.items():
            assert got.counts.get(name, 0) == count, (scope, name, got.counts)
        assert got.exclusions == want.excluded, scope
        if want.coverage is not None:
            assert got.coverage.detail == want.coverage, (scope, got.coverage)


def fresh(tmp_path: Path) -> Path:
    """A new folder per generated example (the fixture's folder is shared by all)."""
    folder = tmp_path / uuid.uuid4().hex
    folder.mkdir()
    return folder


# --------------------------------------------------------------------------------------
# Strategies.
# --------------------------------------------------------------------------------------

SPECIAL_INSTANTS = (
    WINDOW_START,
    WINDOW_START - dt.timedelta(seconds=1),
    WINDOW_END - dt.timedelta(seconds=1),
    WINDOW_END,
    DST_CHANGE - dt.timedelta(seconds=1),
    DST_CHANGE,
    DST_CHANGE + dt.timedelta(minutes=30),
)


def instants(
    start: dt.datetime = WINDOW_START - dt.timedelta(hours=3),
    end: dt.datetime = WINDOW_END + dt.timedelta(hours=3),
) -> st.SearchStrategy[dt.datetime]:
    seconds = int((end - start).total_seconds())
    spread = st.integers(0, seconds).map(lambda s: start + dt.timedelta(seconds=s))
    return st.one_of(st.sampled_from(SPECIAL_INSTANTS), spread, spread)


PERCENTAGES = ("50%", "75%", "80%", "90%", "95%", "99%", "100%")


@st.composite
def band(draw: st.DrawFn) -> tuple[str, str]:
    """A target and a tolerance at or below it, as percentages."""
    target = draw(st.sampled_from(PERCENTAGES))
    tolerance = draw(st.sampled_from([p for p in PERCENTAGES if ratio(p) <= ratio(target)]))
    return target, tolerance


# --------------------------------------------------------------------------------------
# Occurrence indicators: ratio, threshold, percentile, with a consumer-caused exclusion
# and a credit scheme.
# --------------------------------------------------------------------------------------

THRESHOLDS_MS = (100, 300, 700, 1100)
REQUESTS_SCHEMA = pa.schema(
    [
        ("at", pa.timestamp("us", tz="UTC")),
        ("region", pa.string()),
        ("status", pa.int64()),
        ("latency_ms", pa.int64()),
        ("blame", pa.string()),
    ]
)


@st.composite
def request_events(draw: st.DrawFn) -> list[dict[str, Any]]:
    latency = st.one_of(st.sampled_from(THRESHOLDS_MS), st.integers(0, 2000), st.none())
    row = st.fixed_dictionaries(
        {
            "at": instants(),
            "region": st.sampled_from(REGIONS),
            "status": st.sampled_from((200, 201, 404, 500, 503)),
            "latency_ms": latency,
            "blame": st.sampled_from(("provider", "provider", "consumer")),
        }
    )
    return draw(st.lists(row, min_size=1, max_size=120))


@dataclass(frozen=True)
class OccurrenceCase:
    events: list[dict[str, Any]]
    fmt: str
    availability: tuple[str, str]
    threshold_ms: int
    inclusive: bool
    fast: tuple[str, str]
    percentile: Decimal
    latency: tuple[int, int]
    as_of: dt.datetime


@st.composite
def occurrence_cases(draw: st.DrawFn) -> OccurrenceCase:
    events = draw(request_events())
    measured = sorted({e["latency_ms"] for e in events if e["latency_ms"] is not None})
    target_ms = draw(st.sampled_from(measured or [300]))
    tolerance_ms = draw(st.sampled_from([m for m in [*measured, 2000] if m >= target_ms]))
    return OccurrenceCase(
        events=events,
        fmt=draw(st.sampled_from(("csv", "jsonl", "parquet"))),
        availability=draw(band()),
        threshold_ms=draw(st.sampled_from(THRESHOLDS_MS)),
        inclusive=draw(st.booleans()),
        fast=draw(band()),
        percentile=draw(st.sampled_from([Decimal(p) for p in ("50", "90", "95", "99", "99.9")])),
        latency=(target_ms, tolerance_ms),
        as_of=draw(st.one_of(st.just(WINDOW_END), instants(WINDOW_START, WINDOW_END))),
    )


def credit_tiers(target: str, tolerance: str) -> list[dict[str, str]]:
    """Tiers starting at the target, each threshold strictly worse, credits rising."""
    thresholds = sorted({ratio(target), ratio(tolerance), Decimal("0.25")}, reverse=True)
    thresholds = [t for t in thresholds if t <= ratio(target)]
    credits = ("10%", "25%", "100%")
    return [
        {"below": f"{t * 100:f}%", "credit": credit}
        for t, credit in zip(thresholds, credits, strict=False)
    ]


def occurrence_agreement(case: OccurrenceCase, events_file: str) -> Agreement:
    return agreement_of(
        {
            "sources": [
                {
                    "id": "requests",
                    "kind": "events",
                    "format": case.fmt,
                    "path": events_file,
                    "timestamp": "at",
                    "columns": {
                        "at": {"column": "at", "type": "timestamp"},
                        "region": {"column": "region", "type": "string"},
                        "status": {"column": "status", "type": "integer"},
                        "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
                        "blame": {"column": "blame", "type": "string"},
                    },
                }
            ],
            "indicators": [
                {
                    "id": "success",
                    "name": "Successful requests",
                    "kind": "ratio",
                    "source": "requests",
                    "good": "status < 500",
                    "valid": "status <> 404",
                },
                {
                    "id": "fast",
                    "name": "Fast requests",
                    "kind": "threshold",
                    "source": "requests",
                    "measure": "latency",
                    "threshold": f"{case.threshold_ms}ms",
                    "inclusive": case.inclusive,
                },
                {
                    "id": "tail",
                    "name": "Tail latency",
                    "kind": "percentile",
                    "source": "requests",
                    "measure": "latency",
                    "percentile": str(case.percentile),
                },
            ],
            "objectives": [
                {
                    "id": "availability",
                    "name": "Availability",
                    "indicator": "success",
                    "target": case.availability[0],
                    "tolerance": case.availability[1],
                    "window": "month",
                    "scope": ["region"],
                },
                {
                    "id": "speed",
                    "name": "Speed outside Asia",
                    "indicator": "fast",
                    "target": case.fast[0],
                    "tolerance": case.fast[1],
                    "window": "month",
                    "scope": ["region"],
                    "where": "region <> 'ap'",
                },
                {
                    "id": "tail-latency",
                    "name": "Tail latency",
                    "indicator": "tail",
                    "target": f"{case.latency[0]}ms",
                    "tolerance": f"{case.latency[1]}ms",
                    "window": "month",
                },
            ],
            "exclusions": [
                {
                    "id": "caused-by-buyer",
                    "kind": "consumer_caused",
                    "description": "Requests the buyer broke.",
                    "source": "requests",
                    "where": "blame = 'consumer'",
                }
            ],
            "remedies": {
                "claim_window": "2 months",
                "credits": [
                    {
                        "id": "availability-credits",
                        "objectives": ["availability"],
                        "basis": "1000 EUR",
                        "tiers": credit_tiers(*case.availability),
                        "cap": "100%",
                    }
                ],
            },
        }
    )


def scopes_of(rows: Iterable[dict[str, Any]], keep: Callable[[dict[str, Any]], bool]) -> set[str]:
    return {f"region={row['region']}" for row in rows if keep(row)}


def oracle_availability(case: OccurrenceCase) -> dict[str, Expected]:
    target, tolerance = (ratio(p) for p in case.availability)
    expected = {}
    for scope in scopes_of(case.events, lambda row: True):
        rows = [
            e
            for e in case.events
            if f"region={e['region']}" == scope and in_window(e["at"], case.as_of)
        ]
        counted = [e for e in rows if e["blame"] != "consumer"]
        valid = [e for e in counted if e["status"] != 404]
        good = [e for e in valid if e["status"] < 500]
        value = share(len(good), len(valid))
        excluded = len(rows) - len(counted)
        expected[scope] = Expected(
            value,
            outcome(value, target, tolerance, higher=True),
            {"good": len(good), "valid": len(valid)},
            {"events": excluded} if excluded else {},
        )
    return expected


def oracle_speed(case: OccurrenceCase) -> dict[str, Expected]:
    target, tolerance = (ratio(p) for p in case.fast)
    expected = {}
    for scope in scopes_of(case.events, lambda row: row["region"] != "ap"):
        rows = [
            e
            for e in case.events
            if f"region={e['region']}" == scope and in_window(e["at"], case.as_of)
        ]
        counted = [e for e in rows if e["blame"] != "consumer"]
        valid = [e["latency_ms"] for e in counted if e["latency_ms"] is not None]
        good = [
            ms
            for ms in valid
            if (ms <= case.threshold_ms if case.inclusive else ms < case.threshold_ms)
        ]
        value = share(len(good), len(valid))
        excluded = len(rows) - len(counted)
        expected[scope] = Expected(
            value,
            outcome(value, target, tolerance, higher=True),
            {"good": len(good), "valid": len(valid)},
            {"events": excluded} if excluded else {},
        )
    return expected


def oracle_tail(case: OccurrenceCase) -> dict[str, Expected]:
    rows = [e for e in case.events if in_window(e["at"], case.as_of)]
    counted = [e for e in rows if e["blame"] != "consumer"]
    seconds = [Decimal(e["latency_ms"]) / 1000 for e in counted if e["latency_ms"] is not None]
    value = nearest_rank(seconds, case.percentile)
    target, tolerance = (Decimal(ms) / 1000 for ms in case.latency)
    excluded = len(rows) - len(counted)
    return {
        "all": Expected(
            value,
            outcome(value, target, tolerance, higher=False),
            {"valid": len(seconds)},
            {"events": excluded} if excluded else {},
        )
    }


def oracle_credit(case: OccurrenceCase, availability: dict[str, Expected]) -> Decimal | None:
    """The credit owed: the worst tier any scope falls strictly below, once per window."""
    tiers = credit_tiers(*case.availability)
    reached = 0
    for expected in availability.values():
        if expected.value is None:
            continue
        for index, tier in enumerate(tiers, start=1):
            if expected.value < ratio(tier["below"]):
                reached = max(reached, index)
    if reached == 0:
        return None
    return Decimal(1000) * ratio(tiers[reached - 1]["credit"])


def write_requests(folder: Path, case: OccurrenceCase) -> str:
    return write_rows(folder, "requests", case.fmt, case.events, REQUESTS_SCHEMA)


@EXAMPLES
@given(case=occurrence_cases())
def test_ratio_threshold_and_percentile_agree_with_the_oracle(
    tmp_path: Path, case: OccurrenceCase
) -> None:
    folder = fresh(tmp_path)
    agreement = occurrence_agreement(case, write_requests(folder, case))
    evaluation = run(agreement, folder, as_of=case.as_of)

    availability = oracle_availability(case)
    assert_agrees(by_objective(evaluation, "availability"), availability)
    assert_agrees(by_objective(evaluation, "speed"), oracle_speed(case))
    assert_agrees(by_objective(evaluation, "tail-latency"), oracle_tail(case))

    owed = oracle_credit(case, availability)
    credits = [c.credit.amount.amount for c in evaluation.credits]
    assert credits == ([] if owed is None else [owed])


@EXAMPLES
@given(case=occurrence_cases())
def test_error_budget_agrees_with_the_oracle(tmp_path: Path, case: OccurrenceCase) -> None:
    folder = fresh(tmp_path)
    agreement = occurrence_agreement(case, write_requests(folder, case))
    evaluation = run(agreement, folder, as_of=case.as_of)

    target = ratio(case.availability[0])
    # The window's volume is projected from the traffic so far (SRE workbook): N = n / x.
    elapsed = Fraction((min(case.as_of, WINDOW_END) - WINDOW_START) // dt.timedelta(microseconds=1))
    share = elapsed / Fraction((WINDOW_END - WINDOW_START) // dt.timedelta(microseconds=1))
    for scope, verdict in by_objective(evaluation, "availability").items():
        expected = oracle_availability(case)[scope]
        good, valid = expected.counts["good"], expected.counts["valid"]
        budget = verdict.budget
        assert budget is not None
        assert budget.allowed_ratio == 1 - target
        assert budget.spent_events == valid - good
        if target == 1 or not share:
            continue
        allowed = Fraction(1 - target) * valid / share
        assert abs(Fraction(budget.allowed_events) - allowed) < Fraction(1, 10**12)
        assert abs(Fraction(budget.remaining_events) - (allowed - (valid - good))) < Fraction(
            1, 10**12
        )
        if valid:
            assert budget.burn_rate == Decimal(valid - good) / valid / (1 - target)
            consumed = Fraction(valid - good) / allowed
            assert budget.consumed_ratio is not None
            assert abs(Fraction(budget.consumed_ratio) - consumed) < Fraction(1, 10**20)


# --------------------------------------------------------------------------------------
# Time slices: walk every slice of the window, one by one.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Maintenance:
    start_at: dt.datetime
    end_at: dt.datetime
    announced_at: dt.datetime


NOTICE = dt.timedelta(days=1)
MONTHLY_CAP = dt.timedelta(hours=3)


def counted_maintenance(periods: Iterable[Maintenance]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Announced at least a day ahead; at most 3 hours per month of its start, earliest first."""
    used: dict[tuple[int, int], dt.timedelta] = {}
    counted = []
    for period in sorted(periods, key=lambda p: (p.start_at, p.end_at)):
        if period.end_at <= period.start_at or period.start_at - period.announced_at < NOTICE:
            continue
        local = period.start_at.astimezone(BERLIN)
        month = (local.year, local.month)
        left = MONTHLY_CAP - used.get(month, dt.timedelta())
        if left <= dt.timedelta():
            continue
        allowed = min(period.end_at - period.start_at, left)
        used[month] = used.get(month, dt.timedelta()) + allowed
        counted.append((period.start_at, period.start_at + allowed))
    return counted


@dataclass(frozen=True)
class SliceCase:
    probes: list[dict[str, Any]]
    maintenance: list[Maintenance]
    slice_minutes: int
    slice_target: str
    no_traffic: str
    band: tuple[str, str]
    as_of: dt.datetime
    peak: bool


@st.composite
def maintenance_periods(draw: st.DrawFn) -> Maintenance:
    start = draw(instants())
    length = draw(st.sampled_from((0, 30, 45, 60, 90, 150, 200))) * 60
    notice = draw(st.sampled_from((0, 3600, 86399, 86400, 172800)))
    return Maintenance(
        start, start + dt.timedelta(seconds=length), start - dt.timedelta(seconds=notice)
    )


@st.composite
def slice_cases(draw: st.DrawFn) -> SliceCase:
    probe = st.fixed_dictionaries(
        {
            "probed_at": instants(),
            "region": st.sampled_from(REGIONS),
            "ok": st.booleans(),
            "latency_ms": st.one_of(st.none(), st.integers(0, 2000)),
        }
    )
    cluster = draw(instants())
    bursts = st.fixed_dictionaries(
        {
            "probed_at": st.integers(0, 3600).map(lambda s: cluster + dt.timedelta(seconds=s)),
            "region": st.sampled_from(REGIONS),
            "ok": st.booleans(),
            "latency_ms": st.one_of(st.none(), st.integers(0, 2000)),
        }
    )
    open_window = draw(st.booleans())
    return SliceCase(
        probes=draw(st.lists(st.one_of(probe, bursts), min_size=1, max_size=150)),
        maintenance=draw(st.lists(maintenance_periods(), max_size=3)),
        slice_minutes=draw(st.sampled_from((5, 7, 15, 60))),
        slice_target=draw(st.sampled_from(("50%", "90%", "100%"))),
        no_traffic=draw(st.sampled_from(("good", "bad", "excluded"))),
        band=draw(band()),
        as_of=draw(instants(WINDOW_START, WINDOW_END)) if open_window else WINDOW_END,
        peak=draw(st.booleans()),
    )


OFFICE_HOURS = {
    "id": "office-hours",
    "timezone": "Europe/Berlin",
    "hours": {"weekdays": ["09:00-17:00"]},
}


def in_office_hours(at: dt.datetime) -> bool:
    local = at.astimezone(BERLIN)
    return local.weekday() < 5 and 9 * 60 <= local.hour * 60 + local.minute < 17 * 60


def slice_agreement(case: SliceCase) -> Agreement:
    during = {"during": "office-hours"} if case.peak else {}
    return agreement_of(
        {
            "peak_periods": [OFFICE_HOURS],
            "sources": [
                {
                    "id": "probes",
                    "kind": "probes",
                    "format": "csv",
                    "path": "probes.csv",
                    "timestamp": "probed_at",
                    "columns": {
                        "probed_at": {"column": "probed_at", "type": "timestamp"},
                        "region": {"column": "region", "type": "string"},
                        "ok": {"column": "ok", "type": "boolean"},
                        "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
                    },
                },
                builders.MAINTENANCE_SOURCE,
            ],
            "indicators": [
                {
                    "id": "uptime",
                    "name": "Uptime",
                    "kind": "timeslice",
                    "source": "probes",
                    "slice": f"{case.slice_minutes}m",
                    "good": "ok = true",
                    "slice_target": case.slice_target,
                    "no_traffic": case.no_traffic,
                },
                {
                    "id": "answered",
                    "name": "Answered probes",
                    "kind": "ratio",
                    "source": "probes",
                    "good": "ok = true",
                },
                {
                    "id": "probe-latency",
                    "name": "Probe latency",
                    "kind": "percentile",
                    "source": "probes",
                    "measure": "latency",
                    "percentile": 90,
                },
            ],
            "objectives": [
                {
                    "id": "uptime",
                    "name": "Monthly uptime",
                    "indicator": "uptime",
                    "target": case.band[0],
                    "tolerance": case.band[1],
                    "window": "month",
                    "scope": ["region"],
                    **during,
                },
                # Objectives on the same rows as the time slices: measured in the same pass.
                {
                    "id": "answered",
                    "name": "Answered probes",
                    "indicator": "answered",
                    "target": case.band[0],
                    "tolerance": case.band[1],
                    "window": "month",
                    "scope": ["region"],
                    **during,
                },
                {
                    "id": "probe-latency",
                    "name": "Probe latency",
                    "indicator": "probe-latency",
                    "target": "800ms",
                    "tolerance": "1500ms",
                    "window": "month",
                    "scope": ["region"],
                    **during,
                },
            ],
            "exclusions": [
                {
                    "id": "maintenance",
                    "kind": "maintenance",
                    "description": "Announced a day ahead, three hours a month at most.",
                    "source": "maintenance",
                    "notice": "1 day",
                    "monthly_cap": "3h",
                }
            ],
        }
    )


def oracle_slices(case: SliceCase) -> dict[str, Expected]:
    length = dt.timedelta(minutes=case.slice_minutes)
    measured_end = min(case.as_of, WINDOW_END)
    total = math.ceil((measured_end - WINDOW_START) / length)
    excluded_periods = counted_maintenance(case.maintenance)
    slices = {k: WINDOW_START + k * length for k in range(total)}
    if case.peak:  # only slices starting in office hours count, with all their events
        slices = {k: start for k, start in slices.items() if in_office_hours(start)}
    excluded = {
        k
        for k, start in slices.items()
        if any(a < start + length and b > start for a, b in excluded_periods)
    }
    target, tolerance = (ratio(p) for p in case.band)
    expected = {}
    for scope in scopes_of(case.probes, lambda row: True):
        region = scope.removeprefix("region=")
        events: dict[int, list[bool]] = {}
        for probe in case.probes:
            if probe["region"] == region and in_window(probe["probed_at"], measured_end):
                index = (probe["probed_at"] - WINDOW_START) // length
                events.setdefault(index, []).append(probe["ok"])
        good = counted = with_traffic = 0
        days = set()
        for k in slices:
            if k in excluded:
                continue
            oks = events.get(k, [])
            if oks:
                days.add(slices[k].astimezone(BERLIN).date())
                with_traffic += 1
                counted += 1
                good += sum(oks) >= ratio(case.slice_target) * len(oks)
            elif case.no_traffic != "excluded":
                counted += 1
                good += case.no_traffic == "good"
        value = share(good, counted) if with_traffic else None
        expected[scope] = Expected(
            value,
            outcome(value, target, tolerance, higher=True),
            {"good": good, "valid": counted} if with_traffic else {},
            {"slices": len(excluded)} if excluded else {},
            coverage(days, case.as_of, case.peak),
        )
    return expected


def probe_rows(case: SliceCase, scope: str) -> list[dict[str, Any]]:
    """A scope's probes in the measured window (and, during a peak, at peak instants)."""
    measured_end = min(case.as_of, WINDOW_END)
    return [
        probe
        for probe in case.probes
        if f"region={probe['region']}" == scope
        and in_window(probe["probed_at"], measured_end)
        and (not case.peak or in_office_hours(probe["probed_at"]))
    ]


def oracle_probe_measures(case: SliceCase) -> tuple[dict[str, Expected], dict[str, Expected]]:
    """The share of answered probes and their p90 latency, per region: probes inside a
    counted maintenance period are left out one by one."""
    periods = counted_maintenance(case.maintenance)
    target, tolerance = (ratio(p) for p in case.band)
    answered, latency = {}, {}
    for scope in scopes_of(case.probes, lambda row: True):
        rows = probe_rows(case, scope)
        counted = [p for p in rows if not any(a <= p["probed_at"] < b for a, b in periods)]
        excluded = {"events": len(rows) - len(counted)} if len(rows) > len(counted) else {}
        dates = {p["probed_at"].astimezone(BERLIN).date() for p in rows}
        days = coverage(dates, case.as_of, case.peak)
        value = share(sum(p["ok"] for p in counted), len(counted))
        answered[scope] = Expected(
            value,
            outcome(value, target, tolerance, higher=True),
            {"good": sum(p["ok"] for p in counted), "valid": len(counted)},
            excluded,
            days,
        )
        seconds = [Decimal(p["latency_ms"]) / 1000 for p in counted if p["latency_ms"] is not None]
        value = nearest_rank(seconds, Decimal(90))
        latency[scope] = Expected(
            value,
            outcome(value, Decimal("0.8"), Decimal("1.5"), higher=False),
            {"valid": len(seconds)},
            excluded,
            days,
        )
    return answered, latency


@EXAMPLES
@given(case=slice_cases())
def test_time_slices_and_the_objectives_sharing_their_rows_agree_with_the_oracle(
    tmp_path: Path, case: SliceCase
) -> None:
    folder = fresh(tmp_path)
    write_rows(folder, "probes", "csv", case.probes)
    maintenance = [
        {"starts_at": m.start_at, "ends_at": m.end_at, "announced_at": m.announced_at}
        for m in case.maintenance
    ]
    if maintenance:
        write_rows(folder, "maintenance", "csv", maintenance)
    else:
        (folder / "maintenance.csv").write_text("starts_at,ends_at,announced_at\n")
    evaluation = run(slice_agreement(case), folder, as_of=case.as_of)

    assert_agrees(by_objective(evaluation, "uptime"), oracle_slices(case))
    answered, latency = oracle_probe_measures(case)
    assert_agrees(by_objective(evaluation, "answered"), answered)
    assert_agrees(by_objective(evaluation, "probe-latency"), latency)


# --------------------------------------------------------------------------------------
# Sparse sources: incidents (mean and median time), tickets (first-contact resolution),
# surveys (CSAT mean, share satisfied, NPS) and business gauges.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SparseCase:
    incidents: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    surveys: list[dict[str, Any]]
    figures: list[dict[str, Any]]
    statistic: str
    repair: tuple[int, int]
    csat: tuple[str, str]
    nps: tuple[str, str]
    gauge: tuple[str, str]


@st.composite
def incident_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for number in range(draw(st.integers(0, 12))):
        started = draw(instants())
        minutes = draw(st.one_of(st.none(), st.integers(0, 600)))
        rows.append(
            {
                "id": f"inc-{number}",
                "started_at": started,
                "resolved_at": None
                if minutes is None
                else started + dt.timedelta(minutes=minutes, seconds=draw(st.integers(0, 59))),
                "severity": draw(st.sampled_from(("sev1", "sev2", "sev3"))),
            }
        )
    return rows


@st.composite
def sparse_cases(draw: st.DrawFn) -> SparseCase:
    ticket = st.fixed_dictionaries(
        {
            "opened_at": instants(),
            "contacts": st.integers(1, 3),
            "state": st.sampled_from(("resolved", "resolved", "open")),
        }
    )
    survey = st.fixed_dictionaries(
        {
            "answered_at": instants(),
            "csat": st.one_of(st.integers(1, 5), st.none()),
            "nps": st.integers(0, 10),
        }
    )
    figure = st.fixed_dictionaries(
        {
            "month_start": instants(),
            "segment": st.sampled_from(("smb", "enterprise")),
            "due": st.integers(0, 20),
            "renewed": st.integers(0, 20),
        }
    )
    return SparseCase(
        incidents=draw(incident_rows()),
        tickets=draw(st.lists(ticket, max_size=40)),
        surveys=draw(st.lists(survey, max_size=40)),
        figures=draw(st.lists(figure, max_size=10)),
        statistic=draw(st.sampled_from(("mean", "median"))),
        repair=draw(st.sampled_from(((30, 60), (60, 120), (120, 120), (5, 600)))),
        csat=draw(st.sampled_from((("4", "3.5"), ("3", "3"), ("4.5", "2")))),
        nps=draw(st.sampled_from((("30", "0"), ("0", "-20"), ("50", "50")))),
        gauge=draw(band()),
    )


def sparse_sources() -> list[dict[str, Any]]:
    def source(
        name: str, kind: str, timestamp: str, columns: dict[str, str], key: str | None = None
    ) -> dict[str, Any]:
        mapped = {column: {"column": column, "type": kind_} for column, kind_ in columns.items()}
        found: dict[str, Any] = {
            "id": name,
            "kind": kind,
            "format": "csv",
            "path": f"{name}.csv",
            "timestamp": timestamp,
            "columns": {timestamp: {"column": timestamp, "type": "timestamp"}, **mapped},
        }
        if key:
            found["key"] = key
        return found

    return [
        source(
            "incidents",
            "incidents",
            "started_at",
            {"id": "string", "resolved_at": "timestamp", "severity": "string"},
            key="id",
        ),
        source("tickets", "tickets", "opened_at", {"contacts": "integer", "state": "string"}),
        source("surveys", "surveys", "answered_at", {"csat": "number", "nps": "integer"}),
        source(
            "figures",
            "business",
            "month_start",
            {"segment": "string", "due": "integer", "renewed": "integer"},
        ),
    ]


def sparse_agreement(case: SparseCase) -> Agreement:
    def objective(name: str, indicator: str, target: str, tolerance: str) -> dict[str, Any]:
        return {
            "id": name,
            "name": name,
            "indicator": indicator,
            "target": target,
            "tolerance": tolerance,
            "window": "month",
        }

    return agreement_of(
        {
            "sources": sparse_sources(),
            "indicators": [
                {
                    "id": "mttr",
                    "name": "Time to repair",
                    "kind": "mean_time",
                    "source": "incidents",
                    "where": "severity in ('sev1', 'sev2')",
                    "start": "started_at",
                    "end": "resolved_at",
                    "statistic": case.statistic,
                },
                {
                    "id": "fcr",
                    "name": "First-contact resolution",
                    "kind": "first_contact_resolution",
                    "source": "tickets",
                    "contacts": "contacts",
                    "resolved": "state = 'resolved'",
                },
                *(
                    {
                        "id": f"csat-{method}",
                        "name": f"CSAT {method}",
                        "kind": "survey_score",
                        "source": "surveys",
                        "score": "csat",
                        "method": method,
                        **({"satisfied_at_least": "4"} if method == "share_satisfied" else {}),
                    }
                    for method in ("mean", "share_satisfied")
                ),
                {
                    "id": "nps",
                    "name": "Net promoter score",
                    "kind": "survey_score",
                    "source": "surveys",
                    "score": "nps",
                    "method": "nps",
                    "scale_min": 0,
                    "scale_max": 10,
                },
                {
                    "id": "renewal",
                    "name": "Renewal rate",
                    "kind": "business_gauge",
                    "source": "figures",
                    "numerator": "renewed",
                    "denominator": "due",
                    "better": "higher",
                },
            ],
            "objectives": [
                objective("repair", "mttr", f"{case.repair[0]}m", f"{case.repair[1]}m"),
                objective("first-contact", "fcr", "80%", "50%"),
                objective("csat-mean", "csat-mean", *case.csat),
                objective("csat-share", "csat-share_satisfied", "75%", "50%"),
                objective("nps", "nps", *case.nps),
                {**objective("renewals", "renewal", *case.gauge), "scope": ["segment"]},
            ],
        }
    )


def one(value: Decimal | None, target: Decimal, tolerance: Decimal, higher: bool) -> Expected:
    return Expected(value, outcome(value, target, tolerance, higher), {}, {})


def oracle_sparse(case: SparseCase) -> dict[str, dict[str, Expected]]:
    repairs = [
        Decimal(str((i["resolved_at"] - i["started_at"]).total_seconds()))
        for i in case.incidents
        if in_window(i["started_at"])
        and i["severity"] in ("sev1", "sev2")
        and i["resolved_at"] is not None
    ]
    if not repairs:
        repair = None
    elif case.statistic == "mean":
        repair = sum(repairs) / len(repairs)
    else:
        repair = statistics.median(repairs)
    tickets = [t for t in case.tickets if in_window(t["opened_at"])]
    resolved = [t for t in tickets if t["state"] == "resolved"]
    first = [t for t in resolved if t["contacts"] == 1]
    surveys = [s for s in case.surveys if in_window(s["answered_at"])]
    scores = [Decimal(s["csat"]) for s in surveys if s["csat"] is not None]
    promoters = sum(s["nps"] >= 9 for s in surveys)
    detractors = sum(s["nps"] <= 6 for s in surveys)
    nps = Decimal(promoters - detractors) * 100 / len(surveys) if surveys else None
    return {
        "repair": {
            "all": one(repair, *(Decimal(m * 60) for m in case.repair), higher=False),
        },
        "first-contact": {
            "all": one(share(len(first), len(resolved)), ratio("80%"), ratio("50%"), True)
        },
        "csat-mean": {
            "all": one(
                sum(scores) / len(scores) if scores else None,
                *(Decimal(x) for x in case.csat),
                higher=True,
            )
        },
        "csat-share": {
            "all": one(
                share(sum(s >= 4 for s in scores), len(scores)), ratio("75%"), ratio("50%"), True
            )
        },
        "nps": {"all": one(nps, *(Decimal(x) for x in case.nps), higher=True)},
        "renewals": oracle_gauge(case),
    }


def oracle_gauge(case: SparseCase) -> dict[str, Expected]:
    target, tolerance = (ratio(p) for p in case.gauge)
    expected = {}
    for segment in {f["segment"] for f in case.figures}:
        rows = [f for f in case.figures if f["segment"] == segment and in_window(f["month_start"])]
        due = sum(f["due"] for f in rows)
        value = Decimal(sum(f["renewed"] for f in rows)) / due if due else None
        expected[f"segment={segment}"] = one(value, target, tolerance, higher=True)
    return expected


def close_enough(got: Decimal, want: Decimal) -> bool:
    """Means and medians of seconds come back as doubles: equal to a billionth."""
    return abs(got - want) <= Decimal("1e-9") * max(abs(want), Decimal(1))


def write_sparse(folder: Path, case: SparseCase) -> None:
    headers = {
        "incidents": ["started_at", "id", "resolved_at", "severity"],
        "tickets": ["opened_at", "contacts", "state"],
        "surveys": ["answered_at", "csat", "nps"],
        "figures": ["month_start", "segment", "due", "renewed"],
    }
    for name, rows in (
        ("incidents", case.incidents),
        ("tickets", case.tickets),
        ("surveys", case.surveys),
        ("figures", case.figures),
    ):
        if rows:
            write_rows(folder, name, "csv", rows)
        else:
            (folder / f"{name}.csv").write_text(",".join(headers[name]) + "\n")


@EXAMPLES
@given(case=sparse_cases())
def test_mean_times_resolution_surveys_and_gauges_agree_with_the_oracle(
    tmp_path: Path, case: SparseCase
) -> None:
    folder = fresh(tmp_path)
    write_sparse(folder, case)
    evaluation = run(sparse_agreement(case), folder)

    for objective, expected in oracle_sparse(case).items():
        assert_agrees(by_objective(evaluation, objective), expected, close_enough)


# --------------------------------------------------------------------------------------
# The oracle's own sanity: the definitions it holds the engine to.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "percentile", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "90", 9),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "91", 10),
        ([5], "99.9", 5),
        ([3, 1, 2], "50", 2),
        (list(range(1, 101)), "99", 99),
        (list(range(1, 101)), "7", 7),
        (list(range(1, 1001)), "99.9", 999),
    ],
)
def test_nearest_rank_is_the_ceiling_rank(
    values: list[int], percentile: str, expected: int
) -> None:
    assert nearest_rank([Decimal(v) for v in values], Decimal(percentile)) == expected


def test_october_2026_in_berlin_has_745_hours() -> None:
    start, end = WINDOW_START, WINDOW_END
    assert start == dt.datetime(2026, 9, 30, 22, tzinfo=UTC)
    assert end == dt.datetime(2026, 10, 31, 23, tzinfo=UTC)
    assert end - start == dt.timedelta(hours=745)
