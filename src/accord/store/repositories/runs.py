"""Evaluation runs: which period, version and as-of instant each evaluation judged (append-only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.tables import EvaluationRunRow

__all__ = ["RunMark", "Runs"]


@dataclass(frozen=True)
class RunMark:
    """What the scheduler needs of a recorded run: which period, judged as of when, started
    when and why."""

    period: str
    as_of: dt.datetime
    started_at: dt.datetime
    reason: str


class Runs:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: EvaluationRunRow) -> EvaluationRunRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, run_id: int) -> EvaluationRunRow | None:
        """The run, if the tenant sees it."""
        return self._session.scalar(select(EvaluationRunRow).where(EvaluationRunRow.id == run_id))

    def find_same(self, row: EvaluationRunRow) -> EvaluationRunRow | None:
        """A recorded run of the same agreement, version, period, as-of instant and reason."""
        return self._session.scalar(
            select(EvaluationRunRow)
            .where(
                EvaluationRunRow.agreement_id == row.agreement_id,
                EvaluationRunRow.version_id == row.version_id,
                EvaluationRunRow.period == row.period,
                EvaluationRunRow.as_of == row.as_of,
                EvaluationRunRow.reason == row.reason,
            )
            .limit(1)
        )

    def marks(self, agreement_id: int, *, except_period: str) -> list[RunMark]:
        """Every run of the agreement but those of one period (the open one), oldest first."""
        query = (
            select(
                EvaluationRunRow.period,
                EvaluationRunRow.as_of,
                EvaluationRunRow.started_at,
                EvaluationRunRow.reason,
            )
            .where(
                EvaluationRunRow.agreement_id == agreement_id,
                EvaluationRunRow.period != except_period,
            )
            .order_by(EvaluationRunRow.id)
        )
        return [RunMark(*row) for row in self._session.execute(query)]

    def last_mark(self, agreement_id: int, period: str) -> RunMark | None:
        """The latest run of one period of the agreement, if any."""
        query = (
            select(
                EvaluationRunRow.period,
                EvaluationRunRow.as_of,
                EvaluationRunRow.started_at,
                EvaluationRunRow.reason,
            )
            .where(
                EvaluationRunRow.agreement_id == agreement_id,
                EvaluationRunRow.period == period,
            )
            .order_by(EvaluationRunRow.id.desc())
            .limit(1)
        )
        found = self._session.execute(query).first()
        return None if found is None else RunMark(*found)

    def judged_as_of(self, run_ids: Iterable[int]) -> dict[int, dt.datetime]:
        """Run id → the instant the run judged as of."""
        wanted = set(run_ids)
        if not wanted:
            return {}
        query = select(EvaluationRunRow.id, EvaluationRunRow.as_of).where(
            EvaluationRunRow.id.in_(wanted)
        )
        return {run_id: as_of for run_id, as_of in self._session.execute(query)}

    def all(self, agreement_id: int, limit: int = 100) -> Sequence[EvaluationRunRow]:
        query = (
            select(EvaluationRunRow)
            .where(EvaluationRunRow.agreement_id == agreement_id)
            .order_by(EvaluationRunRow.id.desc())
            .limit(limit)
        )
        return self._session.scalars(query).all()
