"""Agreements, their immutable versions and the organisations behind their parties."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.store.tables import AgreementPartyRow, AgreementRow, AgreementVersionRow

__all__ = ["Agreements"]


class Agreements:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: AgreementRow) -> AgreementRow:
        self._session.add(row)
        self._session.flush()
        return row

    def find(self, agreement_id: int) -> AgreementRow | None:
        return self._session.get(AgreementRow, agreement_id)

    def find_by_slug(self, slug: str) -> AgreementRow | None:
        """The agreement with this id (slug) among those the tenant may see."""
        return self._session.scalar(select(AgreementRow).where(AgreementRow.slug == slug))

    def all(self) -> Sequence[AgreementRow]:
        return self._session.scalars(select(AgreementRow).order_by(AgreementRow.slug)).all()

    def add_version(self, row: AgreementVersionRow) -> AgreementVersionRow:
        self._session.add(row)
        self._session.flush()
        return row

    def next_version_number(self, agreement_id: int) -> int:
        query = select(func.max(AgreementVersionRow.number)).where(
            AgreementVersionRow.agreement_id == agreement_id
        )
        return int(self._session.scalar(query) or 0) + 1

    def versions(self, agreement_id: int) -> Sequence[AgreementVersionRow]:
        query = (
            select(AgreementVersionRow)
            .where(AgreementVersionRow.agreement_id == agreement_id)
            .order_by(AgreementVersionRow.number)
        )
        return self._session.scalars(query).all()

    def find_version(self, agreement_id: int, number: int) -> AgreementVersionRow | None:
        return self._session.scalar(
            select(AgreementVersionRow).where(
                AgreementVersionRow.agreement_id == agreement_id,
                AgreementVersionRow.number == number,
            )
        )

    def find_version_by_id(self, version_id: int) -> AgreementVersionRow | None:
        return self._session.get(AgreementVersionRow, version_id)

    def latest_version(self, agreement_id: int) -> AgreementVersionRow | None:
        return self._session.scalar(
            select(AgreementVersionRow)
            .where(AgreementVersionRow.agreement_id == agreement_id)
            .order_by(AgreementVersionRow.number.desc())
            .limit(1)
        )

    def latest_versions(self, agreement_ids: Sequence[int]) -> dict[int, AgreementVersionRow]:
        """Agreement id → its latest version, for these agreements."""
        newest = (
            select(
                AgreementVersionRow.agreement_id, func.max(AgreementVersionRow.number).label("n")
            )
            .where(AgreementVersionRow.agreement_id.in_(agreement_ids))
            .group_by(AgreementVersionRow.agreement_id)
            .subquery()
        )
        query = select(AgreementVersionRow).join(
            newest,
            (AgreementVersionRow.agreement_id == newest.c.agreement_id)
            & (AgreementVersionRow.number == newest.c.n),
        )
        return {row.agreement_id: row for row in self._session.scalars(query)}

    def find_version_by_hash(
        self, agreement_id: int, version_hash: str
    ) -> AgreementVersionRow | None:
        return self._session.scalar(
            select(AgreementVersionRow)
            .where(
                AgreementVersionRow.agreement_id == agreement_id,
                AgreementVersionRow.version_hash == version_hash,
            )
            .order_by(AgreementVersionRow.number)
            .limit(1)
        )

    def link_party(self, row: AgreementPartyRow) -> AgreementPartyRow:
        self._session.add(row)
        self._session.flush()
        return row

    def all_parties(self, agreement_ids: Sequence[int] | None = None) -> dict[int, dict[str, int]]:
        """Agreement id → party id → organisation id, for every agreement the tenant sees
        (or those of them in ``agreement_ids``)."""
        found: dict[int, dict[str, int]] = {}
        query = select(
            AgreementPartyRow.agreement_id,
            AgreementPartyRow.party_id,
            AgreementPartyRow.organisation_id,
        )
        if agreement_ids is not None:
            query = query.where(AgreementPartyRow.agreement_id.in_(agreement_ids))
        for agreement_id, party, organisation in self._session.execute(query):
            found.setdefault(agreement_id, {})[party] = organisation
        return found

    def parties(self, agreement_id: int) -> dict[str, int]:
        """Party id in the YAML → organisation id."""
        query = select(AgreementPartyRow.party_id, AgreementPartyRow.organisation_id).where(
            AgreementPartyRow.agreement_id == agreement_id
        )
        return {party: organisation for party, organisation in self._session.execute(query)}
