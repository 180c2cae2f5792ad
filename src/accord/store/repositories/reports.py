"""The reports generated on schedule, and which periods the runs judged."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.report_rows import ScheduledReportRow
from accord.store.tables import EvaluationRunRow

__all__ = ["ScheduledReports"]


class ScheduledReports:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: ScheduledReportRow) -> ScheduledReportRow:
        self._session.add(row)
        self._session.flush()
        return row

    def generated(self) -> set[tuple[str, str]]:
        """(scope, period) of every report generated so far."""
        query = select(ScheduledReportRow.scope, ScheduledReportRow.period)
        return {(scope, period) for scope, period in self._session.execute(query)}

    def all(self) -> Sequence[ScheduledReportRow]:
        query = select(ScheduledReportRow).order_by(
            ScheduledReportRow.period.desc(), ScheduledReportRow.scope
        )
        return self._session.scalars(query).all()

    def judged(self, agreement_ids: Sequence[int]) -> set[tuple[int, str]]:
        """(agreement id, period) of every period these agreements' runs judged."""
        query = (
            select(EvaluationRunRow.agreement_id, EvaluationRunRow.period)
            .where(EvaluationRunRow.agreement_id.in_(agreement_ids))
            .distinct()
        )
        return {(agreement, period) for agreement, period in self._session.execute(query)}
