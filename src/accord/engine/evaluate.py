"""Evaluation: an agreement and its data → verdicts, budgets, credits and chronic findings.

The orchestration is per objective and window; all work on events happens in DuckDB.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from sqlglot import exp

from accord.core.budget import BurnWatch, WindowProgress, burn_alerts, error_budget
from accord.core.coverage import CoverageRule, coverage_rule
from accord.core.evaluation import ConsistencyFinding, Evaluation, SourceReport, WindowCredit
from accord.core.exclusions.periods import Announced, excluded_periods
from accord.core.exclusions.spec import Exclusion
from accord.core.expressions import Predicate
from accord.core.model import Agreement
from accord.core.model.measurement import (
    Direction,
    Indicator,
    Source,
    SourceFormat,
    ValueKind,
)
from accord.core.model.objectives import Consistency, Objective
from accord.core.model.sources import InsufficientData
from accord.core.periods import Period, WindowSpan, previous_windows, windows_in_period
from accord.core.remedies.caps import apply_caps
from accord.core.remedies.credits import assess_chronic, assess_credit, chronic_credits
from accord.core.units import add_duration
from accord.core.validation import value_kind_of
from accord.core.verdicts import CreditOwed, Outcome, Verdict, canonical, judge
from accord.engine.connection import Connection
from accord.engine.drill import bad_units, ticket_items, worst_hours
from accord.engine.kinds import Plan, Setting, plan_of
from accord.engine.measure import Measured, ScopeCache, Target, measure_windows
from accord.engine.records import Records, exported_source, load_records
from accord.engine.rows import Interval, Restrictions, Rows, RowsKey, source_table
from accord.engine.sources import BadRowPolicy, SourceReader, stored_source
from accord.engine.spark import SparkEngine
from accord.engine.sql import column, holds, instant, render, typed

__all__ = ["EvaluationRequest", "announced_periods", "evaluate"]

#: Sources whose rows are read as files under the data folder.
_FILES = (SourceFormat.CSV, SourceFormat.PARQUET, SourceFormat.JSONL)
#: Bad rows of a listing read outside an evaluation are set aside, written nowhere.
_SET_ASIDE = BadRowPolicy.QUARANTINE


@dataclass(frozen=True)
class EvaluationRequest:
    """What to evaluate: where the data is, which period, as of when, and the bad-row rule.

    ``pushed`` maps each pushed source to its committed batch files (Parquet, written by
    ``accord.connectors.batches``); a pushed source without batches has no data yet.
    ``reader`` reads the files of file sources and pushed batches
    (``accord.connectors.files``, wired by the services).
    """

    data_dir: Path
    period: Period
    as_of: dt.datetime
    reader: SourceReader = field(kw_only=True)
    policy: BadRowPolicy = BadRowPolicy.QUARANTINE
    quarantine_dir: Path | None = None
    pushed: Mapping[str, Sequence[Path]] = field(default_factory=dict)
    #: Called as work advances: (steps done, steps in all, what is being done).
    progress: Callable[[int, int, str], None] | None = None
    #: Measure on Spark (sources are still read and checked in DuckDB); None: on DuckDB.
    spark: SparkEngine | None = None
    #: Also list the items behind the verdicts (tickets, bad slices, worst hours).
    items: bool = False
    #: The rows of each recorded source (incidents, obligations), read by the service from
    #: its store; a recorded source without them (a file evaluation) has no rows.
    recorded: Mapping[str, Records] = field(default_factory=dict)
    #: Or exported: files (CSV or JSON lines, the recorded columns under their own names)
    #: holding a recorded source's rows, by source, for a file evaluation.
    recorded_files: Mapping[str, Sequence[Path]] = field(default_factory=dict)


def evaluate(agreement: Agreement, request: EvaluationRequest) -> Evaluation:
    """Evaluate every objective of the agreement over the requested period."""
    result = Evaluation(agreement, request.period, request.as_of)
    plans = _plans(agreement)
    with duckdb.connect() as duck:
        duck.execute("SET TimeZone = 'UTC'")
        # Aggregates need no row order; without it DuckDB streams with less memory.
        duck.execute("SET preserve_insertion_order = false")
        sources = _load_sources(duck, agreement, plans, request, result)
        intervals = _interval_exclusions(duck, agreement, sources, result)
        run = _Run(agreement, plans, intervals, request.as_of)
        with _measuring(duck, sources, request) as con:
            _measure(con, run, request, result)
    result.consistency = list(_consistency(agreement, result.verdicts))
    _remedies(result)
    return result


@contextmanager
def _measuring(
    duck: duckdb.DuckDBPyConnection, sources: Mapping[str, Source], request: EvaluationRequest
) -> Iterator[Connection]:
    """Where the plans' statements run: DuckDB itself, or Spark over the loaded sources."""
    if request.spark is None:
        yield duck
        return
    with request.spark.connect(duck) as spark:
        for source_id in sources:
            spark.stage(f"src_{source_id}")
        yield spark


def _measure(con: Connection, run: _Run, request: EvaluationRequest, result: Evaluation) -> None:
    """Verdicts of every objective's windows in the period, and the earlier windows a
    chronic-failure clause looks back on."""
    agreement = run.agreement
    targets = [_target(run, objective) for objective in agreement.objectives]
    steps = [
        (group, span)
        for group in _batches(targets)
        for span in _windows(agreement, group[0].objective, request.period)
    ]
    verdicts: dict[str, list[Verdict]] = {}
    for done, (group, span) in enumerate(steps):
        if request.progress is not None:
            names = ", ".join(t.objective.id for t in group)
            request.progress(done, len(steps), f"{names} {span.label}")
        for target, verdict_list in zip(group, _judge_batch(con, group, span), strict=True):
            verdicts.setdefault(target.objective.id, []).extend(verdict_list)
            if request.items and request.spark is None:
                result.tickets.extend(ticket_items(con, target, span))
                result.slices.extend(bad_units(con, target, span))
                result.hours.extend(worst_hours(con, target, span))
    _count_outside(con, result, [(t.source.id, span) for (group, span) in steps for t in group])
    for target in targets:
        result.verdicts.extend(verdicts.get(target.objective.id, []))
        result.history.extend(_history(con, target, request.period))


def _plans(agreement: Agreement) -> dict[str, Plan]:
    """Each indicator's plan, by indicator: objectives on one indicator share it (and so
    its clock, whose schedule is registered once)."""
    sources = {s.id: s for s in agreement.sources}
    return {
        indicator.id: plan_of(indicator, Setting(agreement, sources[indicator.source]))
        for indicator in agreement.indicators
    }


def _count_outside(
    con: Connection, result: Evaluation, spans: Sequence[tuple[str, WindowSpan]]
) -> None:
    """Count each source's accepted rows that lie before or after every evaluated window."""
    bounds: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for source_id, span in spans:
        low, high = bounds.get(source_id, (span.start_at, span.end_at))
        bounds[source_id] = (min(low, span.start_at), max(high, span.end_at))
    timestamps = {s.id: s.timestamp for s in result.agreement.sources}
    for report in result.sources:
        if report.source not in bounds:
            continue
        low, high = bounds[report.source]
        ts = column(timestamps[report.source])
        outside = exp.or_(
            exp.LT(this=ts.copy(), expression=instant(low)),
            exp.GTE(this=ts.copy(), expression=instant(high)),
        )
        query = exp.select(exp.func("count", exp.Star())).from_(source_table(report.source))
        row = con.execute(render(query.where(outside))).fetchone()
        report.rows_outside_windows = int(row[0]) if row else 0


def _windows(agreement: Agreement, objective: Objective, period: Period) -> list[WindowSpan]:
    """The objective's windows in the period; with a dated peak period, only windows that
    overlap one of its date ranges (outside them the objective does not apply)."""
    spans = windows_in_period(objective.window, period)
    peak = next((p for p in agreement.peak_periods if p.id == objective.during), None)
    if peak is None or not peak.dates:
        return spans
    zone = ZoneInfo(peak.timezone)
    ranges = [
        (
            dt.datetime.combine(r.start, dt.time(), zone),
            dt.datetime.combine(r.end + dt.timedelta(days=1), dt.time(), zone),
        )
        for r in peak.dates
    ]
    return [s for s in spans if any(s.start_at < end and start < s.end_at for start, end in ranges)]


def _used_sources(agreement: Agreement, plans: Mapping[str, Plan]) -> set[str]:
    """The sources the objectives read: their indicators', what their plans read besides
    (a clock's status changes), and those of the exclusions."""
    indicators = {i.id: i for i in agreement.indicators}
    measured = {o.indicator for o in agreement.objectives}
    used = {indicators[i].source for i in measured}
    for indicator in agreement.indicators:
        if indicator.source in used:
            used |= {source.id for source in plans[indicator.id].reads}
    used |= {e.source for e in agreement.exclusions if e.source}
    return used


def _load_sources(
    con: duckdb.DuckDBPyConnection,
    agreement: Agreement,
    plans: Mapping[str, Plan],
    request: EvaluationRequest,
    result: Evaluation,
) -> dict[str, Source]:
    used = _used_sources(agreement, plans)
    sources = {s.id: s for s in agreement.sources if s.id in used}
    for source in sources.values():
        result.sources.append(_load(con, source, request))
    return sources


def _load(
    con: duckdb.DuckDBPyConnection, source: Source, request: EvaluationRequest
) -> SourceReport:
    reader, policy, quarantine_dir = request.reader, request.policy, request.quarantine_dir
    if source.format is SourceFormat.PUSH:
        files = [str(path) for path in request.pushed.get(source.id, ())]
        return reader.load(con, stored_source(source), files, policy, quarantine_dir)
    if source.format is SourceFormat.RECORDED:
        exported = [str(path) for path in request.recorded_files.get(source.id, ())]
        if exported:
            return reader.load(
                con, exported_source(source, exported), exported, policy, quarantine_dir
            )
        records = request.recorded.get(source.id)
        return load_records(con, source, records, policy, quarantine_dir)
    files = reader.find(source, request.data_dir)
    return reader.load(con, source, files, policy, quarantine_dir)


def _interval_exclusions(
    con: duckdb.DuckDBPyConnection,
    agreement: Agreement,
    sources: dict[str, Source],
    result: Evaluation,
) -> dict[str, list[Interval]]:
    """Excluded periods per exclusion, from sources that list periods (start and end)."""
    found: dict[str, list[Interval]] = {}
    for exclusion in agreement.exclusions:
        source = sources.get(exclusion.source or "")
        if source is None or _period_end(exclusion, source) is None:
            continue
        periods = excluded_periods(
            exclusion, _announced(con, exclusion, source), agreement.timezone
        )
        result.excluded.extend(periods)
        found[exclusion.id] = [
            Interval(exclusion.id, p.start_at, p.end_at, p.match) for p in periods if p.counted
        ]
    return found


def _period_end(exclusion: Exclusion, source: Source) -> str | None:
    """The column where a listed period ends: the exclusion's ``ends``, else ``ends_at``."""
    if exclusion.ends is not None:
        return exclusion.ends
    return "ends_at" if "ends_at" in source.columns else None


def _announced(
    con: duckdb.DuckDBPyConnection, exclusion: Exclusion, source: Source
) -> list[Announced]:
    announced = column("announced_at") if "announced_at" in source.columns else exp.null()
    ends = column(_period_end(exclusion, source) or "ends_at")
    matched = [typed(column(name), "VARCHAR") for name in exclusion.match]
    query = (
        exp.select(column(source.timestamp), ends, announced, *matched)
        .from_(source_table(source.id))
        .order_by(exp.Literal.number(1))
    )
    if exclusion.where is not None:
        query = query.where(holds(exclusion.where))
    rows = con.execute(render(query)).fetchall()
    return [
        Announced(row[0], row[1], row[2], tuple(zip(exclusion.match, row[3:], strict=True)))
        for row in rows
        if row[1] is not None
    ]


def announced_periods(
    agreement: Agreement,
    exclusion_ids: Sequence[str],
    reader: SourceReader,
    data_dir: Path,
    pushed: Mapping[str, Sequence[Path]],
) -> dict[str, list[Announced]]:
    """The periods the sources of the named exclusions list (their start, end and when
    announced), read and checked as an evaluation reads them, bad rows set aside; for the
    public status page's announced maintenance. File sources are read under ``data_dir``;
    any other source only from the stored files ``pushed`` names (pushed batches, what a
    status feed's polls kept): nothing outside is asked."""
    sources = {source.id: source for source in agreement.sources}
    found: dict[str, list[Announced]] = {}
    with duckdb.connect() as duck:
        duck.execute("SET TimeZone = 'UTC'")
        loaded: set[str] = set()
        for exclusion in agreement.exclusions:
            source = sources.get(exclusion.source or "")
            if (
                exclusion.id not in exclusion_ids
                or source is None
                or (source.format not in _FILES and source.id not in pushed)
                or _period_end(exclusion, source) is None
            ):
                continue
            if source.id not in loaded:
                if source.format in _FILES:
                    reader.load(duck, source, reader.find(source, data_dir), _SET_ASIDE, None)
                else:
                    files = [str(path) for path in pushed[source.id]]
                    reader.load(duck, stored_source(source), files, _SET_ASIDE, None)
                loaded.add(source.id)
            found[exclusion.id] = _announced(duck, exclusion, source)
    return found


def _applicable(
    agreement: Agreement,
    objective: Objective,
    indicator: Indicator,
    intervals: Mapping[str, list[Interval]],
) -> Restrictions:
    """What the exclusions that apply to an objective restrict (the excluded periods, and
    the conditions that leave rows out one by one), with its peak period."""
    chosen = objective.exclusions
    rows: list[Predicate] = []
    spans: list[Interval] = []
    for exclusion in agreement.exclusions:
        if chosen is not None and exclusion.id not in chosen:
            continue
        if exclusion.id in intervals:
            spans.extend(intervals[exclusion.id])
        elif exclusion.where is not None and exclusion.source in (None, indicator.source):
            rows.append(exclusion.where)
    peak = next((p for p in agreement.peak_periods if p.id == objective.during), None)
    return Restrictions(agreement.timezone, peak, tuple(rows), tuple(spans))


@dataclass(frozen=True)
class _Run:
    """What all objectives of one evaluation share."""

    agreement: Agreement
    plans: Mapping[str, Plan]
    intervals: Mapping[str, list[Interval]]
    as_of: dt.datetime
    scope_cache: ScopeCache = field(default_factory=dict)


def _target(run: _Run, objective: Objective) -> Target:
    agreement = run.agreement
    indicator = next(i for i in agreement.indicators if i.id == objective.indicator)
    source = next(s for s in agreement.sources if s.id == indicator.source)
    restrictions = _applicable(agreement, objective, indicator, run.intervals)
    rows = Rows(objective, indicator, source, restrictions)
    plan = run.plans[indicator.id]
    return Target(agreement, objective, indicator, source, rows, plan, run.as_of, run.scope_cache)


def _batches(targets: Sequence[Target]) -> list[list[Target]]:
    """Objectives that read the same rows over the same windows, to measure in one pass;
    an objective measured on a clock is measured alone."""
    groups: dict[tuple[RowsKey, str] | int, list[Target]] = {}
    for index, target in enumerate(targets):
        key = index if target.plan.clock else (target.rows.key(), str(target.objective.window))
        groups.setdefault(key, []).append(target)
    return list(groups.values())


def _judge_batch(con: Connection, group: Sequence[Target], span: WindowSpan) -> list[list[Verdict]]:
    measured = measure_windows(con, group, span)
    return [
        [_verdict(target, span, m) for m in scopes]
        for target, scopes in zip(group, measured, strict=True)
    ]


def _history(con: Connection, target: Target, period: Period) -> list[Verdict]:
    """Verdicts of earlier windows, as far back as a chronic clause looks."""
    agreement = target.agreement
    if agreement.remedies is None:
        return []
    depth = max(
        (
            c.within_windows
            for c in agreement.remedies.chronic
            if target.objective.id in c.objectives
        ),
        default=0,
    )
    if depth <= 1:
        return []
    spans = windows_in_period(target.objective.window, period)
    if not spans:
        return []
    judged = {span.label for span in spans}
    earlier = previous_windows(target.objective.window, spans[-1], depth, agreement.timezone)
    verdicts: list[Verdict] = []
    for span in (span for span in earlier if span.label not in judged):
        verdicts.extend(_judge_batch(con, [target], span)[0])
    return verdicts


def _verdict(measuring: Target, span: WindowSpan, measured: Measured) -> Verdict:
    objective, indicator = measuring.objective, measuring.indicator
    kind = value_kind_of(indicator, measuring.source)
    direction = indicator.direction()
    target = canonical(objective.target, measured.working_time)
    tolerance = canonical(objective.tolerance, measured.working_time)
    rule = coverage_rule(objective, measuring.source)
    coverage = replace(measured.coverage, minimum=rule.minimum.ratio, rule=rule.describe())
    outcome, counts_as, notes = _outcome(measuring, span, measured, rule)
    budget = None
    budget = None
    if (
        kind is ValueKind.RATIO
        and direction is Direction.HIGHER_IS_BETTER
        and "good" in measured.counts
    ):
        progress = WindowProgress(span.start_at, span.end_at, measuring.as_of)
        budget = error_budget(
            measured.counts["good"],
            measured.counts["valid"],
            target,
            progress,
            BurnWatch(measured.recent, burn_alerts(objective.burn_alerts)),
        )
    return Verdict(
        objective=objective.id,
        scope=measured.scope,
        window=span,
        outcome=outcome,
        value=measured.value,
        target=target,
        tolerance=tolerance,
        value_kind=kind,
        direction=direction,
        counts=measured.counts,
        formula=indicator.formula(),
        computation=measured.computation,
        coverage=coverage,
        agreement_version=measuring.agreement.version_hash(),
        exclusions=measured.excluded,
        budget=budget,
        notes=tuple(notes),
        working_time=measured.working_time,
        counts_as=counts_as,
    )


def _outcome(
    measuring: Target, span: WindowSpan, measured: Measured, rule: CoverageRule
) -> tuple[Outcome, Outcome | None, list[str]]:
    """The outcome, what it counts as for remedies, and the notes that explain it.

    A window that has started but whose data covers less than the minimum, or that counts
    fewer valid events than the objective's ``minimum_events``, is insufficient_data
    whatever its value (no_data when nothing was measured), and counts as the coverage rule
    says; one that has not started has no data.
    """
    objective = measuring.objective
    notes = list(measured.notes)
    if measuring.as_of <= span.start_at:
        notes.append(f"window not started: it starts {span.start_at.isoformat()}")
        return Outcome.NO_DATA, None, notes
    if measuring.as_of < span.end_at:
        notes.append(f"window still open: measured up to {measuring.as_of.isoformat()}")
    if measured.coverage.ratio < 1:
        notes.append(f"data covers {measured.coverage.detail}")
    value = measured.value
    if measured.coverage.ratio < rule.minimum.ratio:
        notes.append(f"insufficient data: coverage must be {rule.describe()}")
        counts_as = Outcome.BREACH if rule.if_below is InsufficientData.BREACH else None
        # Nothing measured at all stays no_data; what it counts as follows the same rule.
        return (Outcome.NO_DATA if value is None else Outcome.INSUFFICIENT_DATA), counts_as, notes
    if value is None:
        return Outcome.NO_DATA, None, notes
    valid = measured.counts.get("valid", 0)
    if valid < objective.minimum_events:
        # Too few events to judge: the same finding, and the same rule, as too little coverage.
        notes.append(
            f"insufficient data: at least {objective.minimum_events} valid events are needed, "
            f"{valid} counted; below it: {rule.follows()}"
        )
        counts_as = Outcome.BREACH if rule.if_below is InsufficientData.BREACH else None
        return Outcome.INSUFFICIENT_DATA, counts_as, notes
    kind_target = canonical(objective.target, measured.working_time)
    tolerance = canonical(objective.tolerance, measured.working_time)
    direction = measuring.indicator.direction()
    return judge(value, kind_target, tolerance, direction), None, notes


def _remedies(result: Evaluation) -> None:
    remedies = result.agreement.remedies
    if remedies is None:
        return
    timezone = result.agreement.timezone
    by_window: dict[str, list[Verdict]] = {}
    for verdict in result.verdicts:
        by_window.setdefault(verdict.window.label, []).append(verdict)
    owed = [
        (label, credit)
        for scheme in remedies.credits
        for label, verdicts in sorted(by_window.items())
        if (credit := assess_credit(scheme, verdicts, remedies.claim_window, timezone)) is not None
    ]
    everything = [*result.history, *result.verdicts]
    result.chronic = [assess_chronic(clause, everything) for clause in remedies.chronic]
    judged = set(by_window)
    for clause in remedies.chronic:
        found = chronic_credits(clause, everything, remedies.claim_window, timezone)
        owed += [(label, credit) for label, credit in found if label in judged]
    owed += _consistency_credits(result, by_window)
    result.credits = [WindowCredit(label, c) for label, c in apply_caps(remedies, owed)]


def _consistency_credits(
    result: Evaluation, by_window: Mapping[str, Sequence[Verdict]]
) -> list[tuple[str, CreditOwed]]:
    """The credit of each consistency rule with one, for each window its spread breaches."""
    remedies = result.agreement.remedies
    assert remedies is not None
    rules = {o.id: o.consistency for o in result.agreement.objectives if o.consistency}
    owed = []
    for finding in result.consistency:
        rule = rules.get(finding.objective)
        if rule is None or rule.credit is None or finding.outcome is not Outcome.BREACH:
            continue
        end = by_window[finding.window][0].window.end_at
        deadline = add_duration(end, remedies.claim_window, result.agreement.timezone)
        owed.append(
            (
                finding.window,
                CreditOwed(
                    scheme=f"consistency-{finding.objective}"[:64],
                    objective=finding.objective,
                    scope=f"{finding.across}: {finding.worst_scope} vs {finding.best_scope}",
                    tier=0,
                    amount=rule.credit.rounded(),
                    capped=False,
                    claim_deadline=deadline.isoformat(),
                    rule=(
                        f"consistency of {finding.objective} across {finding.across}: "
                        f"{finding.worst_scope} and {finding.best_scope} differ by more than "
                        f"{rule.max_spread} → {rule.credit}"
                    ),
                ),
            )
        )
    return owed


def _consistency(agreement: Agreement, verdicts: Sequence[Verdict]) -> Iterator[ConsistencyFinding]:
    """Worst and best scope along the ``across`` dimension, per window and per value of the
    other scope dimensions (with scope [region, service]: regions compared per service)."""
    for objective in agreement.objectives:
        rule = objective.consistency
        if rule is None:
            continue
        groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[Verdict]] = {}
        for verdict in verdicts:
            if (
                verdict.objective == objective.id
                and verdict.value is not None
                and verdict.outcome not in (Outcome.NO_DATA, Outcome.INSUFFICIENT_DATA)
            ):
                others = tuple((k, v) for k, v in verdict.scope.items() if k != rule.across)
                groups.setdefault((verdict.window.label, others), []).append(verdict)
        for (label, _), scored in sorted(groups.items(), key=lambda item: item[0]):
            if len(scored) >= 2:
                yield _spread(objective.id, label, rule, scored)


def _spread(
    objective: str, label: str, rule: Consistency, scored: list[Verdict]
) -> ConsistencyFinding:
    ordered = sorted(scored, key=_goodness)
    worst, best = ordered[0], ordered[-1]
    assert worst.value is not None
    assert best.value is not None
    spread = abs(best.value - worst.value)
    max_spread = worst.canonical(rule.max_spread)
    return ConsistencyFinding(
        objective,
        label,
        rule.across,
        worst.scope_label,
        best.scope_label,
        spread,
        max_spread,
        Outcome.MET if spread <= max_spread else Outcome.BREACH,
    )


def _goodness(verdict: Verdict) -> Decimal:
    """A key under which better values sort later, whichever way the indicator points."""
    value = verdict.value if verdict.value is not None else Decimal(0)
    return value if verdict.direction is Direction.HIGHER_IS_BETTER else -value
