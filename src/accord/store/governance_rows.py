"""Amendments and disputes: a proposed new version of an agreement with every approval,
rejection, waiver and withdrawal; a party's challenge of a verdict or credit with its evidence,
the steps of its ladder and its outcome. The event tables are append-only.

Registered with the other tables by ``accord.store.tables`` (imported at its end), so the
tenancy filter and the migrations see them wherever the import starts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.tables import Base, Tenancy, TenantScope, id_column

__all__ = [
    "AmendmentEventRow",
    "AmendmentRow",
    "DisputeEventRow",
    "DisputeEvidenceRow",
    "DisputeRow",
]


class AmendmentRow(Base):
    """A proposed new version of an agreement: its text, the version it changes, when it is to
    take effect, and where it stands (proposed, approved, rejected, withdrawn). An approved
    amendment names the version it became."""

    __tablename__ = "amendments"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "agreement_id", "state"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    change_type: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    version_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(64))
    #: The version number it was proposed against (the latest then).
    base_version: Mapped[int]
    #: Set when it rolls back to an earlier version's text.
    rollback_of: Mapped[int | None]
    party: Mapped[str] = mapped_column(String(64))
    proposed_by: Mapped[str]
    proposed_at: Mapped[dt.datetime]
    effective_at: Mapped[dt.datetime]
    #: No instant was asked for: it takes effect as soon as the notice and approvals allow.
    at_earliest: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[dt.datetime | None]
    #: The version it became once approved.
    version_number: Mapped[int | None]


class AmendmentEventRow(Base):
    """One party's act on an amendment: proposed, approved, rejected, waived (the notice
    period), withdrawn. Append-only."""

    __tablename__ = "amendment_events"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    kind: Mapped[str] = mapped_column(String(16))
    party: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str]
    at: Mapped[dt.datetime]
    note: Mapped[str | None] = mapped_column(Text)


class DisputeRow(Base):
    """A party's challenge of a verdict or a credit, the ladder step it stands at, and its
    outcome (upheld, rejected, adjusted with an amount)."""

    __tablename__ = "disputes"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "agreement_id", "state"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    #: verdict | credit
    subject: Mapped[str] = mapped_column(String(16))
    verdict_id: Mapped[int | None]
    scheme: Mapped[str | None] = mapped_column(String(64))
    window_label: Mapped[str] = mapped_column(String(32))
    claim: Mapped[str] = mapped_column(Text)
    #: The amount the raising party asks for (a credit dispute), in ``currency``.
    amount: Mapped[Decimal | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    party: Mapped[str] = mapped_column(String(64))
    raised_by: Mapped[str]
    raised_at: Mapped[dt.datetime]
    #: The ladder as it stood when raised (JSON: steps with name, within, decided_by; mediation).
    ladder: Mapped[str] = mapped_column(Text)
    #: 1-based step of the ladder; one past the last: mediation or arbitration.
    step: Mapped[int]
    #: open | decided | withdrawn
    state: Mapped[str] = mapped_column(String(16))
    #: upheld | rejected | adjusted
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_amount: Mapped[Decimal | None]
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]


class DisputeEventRow(Base):
    """The exchange of a dispute, visible to both parties: raised, responded, escalated (by a
    party, or by itself when a step lapsed), decided. Append-only."""

    __tablename__ = "dispute_events"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    kind: Mapped[str] = mapped_column(String(16))
    party: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str]
    at: Mapped[dt.datetime]
    text: Mapped[str] = mapped_column(Text)


class DisputeEvidenceRow(Base):
    """Evidence of a dispute: a stored file with its SHA-256, a link, an incident reference,
    or a note. Append-only."""

    __tablename__ = "dispute_evidence"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id"), index=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    #: file | data | link | incident
    kind: Mapped[str] = mapped_column(String(16))
    #: File name, URL or incident id.
    reference: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    party: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str]
    added_at: Mapped[dt.datetime]
    #: Data evidence: the agreement's source the party's own measurements stand for.
    source: Mapped[str | None] = mapped_column(String(64))
    #: Data evidence: how its rows fared under the source's checks (JSON: received,
    #: accepted, duplicates, rejected, issues, and the checked rows' file).
    checks: Mapped[str | None] = mapped_column(Text)
    #: When the retention purge removed the stored file (the record stays).
    purged_at: Mapped[dt.datetime | None]
