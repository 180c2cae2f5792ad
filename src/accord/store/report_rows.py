"""The period reports the service generated on its own once a period closed: one row per
organisation, period, scope and edition, so that a report is generated and sent exactly once,
and again, as a new edition, once per restatement of its period.

Registered with the other tables by ``accord.store.tables`` (imported at its end), so the
tenancy filter and the migrations see them wherever the import starts.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.tables import Base, Tenancy, TenantScope, id_column

__all__ = ["ScheduledReportRow"]


class ScheduledReportRow(Base):
    """A report generated after its period closed: about which organisation (a partner, or
    the company for the portfolio), which period and scope, its hash and files (the files
    themselves are kept in the data directory, as ``accord report`` keeps them)."""

    __tablename__ = "scheduled_reports"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.ORGANISATION, "organisation_id")
    __table_args__ = (UniqueConstraint("organisation_id", "period", "scope", "edition"),)
    id: Mapped[int] = id_column()
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: ``portfolio`` or the partner organisation's id (``accord.core.period_report``).
    scope: Mapped[str] = mapped_column(String(64))
    #: A month (``2026-10``) or a quarter (``2026-Q4``).
    period: Mapped[str] = mapped_column(String(16))
    #: SHA-256 of the report's JSON export.
    report_hash: Mapped[str] = mapped_column(String(64))
    #: JSON: file name → SHA-256.
    files: Mapped[str] = mapped_column(Text)
    generated_at: Mapped[dt.datetime]
    #: How many emails were written to the outbox for it.
    emails: Mapped[int]
    #: 1 for the report of the period as it closed; one more for each restated edition.
    edition: Mapped[int] = mapped_column(default=1, server_default="1")
    #: When a later edition replaced this one (``None``: the current edition).
    superseded_at: Mapped[dt.datetime | None]
    #: For a restated edition: which restatements it follows (agreement, id, reason).
    restated: Mapped[str | None] = mapped_column(Text)
