"""Incidents, their timelines, inbound sources, post-incident reviews and preventive actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.core.model.recorded import RECORDED_COLUMNS
from accord.store.incident_rows import (
    IncidentEventRow,
    IncidentNoticeRow,
    IncidentRow,
    IncidentSourceRow,
)
from accord.store.review_rows import IncidentReviewRow, PreventiveActionRow
from accord.store.tables import AgreementRow, ObligationRow

__all__ = ["Incidents"]


class Incidents:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: IncidentRow) -> IncidentRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, incident_id: int) -> IncidentRow | None:
        return self._session.scalar(select(IncidentRow).where(IncidentRow.id == incident_id))

    def find_by_source(self, agreement_id: int, source: str, key: str) -> IncidentRow | None:
        return self._session.scalar(
            select(IncidentRow).where(
                IncidentRow.agreement_id == agreement_id,
                IncidentRow.source == source,
                IncidentRow.source_key == key,
            )
        )

    def matching(
        self, *, agreement_id: int | None = None, states: tuple[str, ...] = ()
    ) -> Sequence[tuple[IncidentRow, str]]:
        query = select(IncidentRow, AgreementRow.slug).join(
            AgreementRow, AgreementRow.id == IncidentRow.agreement_id
        )
        if agreement_id is not None:
            query = query.where(IncidentRow.agreement_id == agreement_id)
        if states:
            query = query.where(IncidentRow.state.in_(states))
        return [(row, slug) for row, slug in self._session.execute(query.order_by(IncidentRow.id))]

    def recorded(self, agreement_id: int) -> list[tuple[object, ...]]:
        """The agreement's incidents as a recorded source reads them (the columns of
        ``RECORDED_COLUMNS['incidents']``, in order; ``origin`` is who opened it)."""
        names = {"origin": "source"}
        chosen = [
            getattr(IncidentRow, names.get(name, name)) for name in RECORDED_COLUMNS["incidents"]
        ]
        query = select(*chosen).where(IncidentRow.agreement_id == agreement_id)
        return [tuple(found) for found in self._session.execute(query.order_by(IncidentRow.id))]

    def add_event(self, row: IncidentEventRow) -> IncidentEventRow:
        self._session.add(row)
        self._session.flush()
        return row

    def changed_after(
        self, agreement_id: int, since: dt.datetime, kinds: Collection[str]
    ) -> Sequence[IncidentEventRow]:
        """The timeline entries of these kinds on the agreement's incidents made after
        ``since``, by incident and instant."""
        return self._session.scalars(
            select(IncidentEventRow)
            .where(
                IncidentEventRow.agreement_id == agreement_id,
                IncidentEventRow.at > since,
                IncidentEventRow.kind.in_(tuple(kinds)),
            )
            .order_by(IncidentEventRow.incident_id, IncidentEventRow.at, IncidentEventRow.id)
        ).all()

    def events(self, incident_id: int) -> Sequence[IncidentEventRow]:
        return self._session.scalars(
            select(IncidentEventRow)
            .where(IncidentEventRow.incident_id == incident_id)
            .order_by(IncidentEventRow.id)
        ).all()

    def duties(self, incident_id: int) -> Sequence[ObligationRow]:
        return self._session.scalars(
            select(ObligationRow)
            .where(ObligationRow.incident_id == incident_id)
            .order_by(ObligationRow.due_at, ObligationRow.id)
        ).all()

    def undone_lapsed_duties(self) -> Sequence[ObligationRow]:
        """Incident duties that lapsed and are still not done: the ones that escalate."""
        return self._session.scalars(
            select(ObligationRow)
            .where(
                ObligationRow.incident_id.is_not(None),
                ObligationRow.state == "missed",
                ObligationRow.done_at.is_(None),
            )
            .order_by(ObligationRow.due_at, ObligationRow.id)
        ).all()

    def overdue_undone_duties(self, now: dt.datetime) -> Sequence[ObligationRow]:
        """Incident duties past their due instant and not done, whether or not a check has
        marked them missed yet (it has not when the worker was down)."""
        return self._session.scalars(
            select(ObligationRow)
            .where(
                ObligationRow.incident_id.is_not(None),
                ObligationRow.state.in_(("open", "missed")),
                ObligationRow.done_at.is_(None),
                ObligationRow.due_at < now,
            )
            .order_by(ObligationRow.due_at, ObligationRow.id)
        ).all()

    def add_source(self, row: IncidentSourceRow) -> IncidentSourceRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find_source(self, secret_sha256: str) -> IncidentSourceRow | None:
        return self._session.scalar(
            select(IncidentSourceRow).where(IncidentSourceRow.secret_sha256 == secret_sha256)
        )

    def sources(self, agreement_id: int) -> Sequence[IncidentSourceRow]:
        return self._session.scalars(
            select(IncidentSourceRow)
            .where(IncidentSourceRow.agreement_id == agreement_id)
            .order_by(IncidentSourceRow.name)
        ).all()

    def add_review(self, row: IncidentReviewRow) -> IncidentReviewRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find_review(self, incident_id: int) -> IncidentReviewRow | None:
        return self._session.scalar(
            select(IncidentReviewRow).where(IncidentReviewRow.incident_id == incident_id)
        )

    def add_action(self, row: PreventiveActionRow) -> PreventiveActionRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find_action(self, action_id: int) -> PreventiveActionRow | None:
        return self._session.scalar(
            select(PreventiveActionRow).where(PreventiveActionRow.id == action_id)
        )

    def actions(self, incident_id: int) -> Sequence[PreventiveActionRow]:
        return self._session.scalars(
            select(PreventiveActionRow)
            .where(PreventiveActionRow.incident_id == incident_id)
            .order_by(PreventiveActionRow.id)
        ).all()

    def matching_actions(
        self, *, agreement_id: int | None = None, states: tuple[str, ...] = ()
    ) -> Sequence[tuple[PreventiveActionRow, str]]:
        """Preventive actions with their agreement's slug, earliest due first."""
        query = select(PreventiveActionRow, AgreementRow.slug).join(
            AgreementRow, AgreementRow.id == PreventiveActionRow.agreement_id
        )
        if agreement_id is not None:
            query = query.where(PreventiveActionRow.agreement_id == agreement_id)
        if states:
            query = query.where(PreventiveActionRow.state.in_(states))
        query = query.order_by(PreventiveActionRow.due_on, PreventiveActionRow.id)
        return [(row, slug) for row, slug in self._session.execute(query)]

    def add_notice(self, row: IncidentNoticeRow) -> IncidentNoticeRow:
        self._session.add(row)
        self._session.flush()
        return row

    def notices(self, incident_id: int) -> Sequence[IncidentNoticeRow]:
        return self._session.scalars(
            select(IncidentNoticeRow)
            .where(IncidentNoticeRow.incident_id == incident_id)
            .order_by(IncidentNoticeRow.sent_at, IncidentNoticeRow.id)
        ).all()
