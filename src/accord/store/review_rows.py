"""Post-incident reviews and their preventive actions; users' notification preferences.

Registered with the other tables by ``accord.store.tables`` (imported at its end), so the
tenancy filter and the migrations see them wherever the import starts.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.tables import Base, Tenancy, TenantScope, id_column

__all__ = ["IncidentReviewRow", "NotificationPreferenceRow", "PreventiveActionRow"]


class IncidentReviewRow(Base):
    """The post-incident review of one incident: written by either side, filed once.
    ``customer_impact`` (JSON: a name → a number) and ``contributing_factors`` (JSON: a
    list of texts) keep their structure."""

    __tablename__ = "incident_reviews"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    #: draft | filed
    state: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    customer_impact: Mapped[str] = mapped_column(Text)
    root_cause: Mapped[str] = mapped_column(Text)
    contributing_factors: Mapped[str] = mapped_column(Text)
    went_well: Mapped[str] = mapped_column(Text)
    went_wrong: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]
    updated_at: Mapped[dt.datetime]
    updated_by: Mapped[str]
    filed_at: Mapped[dt.datetime | None]
    filed_by: Mapped[str | None]


class PreventiveActionRow(Base):
    """A preventive action a review commits to: an owner, a due date and a state (open,
    done, cancelled); its duty is an obligation of kind ``action``."""

    __tablename__ = "preventive_actions"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "agreement_id", "state"),)
    id: Mapped[int] = id_column()
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    #: The party (its id in the agreement) that owes it.
    party: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]
    state_at: Mapped[dt.datetime | None]
    state_by: Mapped[str | None]
    note: Mapped[str | None] = mapped_column(Text)


class NotificationPreferenceRow(Base):
    """What one user wants by email: muted events (JSON list), or no email at all (the
    agreement's webhooks still carry every event). Read when a notification is delivered."""

    __tablename__ = "notification_preferences"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.ORGANISATION, "organisation_id")
    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[bool] = mapped_column(Boolean)
    muted: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime]
