"""The unit of work: one transaction, bound to the principal's tenant, with the audit trail.

A use case opens it (``context.uow(principal, write=True)``), works through the
repositories, records what changed with ``audit``, and ``commit``s; leaving the block without
committing rolls everything back, audit entries included. Writing transactions take the
database's write lock when they begin (SQLite) so that two writers queue instead of failing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import sessionmaker

from accord.services.deadline import current_deadline
from accord.services.errors import Conflict, Invalid, WorkTimedOut
from accord.services.measuring import Measuring
from accord.services.permissions import Principal
from accord.services.ports import (
    BatchKeys,
    BatchWriter,
    Clock,
    KeptRows,
    NotificationSender,
    Signer,
    SourceFetcher,
    SourceReader,
)
from accord.services.rendering import Rendering
from accord.store import locks
from accord.store.audit import COVERED, AuditRecord, append, seal
from accord.store.db import WRITE
from accord.store.repositories import (
    Agreements,
    Amendments,
    Batches,
    Books,
    Compliance,
    Credits,
    Disputes,
    Findings,
    Incidents,
    Obligations,
    Organisations,
    Outbox,
    Runs,
    ScheduledReports,
    Tokens,
    Users,
    Verdicts,
)
from accord.store.tables import Base
from accord.store.tenancy import TenantSession, bind_tenant

__all__ = ["Limits", "ServiceContext", "UnitOfWork"]


@dataclass(frozen=True, kw_only=True)
class Limits:
    token_ttl: dt.timedelta = dt.timedelta(days=90)
    session_ttl: dt.timedelta = dt.timedelta(hours=12)
    max_batch_events: int = 100_000
    max_batch_bytes: int = 32 * 1024 * 1024
    #: A restatement or a manual ledger adjustment is applied only when a second user (not
    #: the one who asked) approves it.
    four_eyes: bool = True
    #: A JSON request body other than a push or an agreement upload.
    max_json_bytes: int = 64 * 1024
    #: An agreement upload (the YAML text inside a JSON body).
    max_agreement_bytes: int = 1024 * 1024
    #: A multipart upload of dispute evidence (its files and fields together).
    max_evidence_bytes: int = 25 * 1024 * 1024
    #: How deep arrays and objects of a JSON body may nest.
    max_json_depth: int = 32
    #: How long a request body may take to arrive.
    body_timeout: dt.timedelta = dt.timedelta(seconds=30)
    #: How long the work of one request may take (``accord.services.deadline``): past it
    #: the caller is answered 503 with Retry-After and nothing the work does is committed.
    work_timeout: dt.timedelta = dt.timedelta(seconds=120)


@dataclass(frozen=True, kw_only=True)
class ServiceContext:
    """What every use case shares: the database, the clock, the data directory, limits."""

    engine: Engine
    sessions: sessionmaker[TenantSession]
    clock: Clock
    data_dir: Path
    limits: Limits
    batch_writer: BatchWriter
    #: Reads the identity keys of a stored batch file, to index batches recorded before the
    #: index of keys existed (``accord.connectors.batches.stored_keys``).
    batch_keys: BatchKeys
    passwords: PasswordHasher
    #: Renders records and documents for people (``accord.reports.rendering``).
    rendering: Rendering
    #: Reads data files and pushed batches into the engine (``accord.connectors.files``).
    reader: SourceReader
    #: Reads the sources that live outside the data files (Prometheus, ticket exports);
    #: None: agreements with such sources cannot be evaluated here (they get a 400).
    fetcher: SourceFetcher | None = None
    #: What earlier reads of outside sources kept (status feeds' polls), for pages that
    #: must not call a partner on each view; None: nothing kept is read.
    kept: KeptRows | None = None
    #: Signs audit entries, checkpoints and receipts with the key kept outside the database;
    #: None: nothing is signed (tests of other things, tools that only read).
    signer: Signer | None = None
    #: Where evaluations measure (DuckDB unless the settings say Spark).
    measuring: Measuring = field(default_factory=Measuring)
    #: Delivers the outbox (SMTP, webhooks); None: notifications wait in the outbox.
    sender: NotificationSender | None = None
    #: Whether the worker generates and sends each closed period's reports.
    scheduled_reports: bool = True
    #: The web app's address as people reach it (links in emails), without a trailing slash.
    public_url: str = "http://127.0.0.1:8000"

    def uow(self, principal: Principal, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self, principal, write=write)


class UnitOfWork:
    def __init__(self, context: ServiceContext, principal: Principal, *, write: bool) -> None:
        self.principal = principal
        self._clock = context.clock
        self._signer = context.signer
        self.session = context.sessions()
        bind_tenant(self.session, principal.tenant)
        if write:
            self.session.connection(execution_options={WRITE: True})
        self.organisations = Organisations(self.session)
        self.users = Users(self.session)
        self.tokens = Tokens(self.session)
        self.agreements = Agreements(self.session)
        self.batches = Batches(self.session)
        self.runs = Runs(self.session)
        self.verdicts = Verdicts(self.session)
        self.credits = Credits(self.session)
        self.findings = Findings(self.session)
        self.books = Books(self.session)
        self.obligations = Obligations(self.session)
        self.compliance = Compliance(self.session)
        self.outbox = Outbox(self.session)
        self.incidents = Incidents(self.session)
        self.amendments = Amendments(self.session)
        self.disputes = Disputes(self.session)
        self.scheduled_reports = ScheduledReports(self.session)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # Closing ends (rolls back) an uncommitted transaction and detaches the rows without
        # expiring them, so that a use case may still read what it loaded.
        self.session.close()
        if isinstance(error, IntegrityError):
            raise Conflict("the change conflicts with one made at the same time; retry") from error
        if isinstance(error, DataError):
            raise Invalid("a value is too long or out of range for the database") from error

    def now(self) -> dt.datetime:
        return self._clock.now()

    def serialise(self, *names: object) -> None:
        """Hold a lock named by ``names`` until the transaction ends (one writer at a time)."""
        locks.serialise(self.session, ":".join(str(name) for name in names))

    def audit(self, action: str, entity: str, entity_id: object, **change: Any) -> None:
        """Record a change (``before=…``, ``after=…``) in this transaction."""
        record = AuditRecord(
            actor=self.principal.name,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=change.get("before"),
            after=change.get("after"),
        )
        signer = self._signer
        append(self.session, record, self.now(), signer.sign if signer is not None else None)

    def seal(self, row: Base, action: str, **extra: Any) -> None:
        """Record a new row of a covered table (the credit ledger) in this transaction, sealed
        by its digest so that ``accord audit verify`` detects any later edit of it."""
        covered = next(c for c in COVERED if isinstance(row, c.table))
        record = AuditRecord(
            actor=self.principal.name,
            action=action,
            entity=covered.entity,
            entity_id="",
            after=extra or None,
        )
        signer = self._signer
        seal(
            self.session,
            covered,
            row,
            record,
            (self.now(), signer.sign if signer is not None else None),
        )

    def commit(self) -> None:
        """Commit, unless the work's deadline has passed (``accord.services.deadline``):
        then roll back and refuse, so that nothing of timed-out work is kept."""
        deadline = current_deadline()
        if deadline is not None:
            try:
                deadline.begin_commit()
            except WorkTimedOut:
                self.session.rollback()
                raise
        try:
            self.session.commit()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict("the change conflicts with one made at the same time; retry") from exc
