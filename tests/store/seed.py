"""Rows for store tests: a company, two partners, one agreement with each; evaluation runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from accord.store.repositories import Agreements, Runs
from accord.store.tables import (
    AgreementPartyRow,
    AgreementRow,
    AgreementVersionRow,
    EvaluationRunRow,
    OrganisationRow,
    UserRow,
)
from accord.store.tenancy import Tenant, bind_tenant, session_factory

AT = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)


@dataclass(frozen=True)
class World:
    company: int
    partner_b: int
    partner_c: int
    agreement_b: int
    agreement_c: int


def open_session(engine: Engine, tenant: Tenant | None) -> Session:
    session = session_factory(engine)()
    if tenant is not None:
        bind_tenant(session, tenant)
    return session


def version(agreement_id: int, number: int) -> AgreementVersionRow:
    return AgreementVersionRow(
        agreement_id=agreement_id,
        number=number,
        label=str(number),
        version_hash="h",
        text="",
        uploaded_by="u",
        uploaded_at=AT,
        effective_at=AT,
    )


def seed(engine: Engine) -> World:
    with open_session(engine, Tenant.system()) as session:
        ids = []
        for slug, kind in (("acme", "company"), ("bravo", "partner"), ("charlie", "partner")):
            row = OrganisationRow(slug=slug, name=slug.title(), kind=kind, created_at=AT)
            session.add(row)
            session.flush()
            ids.append(row.id)
            session.add(
                UserRow(organisation_id=row.id, email=f"u@{slug}", name=slug, created_at=AT)
            )
        agreements = []
        for partner in ids[1:]:
            agreement = AgreementRow(
                slug=f"with-{partner}", owner_organisation_id=ids[0], title="T", created_at=AT
            )
            session.add(agreement)
            session.flush()
            agreements.append(agreement.id)
            session.add(
                AgreementPartyRow(
                    agreement_id=agreement.id, organisation_id=ids[0], party_id="acme"
                )
            )
            session.add(
                AgreementPartyRow(agreement_id=agreement.id, organisation_id=partner, party_id="p")
            )
            session.add(version(agreement.id, 1))
        session.commit()
    return World(ids[0], ids[1], ids[2], agreements[0], agreements[1])


def agreements_seen(engine: Engine, tenant: Tenant, rows: Iterable[Any]) -> dict[str, list[int]]:
    """For each agreement-scoped row class, the agreements whose rows the tenant sees."""
    with open_session(engine, tenant) as session:
        return {
            row.__name__: sorted(set(session.scalars(select(row.agreement_id)))) for row in rows
        }


def add_run(
    session: Session, agreement_id: int, period: str, as_of: dt.datetime, reason: str = ""
) -> EvaluationRunRow:
    """A recorded evaluation run of the agreement's latest version."""
    version = Agreements(session).latest_version(agreement_id)
    assert version is not None
    return Runs(session).add(
        EvaluationRunRow(
            agreement_id=agreement_id,
            version_id=version.id,
            period=period,
            as_of=as_of,
            started_at=as_of + dt.timedelta(minutes=5),
            requested_by="test",
            reason=reason,
            verdicts_recorded=1,
            verdicts_unchanged=0,
        )
    )
