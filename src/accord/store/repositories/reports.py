"""The reports generated on schedule, and which periods the runs judged."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.core.periods import parse_period
from accord.store.report_rows import ScheduledReportRow
from accord.store.tables import EvaluationRunRow

__all__ = ["ScheduledReports"]


def _newest_first(row: ScheduledReportRow) -> tuple[float, float, str]:
    # Months and quarters are labelled alike in every zone; UTC orders them the same.
    period = parse_period(row.period, "UTC")
    return (-period.end_at.timestamp(), period.start_at.timestamp(), row.scope)


class ScheduledReports:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: ScheduledReportRow) -> ScheduledReportRow:
        self._session.add(row)
        self._session.flush()
        return row

    def generated(self) -> set[tuple[str, str]]:
        """(scope, period) of every report generated so far (any edition)."""
        query = select(ScheduledReportRow.scope, ScheduledReportRow.period)
        return {(scope, period) for scope, period in self._session.execute(query)}

    def current(self) -> dict[tuple[str, str], ScheduledReportRow]:
        """(scope, period) → the latest edition of each report generated so far."""
        query = select(ScheduledReportRow).where(ScheduledReportRow.superseded_at.is_(None))
        return {(row.scope, row.period): row for row in self._session.scalars(query)}

    def all(self) -> Sequence[ScheduledReportRow]:
        """Newest period first (by its end; of two ending together, the longer first)."""
        rows = self._session.scalars(select(ScheduledReportRow)).all()
        return sorted(rows, key=_newest_first)

    def judged(self, agreement_ids: Sequence[int]) -> set[tuple[int, str]]:
        """(agreement id, period) of every period these agreements' runs judged."""
        query = (
            select(EvaluationRunRow.agreement_id, EvaluationRunRow.period)
            .where(EvaluationRunRow.agreement_id.in_(agreement_ids))
            .distinct()
        )
        return {(agreement, period) for agreement, period in self._session.execute(query)}
