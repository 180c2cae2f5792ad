"""Obligations: dated duties, found by agreement and key, by state and by due instant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, literal, select
from sqlalchemy.orm import Session

from accord.core.model.recorded import RECORDED_COLUMNS
from accord.store.tables import AgreementRow, ObligationRow

__all__ = ["ObligationFilter", "Obligations"]


@dataclass(frozen=True, kw_only=True)
class ObligationFilter:
    agreement_id: int | None = None
    states: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    due_before: dt.datetime | None = None


class Obligations:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: ObligationRow) -> ObligationRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, obligation_id: int) -> ObligationRow | None:
        return self._session.scalar(select(ObligationRow).where(ObligationRow.id == obligation_id))

    def find_by_key(self, agreement_id: int, key: str) -> ObligationRow | None:
        return self._session.scalar(
            select(ObligationRow).where(
                ObligationRow.agreement_id == agreement_id, ObligationRow.key == key
            )
        )

    def matching(self, where: ObligationFilter) -> Sequence[tuple[ObligationRow, str]]:
        """Obligations with their agreement's slug, earliest due first."""
        query = select(ObligationRow, AgreementRow.slug).join(
            AgreementRow, AgreementRow.id == ObligationRow.agreement_id
        )
        if where.agreement_id is not None:
            query = query.where(ObligationRow.agreement_id == where.agreement_id)
        if where.states:
            query = query.where(ObligationRow.state.in_(where.states))
        if where.kinds:
            query = query.where(ObligationRow.kind.in_(where.kinds))
        if where.due_before is not None:
            query = query.where(ObligationRow.due_at <= where.due_before)
        query = query.order_by(ObligationRow.due_at, ObligationRow.id)
        return [(row, slug) for row, slug in self._session.execute(query)]

    def recorded(self, agreement_id: int, as_of: dt.datetime) -> list[tuple[object, ...]]:
        """The agreement's obligations as a recorded source reads them (the columns of
        ``RECORDED_COLUMNS['obligations']``, in order), each in its state as of ``as_of``:
        a state set later reads as open, or as missed when the due instant passed by then
        (``accord.core.obligations.lapsed``)."""
        row = ObligationRow
        state = case(
            (and_(row.state != "open", row.state_at <= as_of), row.state),
            (row.due_at < as_of, literal("missed")),
            else_=literal("open"),
        )
        chosen = {name: getattr(row, name) for name in RECORDED_COLUMNS["obligations"]}
        chosen["state"] = state
        query = select(*chosen.values()).where(row.agreement_id == agreement_id).order_by(row.id)
        return [tuple(found) for found in self._session.execute(query)]
