"""The database tables as typed SQLAlchemy 2 row classes (``…Row``), one per entity.

History is append-only: agreement versions, verdicts (a changed verdict is a new row that
``supersedes`` the old one), credit ledger entries and the audit trail are never updated.
Instants are stored as UTC and read back tz-aware; decimals are stored as text, exactly.

Every table declares whose data its rows are, where it is defined (``__tenancy__``, a
``Tenancy``): ``accord.store.tenancy`` builds every session's filter from these declarations,
and refuses to start when a table has none, so a new table cannot forget its tenant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Final

from sqlalchemy import (
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "PORTFOLIO_COLUMNS",
    "SEALED_WHEN_SET",
    "AgreementPartyRow",
    "AgreementRow",
    "AgreementVersionRow",
    "ApiTokenRow",
    "AuditEntryRow",
    "Base",
    "BatchIndexRow",
    "BatchKeyRow",
    "CertificationRow",
    "ClosedWindowRow",
    "CreditAdjustmentRow",
    "CreditClaimRow",
    "CreditEntryRow",
    "DataHandlingDeclarationRow",
    "DeliveryAttemptRow",
    "EvaluationRunRow",
    "FindingRow",
    "LegalHoldRow",
    "MeasurementBatchRow",
    "NotificationRow",
    "ObligationRow",
    "OrganisationRow",
    "RenewalDecisionRow",
    "RestatementRow",
    "ReviewEntryRow",
    "RoleAssignmentRow",
    "SessionRow",
    "Tenancy",
    "TenantScope",
    "UserRow",
    "VerdictRow",
    "id_column",
]

_NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A tz-aware UTC instant on every database (SQLite forgets the zone; this restores it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"instant without a time zone: {value}")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        instant: dt.datetime = value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=dt.UTC)
        return instant.astimezone(dt.UTC)


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal stored as text (no float on any database)."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


class TenantScope(StrEnum):
    """Whose data a row is, and so who may see it."""

    #: Data of one agreement: its owner (the company) and the organisations of its parties.
    AGREEMENT = "agreement"
    #: Data of one organisation: its own members (and the operator, which sees all).
    ORGANISATION = "organisation"
    #: Data of one user: its organisation's members (and the operator).
    USER = "user"
    #: Rows of no single tenant, read only through a service that checks the permission for
    #: them (the audit chain spans every tenant; each change appends to it).
    SHARED = "shared"


@dataclass(frozen=True)
class Tenancy:
    """A table's tenant scope and the column that names its agreement, organisation or user."""

    scope: TenantScope
    column: str = ""


#: A column's ``info`` key: the audit chain seals the column only when it holds a value, so
#: that a column added to a sealed table leaves the seals of rows written before it valid.
SEALED_WHEN_SET = "sealed_when_set"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime,
        Decimal: DecimalText,
        str: String(255),
    }


def id_column() -> Mapped[int]:
    return mapped_column(Integer, primary_key=True, autoincrement=True)


class OrganisationRow(Base):
    """The company that runs Accord, or one of its partners."""

    __tablename__ = "organisations"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.ORGANISATION, "id")
    id: Mapped[int] = id_column()
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]


class UserRow(Base):
    __tablename__ = "users"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.ORGANISATION, "organisation_id")
    #: An address is one user in any case (users are found by it case-insensitively), so
    #: two accounts differing only in case are refused by the database too, even when
    #: created at the same instant.
    __table_args__ = (
        Index("uq_users_lower_email", func.lower(literal_column("email")), unique=True),
    )
    id: Mapped[int] = id_column()
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None]
    created_at: Mapped[dt.datetime]
    #: When an admin disabled the user: no sign-in, token or session works until re-enabled.
    disabled_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class RoleAssignmentRow(Base):
    __tablename__ = "role_assignments"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.ORGANISATION, "organisation_id")
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "role"),)
    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[dt.datetime]
    granted_by: Mapped[str]


class CertificationRow(Base):
    """A certificate or attestation report an organisation holds, as recorded (append-only:
    a renewal is a new row). Only the SHA-256 of the document is kept."""

    __tablename__ = "certifications"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.ORGANISATION, "organisation_id")
    id: Mapped[int] = id_column()
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    standard: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    document_sha256: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[str]
    recorded_at: Mapped[dt.datetime]


class DataHandlingDeclarationRow(Base):
    """What an organisation declares about where and how it handles data (locations,
    sub-processors, encryption, access) as JSON; append-only, the latest is in force."""

    __tablename__ = "data_handling_declarations"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.ORGANISATION, "organisation_id")
    id: Mapped[int] = id_column()
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    declared_by: Mapped[str]
    declared_at: Mapped[dt.datetime]


class ApiTokenRow(Base):
    """An API token: only the SHA-256 of its secret is kept."""

    __tablename__ = "api_tokens"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.USER, "user_id")
    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    #: Who made the token (the audit trail's actor name); None before this was recorded.
    created_by: Mapped[str | None] = mapped_column(String(320), default=None)


class SessionRow(Base):
    """A password login: the cookie carries the secret, the row its SHA-256."""

    __tablename__ = "sessions"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.USER, "user_id")
    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]


class AgreementRow(Base):
    """An agreement (its id in the YAML is the slug), owned by the company."""

    __tablename__ = "agreements"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "id")
    __table_args__ = (UniqueConstraint("owner_organisation_id", "slug"),)
    id: Mapped[int] = id_column()
    slug: Mapped[str] = mapped_column(String(64))
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class AgreementVersionRow(Base):
    """One immutable version: the YAML text as uploaded, numbered 1, 2, … per agreement."""

    __tablename__ = "agreement_versions"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    number: Mapped[int]
    label: Mapped[str] = mapped_column(Text)
    version_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str]
    uploaded_at: Mapped[dt.datetime]
    #: When the version takes effect (``accord.core.versions``).
    effective_at: Mapped[dt.datetime]
    #: Why it takes effect before it was uploaded (a backdated correction); else ``None``.
    backdated: Mapped[str | None] = mapped_column(Text)


class AgreementPartyRow(Base):
    """Which organisation a party of the agreement (by its id in the YAML) is."""

    __tablename__ = "agreement_parties"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (UniqueConstraint("agreement_id", "party_id"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    party_id: Mapped[str] = mapped_column(String(64))


class MeasurementBatchRow(Base):
    """A pushed batch whose Parquet file is durable; only these files are evaluated."""

    __tablename__ = "measurement_batches"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (UniqueConstraint("agreement_id", "source", "batch_id"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    source: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[str] = mapped_column(String(128))
    events_received: Mapped[int]
    events_accepted: Mapped[int]
    events_duplicate: Mapped[int]
    events_rejected: Mapped[int]
    file_path: Mapped[str | None] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    first_at: Mapped[dt.datetime | None]
    last_at: Mapped[dt.datetime | None]
    received_at: Mapped[dt.datetime]
    received_by: Mapped[str]
    #: The API token the batch was pushed with (None: a session, or before this was recorded).
    token_id: Mapped[int | None] = mapped_column(default=None)


class BatchKeyRow(Base):
    """The identity key of an event a recorded batch holds (``accord.connectors.batches``:
    128 bits of the SHA-256 of its typed identity values): the index a push looks its
    duplicates up in, instead of re-reading every earlier batch file of the source. Written
    in the transaction that records the batch, so it names only acknowledged events."""

    __tablename__ = "batch_keys"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "measurement_batch_id"),)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    measurement_batch_id: Mapped[int] = mapped_column(
        ForeignKey("measurement_batches.id"), primary_key=True
    )


class BatchIndexRow(Base):
    """A recorded batch whose events' keys are in ``batch_keys``, and the source identity
    they were computed under (``name:type`` of each identity column): a batch recorded
    before the index existed, or keyed under an identity the source no longer has, is
    indexed again from its file by the next push."""

    __tablename__ = "batch_indexes"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    measurement_batch_id: Mapped[int] = mapped_column(
        ForeignKey("measurement_batches.id"), primary_key=True
    )
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    identity: Mapped[str] = mapped_column(String(400))


class EvaluationRunRow(Base):
    __tablename__ = "evaluation_runs"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    period: Mapped[str] = mapped_column(String(32))
    as_of: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime]
    requested_by: Mapped[str]
    reason: Mapped[str] = mapped_column(Text)
    verdicts_recorded: Mapped[int]
    verdicts_unchanged: Mapped[int]


#: The verdict columns the portfolio reads (``ix_verdicts_portfolio`` covers them).
PORTFOLIO_COLUMNS: Final = (
    "agreement_id",
    "window_end",
    "window_start",
    "window_label",
    "outcome",
    "budget_left_ratio",
    "coverage_ratio",
)


class VerdictRow(Base):
    """A verdict as recorded; a change appends a row that ``supersedes`` the previous one."""

    __tablename__ = "verdicts"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (
        Index(None, "agreement_id", "objective", "scope_key", "window_label"),
        Index(None, "agreement_id", "window_start"),
        # What the portfolio reads of recent windows, without touching the evidence.
        Index("ix_verdicts_portfolio", *PORTFOLIO_COLUMNS),
    )
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_versions.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"))
    objective: Mapped[str] = mapped_column(String(64))
    scope_key: Mapped[str] = mapped_column(Text)
    scope_label: Mapped[str] = mapped_column(Text)
    window_label: Mapped[str] = mapped_column(String(32))
    window_start: Mapped[dt.datetime]
    window_end: Mapped[dt.datetime]
    outcome: Mapped[str] = mapped_column(String(32))
    value: Mapped[Decimal | None]
    evidence: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime]
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"), unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    #: Copies of two of the evidence's figures, for reads over many verdicts at once (the
    #: portfolio): error budget left (1 − consumed, below zero when overspent) and data
    #: coverage. The evidence stays the exact record; these are for display and sorting.
    budget_left_ratio: Mapped[float | None] = mapped_column(Float)
    coverage_ratio: Mapped[float | None] = mapped_column(Float)


class CreditEntryRow(Base):
    """A credit ledger entry: the change in what is owed under a scheme for a window."""

    __tablename__ = "credit_entries"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "agreement_id", "scheme", "window_label"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    #: The run that judged it; ``None`` for a manual adjustment (``adjustment_id``).
    run_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_runs.id"))
    scheme: Mapped[str] = mapped_column(String(64))
    objective: Mapped[str] = mapped_column(String(64))
    scope_label: Mapped[str] = mapped_column(Text)
    window_label: Mapped[str] = mapped_column(String(32))
    tier: Mapped[int]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    recorded_at: Mapped[dt.datetime]
    reason: Mapped[str] = mapped_column(Text)
    #: What the caps took off the credit owed (``accord.core.remedies.caps``), and which caps;
    #: sealed only when set, so that rows booked before these columns keep their seals.
    clipped: Mapped[Decimal | None] = mapped_column(info={SEALED_WHEN_SET: True})
    caps: Mapped[str | None] = mapped_column(Text, info={SEALED_WHEN_SET: True})
    #: The manual adjustment this entry books (``None``: an evaluation's credit difference).
    adjustment_id: Mapped[int | None] = mapped_column(
        ForeignKey("credit_adjustments.id"), info={SEALED_WHEN_SET: True}
    )


class FindingRow(Base):
    """A chronic-failure or consistency finding as a run found it (``kind``: chronic or
    consistency; ``subject``: the clause or the objective; the window it speaks of). A run
    that finds it changed appends a row; the latest per kind, subject and window is current."""

    __tablename__ = "findings"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "agreement_id", "kind", "subject", "window_label"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    window_label: Mapped[str] = mapped_column(String(32))
    #: triggered | not_triggered (chronic), met | breach (consistency).
    outcome: Mapped[str] = mapped_column(String(16))
    record: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime]


class CreditAdjustmentRow(Base):
    """A manual adjustment of what is owed under a scheme for a window, with its reason (and
    a link, e.g. to a dispute): requested, then applied — booked as a ledger entry — or
    rejected; under the four-eyes rule another user applies it. Never an edit of an entry."""

    __tablename__ = "credit_adjustments"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(64))
    window_label: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str]
    requested_by_user: Mapped[int | None]
    requested_at: Mapped[dt.datetime]
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)


class LegalHoldRow(Base):
    """Data of an agreement that retention must not remove: everything, or the measurements
    with an event in ``[held_from, held_until)``, until the hold is released."""

    __tablename__ = "legal_holds"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    held_from: Mapped[dt.datetime | None]
    held_until: Mapped[dt.datetime | None]
    placed_by: Mapped[str]
    placed_at: Mapped[dt.datetime]
    released_by: Mapped[str | None]
    released_at: Mapped[dt.datetime | None]


class ReviewEntryRow(Base):
    """What a governance review recorded for a period: a party's rating of a commitment
    (``rating`` 1–5 with a comment) or a decision with its owner and due date. Append-only."""

    __tablename__ = "review_entries"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "agreement_id", "period"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    period: Mapped[str] = mapped_column(String(16))
    #: rating | decision
    kind: Mapped[str] = mapped_column(String(16))
    party: Mapped[str] = mapped_column(String(64))
    commitment: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(64))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str]
    recorded_at: Mapped[dt.datetime]


class RenewalDecisionRow(Base):
    """A party's decision about the term that ends on ``term_end`` (renew, renegotiate,
    terminate): who, when, and the notice obligations it met. Append-only."""

    __tablename__ = "renewal_decisions"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    term_end: Mapped[dt.date] = mapped_column(Date)
    party: Mapped[str] = mapped_column(String(64))
    decided_by: Mapped[str]
    decided_at: Mapped[dt.datetime]
    note: Mapped[str | None] = mapped_column(Text)
    #: Keys of the notice obligations it met, space-separated.
    notices_met: Mapped[str] = mapped_column(Text)


class ObligationRow(Base):
    """A dated duty under an agreement (``accord.core.obligations``): open until it is met,
    waived or lapses; a lapsed one is missed as of its due instant (``state_at``)."""

    __tablename__ = "obligations"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (
        UniqueConstraint("agreement_id", "key"),
        Index(None, "state", "due_at"),
    )
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    party: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)
    trigger_at: Mapped[dt.datetime]
    due_at: Mapped[dt.datetime]
    calendar: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    state_at: Mapped[dt.datetime | None]
    state_by: Mapped[str | None]
    reason: Mapped[str | None] = mapped_column(Text)
    #: The highest escalation level told of the lapse so far (0: none).
    escalated_level: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime]
    #: The incident that created it, if any.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    #: When the duty was done (for a missed one: done late; escalation stops then).
    done_at: Mapped[dt.datetime | None]


class NotificationRow(Base):
    """The outbox: an email or webhook written in the same transaction as the event that
    causes it, delivered by the worker. ``dedupe_key`` names the event and the recipient, so
    an event notifies each recipient once."""

    __tablename__ = "notifications"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (
        UniqueConstraint("agreement_id", "dedupe_key"),
        Index(None, "state", "next_attempt_at"),
    )
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    event: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(400))
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    #: The same on every attempt (an email's Message-ID, a webhook's delivery id), so that a
    #: receiver can drop a copy sent again after a crash.
    message_id: Mapped[str]
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int]
    next_attempt_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    delivered_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class DeliveryAttemptRow(Base):
    """One try at delivering a notification: recorded as ``sending`` before the send, and
    finished (``delivered``, ``failed``; ``interrupted`` when the worker died mid-way) after."""

    __tablename__ = "delivery_attempts"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (UniqueConstraint("notification_id", "number"),)
    id: Mapped[int] = id_column()
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    number: Mapped[int]
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)


class CreditClaimRow(Base):
    """A step in the lifecycle of the credit owed under a scheme for a window: claimed,
    accepted, disputed, settled (append-only; the latest step is the state)."""

    __tablename__ = "credit_claims"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (Index(None, "agreement_id", "scheme", "window_label"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"))
    scheme: Mapped[str] = mapped_column(String(64))
    window_label: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    #: The settlement's reference (e.g. an invoice number); ``None`` for other steps.
    reference: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str]
    recorded_at: Mapped[dt.datetime]


class ClosedWindowRow(Base):
    """A window whose verdicts and credits became final at its close (``accord.core.closing``):
    when, by which run, under which agreement versions and from which data."""

    __tablename__ = "closed_windows"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    __table_args__ = (UniqueConstraint("agreement_id", "window_label"),)
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    window_label: Mapped[str] = mapped_column(String(32))
    window_start: Mapped[dt.datetime]
    window_end: Mapped[dt.datetime]
    #: The window's end plus the agreement's data cutoff.
    closes_at: Mapped[dt.datetime]
    #: When a run recorded it final (at or after ``closes_at``).
    closed_at: Mapped[dt.datetime]
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_runs.id"))
    #: JSON: the agreement version hashes, the batches read (source, batch id, digest,
    #: received at) and the final verdicts and credits.
    record: Mapped[str] = mapped_column(Text)


class RestatementRow(Base):
    """A request to change a closed period's verdicts and credits, and what became of it."""

    __tablename__ = "restatements"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.AGREEMENT, "agreement_id")
    id: Mapped[int] = id_column()
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    period: Mapped[str] = mapped_column(String(32))
    reason_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    #: requested | applied | rejected
    state: Mapped[str] = mapped_column(String(16))
    requested_by: Mapped[str]
    requested_by_user: Mapped[int | None]
    requested_at: Mapped[dt.datetime]
    decided_by: Mapped[str | None]
    decided_at: Mapped[dt.datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_runs.id"))


class AuditEntryRow(Base):
    """One link of the hash chain: ``hash = sha256(prev_hash + canonical JSON of the entry)``."""

    __tablename__ = "audit_entries"
    __tenancy__: ClassVar[Tenancy] = Tenancy(TenantScope.SHARED)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime]
    actor: Mapped[str]
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Ed25519 signature (base64) of ``hash`` by the service's key; None on entries written
    #: before entries were signed.
    signature: Mapped[str | None] = mapped_column(String(128), default=None)


# The incident, review, amendment and dispute tables live in their own modules; importing
# them here registers them wherever the import of the tables starts (tenancy and migrations
# read every mapped table).
import accord.store.governance_rows  # noqa: E402
import accord.store.incident_rows  # noqa: E402
import accord.store.report_rows  # noqa: E402
import accord.store.review_rows  # noqa: E402, F401
