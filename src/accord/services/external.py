"""Sources that live outside the data files (format prometheus or export), read for an
evaluation.

Before the engine runs, each such source the objectives use is fetched for the span the
evaluation reads: every window of the period, the earlier windows a chronic-failure clause
looks back on, up to the evaluation instant. Its checked rows reach the engine exactly as a
pushed source's batches do (the engine needs no knowledge of Prometheus), and afterwards
the evaluation names the agreement as written and counts the rows the fetch set aside.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from accord.core.declared import DeclaredIncident, compare_downtime
from accord.core.evaluation import Evaluation, SourceReport
from accord.core.model import Agreement
from accord.core.model.measurement import TimesliceIndicator
from accord.core.model.sources import Source, SourceFormat, SourceKind
from accord.core.periods import Period, previous_windows, windows_in_period
from accord.engine.sources import BadRowPolicy, DataError, RejectedRows
from accord.services.ports import SourceFetcher

__all__ = ["External", "evaluated_span", "fetch_external"]


def evaluated_span(
    agreement: Agreement, period: Period, as_of: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the earliest window an evaluation of the period reads (chronic
    clauses look back several windows) to the end of the latest, or the evaluation instant
    if earlier."""
    starts = [period.start_at]
    ends = [period.end_at]
    depths = {
        objective_id: clause.within_windows
        for clause in (agreement.remedies.chronic if agreement.remedies else [])
        for objective_id in clause.objectives
    }
    for objective in agreement.objectives:
        spans = windows_in_period(objective.window, period)
        if not spans:
            continue
        starts.append(spans[0].start_at)
        ends.append(spans[-1].end_at)
        depth = depths.get(objective.id, 0)
        if depth > 1:
            earlier = previous_windows(objective.window, spans[-1], depth, agreement.timezone)
            starts.extend(span.start_at for span in earlier)
    return min(starts), min(max(ends), as_of)


@dataclass
class External:
    """The agreement as the engine is to see it, the fetched files per source, and what
    fetching found."""

    written: Agreement
    agreement: Agreement
    files: dict[str, Sequence[Path]] = field(default_factory=dict)
    reports: dict[str, SourceReport] = field(default_factory=dict)
    #: Incidents partners' status feeds declare, to set beside the downtime measured.
    declared: list[DeclaredIncident] = field(default_factory=list)

    def restore(self, evaluation: Evaluation) -> Evaluation:
        """The evaluation of the agreement as written, with the rows the fetch set aside;
        its verdicts name the version as written (not the rewritten one the engine read)."""
        if self.agreement is not self.written:
            read, written = self.agreement.version_hash(), self.written.version_hash()
            evaluation.verdicts = [
                replace(v, agreement_version=written) if v.agreement_version == read else v
                for v in evaluation.verdicts
            ]
        evaluation.agreement = self.written
        for report in evaluation.sources:
            fetched = self.reports.get(report.source)
            if fetched is None:
                continue
            report.rows_read += fetched.rows_rejected
            report.issues.extend(fetched.issues)
            report.quarantine_path = report.quarantine_path or fetched.quarantine_path
        if self.declared:
            evaluation.verdicts, evaluation.downtime = compare_downtime(
                evaluation.verdicts, self.declared, _slices(self.written), evaluation.as_of
            )
        return evaluation


def _slices(agreement: Agreement) -> dict[str, dt.timedelta]:
    """The slice length of each objective measured in time slices."""
    indicators = {i.id: i for i in agreement.indicators}
    return {
        objective.id: indicator.slice.to_timedelta()
        for objective in agreement.objectives
        if isinstance(indicator := indicators.get(objective.indicator), TimesliceIndicator)
    }


_OUTSIDE = (SourceFormat.PROMETHEUS, SourceFormat.EXPORT, SourceFormat.STATUS_FEED)


def _used(agreement: Agreement) -> set[str]:
    """Sources the objectives read: their indicators', those indicators' pause sources,
    and the sources of exclusions."""
    indicators = {indicator.id: indicator for indicator in agreement.indicators}
    used: set[str] = set()
    for objective in agreement.objectives:
        indicator = indicators.get(objective.indicator)
        if indicator is None:
            continue
        used.add(indicator.source)
        pauses = getattr(indicator, "pauses", None)
        if pauses is not None:
            used.add(pauses.source)
    # A partner's declared incidents are evidence beside every verdict, read even when no
    # objective measures them.
    declared = {
        s.id
        for s in agreement.sources
        if s.format is SourceFormat.STATUS_FEED and s.kind is SourceKind.INCIDENTS
    }
    return used | declared | {e.source for e in agreement.exclusions if e.source}


def fetch_external(  # noqa: PLR0913 (one evaluation's inputs)
    agreement: Agreement,
    period: Period,
    as_of: dt.datetime,
    *,
    fetcher: SourceFetcher | None,
    now: dt.datetime,
    policy: BadRowPolicy,
) -> External:
    """Fetch every outside source the objectives use; the agreement as the engine sees it."""
    outside = [s for s in agreement.sources if s.format in _OUTSIDE and s.id in _used(agreement)]
    external = External(written=agreement, agreement=agreement)
    if not outside:
        return external
    if fetcher is None:
        raise DataError(
            f"source {outside[0].id!r} is read through a connector ({outside[0].format}), "
            "and this run has none"
        )
    start_at, end_at = evaluated_span(agreement, period, as_of)
    lowered: dict[str, Source] = {}
    for source in outside:
        fetched = fetcher(source, start_at, end_at, now=now)
        external.files[source.id] = list(fetched.files)
        external.declared.extend(fetched.declared)
        if fetched.report is not None:
            _check_policy(source, fetched.report, policy)
            external.reports[source.id] = fetched.report
        lowered[source.id] = source.model_copy(
            update={
                "format": SourceFormat.PUSH,
                "prometheus": None,
                "export": None,
                "status_feed": None,
            }
        )
    external.agreement = agreement.model_copy(
        update={"sources": [lowered.get(s.id, s) for s in agreement.sources]}
    )
    return external


def _check_policy(source: Source, report: SourceReport, policy: BadRowPolicy) -> None:
    if policy is BadRowPolicy.REJECT and report.rows_rejected:
        listed = "; ".join(f"{issue.reason} ({issue.count} rows)" for issue in report.issues)
        raise RejectedRows(
            f"source {source.id!r}: {report.rows_rejected} bad row(s): {listed}", report
        )
