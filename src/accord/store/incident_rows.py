"""Incidents: the incident with every lifecycle instant and who set it, its typed timeline,
and the inbound sources (Alertmanager, generic JSON webhooks) that may open them.

Registered with the other tables by ``accord.store.tables`` (imported at its end), so the
tenancy filter and the migrations see them wherever the import starts.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.tables import Base, Tenancy, TenantScope, id_column

__all__ = [
    "LIFECYCLE",
    "IncidentEventRow",
    "IncidentNoticeRow",
    "IncidentRow",
    "IncidentSourceRow",
]

#: The lifecycle instants of an incident, in order; each has ``<name>_at`` and ``<name>_by``.
LIFECYCLE = (
    "impact_started",
    "detected",
    "reported",
    "acknowledged",
    "mitigated",
    "resolved",
    "closed",
)


class IncidentRow(Base):
    """A service failure handled under the agreement's incident policy. ``ladder`` is the
    escalation ladder as it stood when the incident opened (JSON)."""

    __tablename__ = "incidents"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (
        UniqueConstraint("agreement_id", "source", "source_key"),
        Index(None, "agreement_id", "state"),
    )
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    security: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(64))
    source_key: Mapped[str | None] = mapped_column(String(200))
    party: Mapped[str] = mapped_column(String(64))
    ladder: Mapped[str] = mapped_column(Text)
    impact_started_at: Mapped[dt.datetime | None]
    impact_started_by: Mapped[str | None]
    detected_at: Mapped[dt.datetime | None]
    detected_by: Mapped[str | None]
    reported_at: Mapped[dt.datetime]
    reported_by: Mapped[str]
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by: Mapped[str | None]
    mitigated_at: Mapped[dt.datetime | None]
    mitigated_by: Mapped[str | None]
    resolved_at: Mapped[dt.datetime | None]
    resolved_by: Mapped[str | None]
    closed_at: Mapped[dt.datetime | None]
    closed_by: Mapped[str | None]
    #: When it was classified as major (DORA's trigger), and by whom.
    classified_at: Mapped[dt.datetime | None]
    classified_by: Mapped[str | None]


class IncidentEventRow(Base):
    """One entry of an incident's typed timeline (also in the audit trail)."""

    __tablename__ = "incident_events"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    at: Mapped[dt.datetime]
    actor: Mapped[str]
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)


class IncidentNoticeRow(Base):
    """A breach notice as sent: under which regime, when, to whom, with what content."""

    __tablename__ = "incident_notices"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    regime: Mapped[str] = mapped_column(String(64))
    notice: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[dt.datetime]
    recipient: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime]
    recorded_by: Mapped[str]


class IncidentSourceRow(Base):
    """An inbound webhook that may open incidents on an agreement; only the SHA-256 of its
    secret is kept."""

    __tablename__ = "incident_sources"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (UniqueConstraint("agreement_id", "name"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    severity: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]
