"""Retention (issue 12 §5): legal holds, and the purge that applies each agreement's
retention rules to what Accord holds, leaving an audit record of what it removed.

The purge removes, per agreement and per its rules: the measurement batches (rows and
Parquet files) whose latest event is older than the ``performance_data`` period; the content
of its audit entries older than the ``audit_logs`` period (the chain's links stay, so the
trail and its checkpoints still verify, ``accord.store.audit.redact``); the evidence files of
its disputes decided before the ``evidence`` period (``accord.services.record_retention``).
What an active legal hold or an open dispute references stays. Each agreement's purge is
one transaction with one audit entry per kind of data naming what went and what was kept;
the files go after the commit, so a purge that fails leaves everything in place.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from accord.core.retention import AUDIT_LOGS, EVIDENCE, PERFORMANCE_DATA, cutoff, held
from accord.services.actors import shown_actor
from accord.services.errors import Conflict, Invalid, NotFound
from accord.services.in_force import agreement_in_force
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.record_retention import (
    AuditPurge,
    EvidencePurge,
    Keeping,
    audit_to_redact,
    evidence_to_remove,
)
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store import audit
from accord.store.tables import AgreementRow, LegalHoldRow, MeasurementBatchRow

__all__ = ["HoldView", "PlaceHold", "PurgeReport", "Purged", "Retention"]

_MAX_REASON: Final = 2000


@dataclass(frozen=True, kw_only=True)
class PlaceHold:
    agreement: str
    reason: str
    held_from: dt.datetime | None = None
    held_until: dt.datetime | None = None


@dataclass(frozen=True)
class HoldView:
    id: int
    agreement: str
    reason: str
    held_from: dt.datetime | None
    held_until: dt.datetime | None
    placed_by: str
    placed_at: dt.datetime
    released_by: str | None
    released_at: dt.datetime | None


@dataclass(frozen=True)
class Purged:
    """What the purge did for one agreement (in a dry run: would do)."""

    agreement: str
    #: Batches whose latest event is before this may go (``None``: no performance_data rule).
    cutoff: dt.datetime | None
    #: ``source/batch id`` of each batch removed (or, in a dry run, to be removed).
    removed: list[str] = field(default_factory=list)
    events_removed: int = 0
    #: Batches past the cutoff that a legal hold or an open dispute keeps.
    held: list[str] = field(default_factory=list)
    #: Audit entries written before this may lose their content (``None``: no rule).
    audit_cutoff: dt.datetime | None = None
    audit_entries_removed: int = 0
    audit_entries_kept_by_holds: int = 0
    audit_entries_kept_by_disputes: int = 0
    #: Evidence of disputes decided before this may go (``None``: no rule).
    evidence_cutoff: dt.datetime | None = None
    #: ``dispute N: file`` of each evidence file removed, and of each a legal hold keeps.
    evidence_removed: list[str] = field(default_factory=list)
    evidence_held: list[str] = field(default_factory=list)

    @property
    def removed_anything(self) -> bool:
        return bool(self.removed or self.audit_entries_removed or self.evidence_removed)


@dataclass(frozen=True)
class PurgeReport:
    at: dt.datetime
    dry_run: bool
    agreements: list[Purged]

    def summary(self) -> str:
        removed = sum(len(item.removed) for item in self.agreements)
        kept = sum(len(item.held) for item in self.agreements)
        entries = sum(item.audit_entries_removed for item in self.agreements)
        files = sum(len(item.evidence_removed) for item in self.agreements)
        verb = "would remove" if self.dry_run else "removed"
        return (
            f"retention: {verb} {removed} batches, the content of {entries} audit entries and "
            f"{files} evidence files; {kept} batches kept by legal holds or open disputes"
        )


def _view(uow: UnitOfWork, row: LegalHoldRow, slug: str) -> HoldView:
    return HoldView(
        id=row.id,
        agreement=slug,
        reason=row.reason,
        held_from=row.held_from,
        held_until=row.held_until,
        placed_by=shown_actor(uow, row.placed_by),
        placed_at=row.placed_at,
        released_by=None if row.released_by is None else shown_actor(uow, row.released_by),
        released_at=row.released_at,
    )


def _record(row: LegalHoldRow) -> dict[str, object]:
    return {
        "id": row.id,
        "reason": row.reason,
        "held_from": None if row.held_from is None else row.held_from.isoformat(),
        "held_until": None if row.held_until is None else row.held_until.isoformat(),
        "released_at": None if row.released_at is None else row.released_at.isoformat(),
    }


def _checked(command: PlaceHold) -> str:
    reason = command.reason.strip()
    if not reason:
        raise Invalid("reason: a legal hold needs a reason")
    if len(reason) > _MAX_REASON:
        raise Invalid(f"reason: more than {_MAX_REASON} characters")
    for name in ("held_from", "held_until"):
        instant: dt.datetime | None = getattr(command, name)
        if instant is not None and instant.tzinfo is None:
            raise Invalid(f"{name}: {instant.isoformat()} has no time zone")
    if command.held_from and command.held_until and command.held_until <= command.held_from:
        raise Invalid("held_until: must be after held_from")
    return reason


def _name(batch: MeasurementBatchRow) -> str:
    return f"{batch.source}/{batch.batch_id}"


class Retention:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def place_hold(self, principal: Principal, command: PlaceHold) -> HoldView:
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            principal.require(Permission.MANAGE_AGREEMENTS)
            reason = _checked(command)
            hold = uow.compliance.add_hold(
                LegalHoldRow(
                    agreement_id=row.id,
                    reason=reason,
                    held_from=command.held_from,
                    held_until=command.held_until,
                    placed_by=principal.name,
                    placed_at=uow.now(),
                )
            )
            uow.audit("legal_hold.placed", "agreement", row.slug, after=_record(hold))
            uow.commit()
            return _view(uow, hold, row.slug)

    def release_hold(self, principal: Principal, slug: str, hold_id: int) -> HoldView:
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, slug)
            principal.require(Permission.MANAGE_AGREEMENTS)
            hold = uow.compliance.find_hold(row.id, hold_id)
            if hold is None:
                raise NotFound(f"agreement {slug!r} has no legal hold {hold_id}")
            if hold.released_at is not None:
                raise Conflict(f"legal hold {hold_id} was released at {hold.released_at}")
            before = _record(hold)
            hold.released_by, hold.released_at = principal.name, uow.now()
            uow.audit(
                "legal_hold.released", "agreement", row.slug, before=before, after=_record(hold)
            )
            uow.commit()
            return _view(uow, hold, row.slug)

    def holds(self, principal: Principal, slug: str) -> list[HoldView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            return [_view(uow, hold, row.slug) for hold in uow.compliance.holds(row.id)]

    def purge(self, principal: Principal, *, dry_run: bool = False) -> PurgeReport:
        """Apply every agreement's retention rules now (``dry_run``: only say what would go)."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        now = self._context.clock.now()
        with self._context.uow(principal) as uow:
            slugs = [row.slug for row in uow.agreements.all()]
        done = [self._purge_one(principal, slug, now, dry_run=dry_run) for slug in slugs]
        return PurgeReport(now, dry_run, [item for item in done if item is not None])

    def _purge_one(
        self, principal: Principal, slug: str, now: dt.datetime, *, dry_run: bool
    ) -> Purged | None:
        with self._context.uow(principal, write=not dry_run) as uow:
            row = get_agreement(uow, slug)
            if not dry_run:
                uow.serialise("agreement", slug)
            agreement = agreement_in_force(uow, row, now)
            if agreement is None:
                return None
            rules = {kind: cutoff(agreement, kind, now) for kind in _KINDS}
            if all(before is None for before in rules.values()):
                return None
            keep = Keeping.of(uow, row)
            batches, going = self._select(uow, row, rules[PERFORMANCE_DATA], keep)
            entries = _nothing_audited(rules[AUDIT_LOGS], uow, row, keep)
            evidence = _no_evidence(rules[EVIDENCE], uow, row, keep, self._context.data_dir)
            purged = _purged(batches, rules, entries, evidence)
            if dry_run:
                return purged
            files = self._remove_batches(uow, going, purged)
            self._remove_evidence(uow, evidence, purged)
            if entries.redacted:
                self._redact(uow, entries, purged)
            uow.commit()
        for path in [*files, *evidence.paths]:
            path.unlink(missing_ok=True)
        for folder in evidence.folders:
            shutil.rmtree(folder, ignore_errors=True)
        return purged

    def _remove_batches(
        self, uow: UnitOfWork, going: list[MeasurementBatchRow], purged: Purged
    ) -> list[Path]:
        files = []
        for batch in going:
            if batch.file_path is not None:
                files.append(self._context.data_dir / batch.file_path)
            uow.batches.remove(batch)
        if going:
            assert purged.cutoff is not None
            uow.audit(
                audit.PURGE_ACTION,
                "agreement",
                purged.agreement,
                after={
                    "data": PERFORMANCE_DATA,
                    "cutoff": purged.cutoff.isoformat(),
                    "batches": purged.removed,
                    "events": purged.events_removed,
                    "kept_by_legal_holds": purged.held,
                },
            )
        return files

    def _remove_evidence(self, uow: UnitOfWork, evidence: EvidencePurge, purged: Purged) -> None:
        if not evidence.removed:
            return
        assert purged.evidence_cutoff is not None
        for item in evidence.items:
            item.purged_at = uow.now()  # the record stays: the page says what removed it
        uow.audit(
            audit.PURGE_ACTION,
            "agreement",
            purged.agreement,
            after={
                "data": EVIDENCE,
                "cutoff": purged.evidence_cutoff.isoformat(),
                "files": evidence.removed,
                "kept_by_legal_holds": evidence.held,
            },
        )

    def _redact(self, uow: UnitOfWork, entries: AuditPurge, purged: Purged) -> None:
        assert purged.audit_cutoff is not None
        signer = self._context.signer
        audit.redact(
            uow.session,
            entries.redacted,
            audit.AuditRecord(
                actor=uow.principal.name,
                action=audit.PURGE_ACTION,
                entity="agreement",
                entity_id=purged.agreement,
                after={
                    "data": AUDIT_LOGS,
                    "cutoff": purged.audit_cutoff.isoformat(),
                    "entries": len(entries.redacted),
                    "kept_by_legal_holds": entries.kept_by_holds,
                    "kept_by_open_disputes": entries.kept_by_disputes,
                },
            ),
            (uow.now(), signer.sign if signer is not None else None),
        )

    def _select(
        self, uow: UnitOfWork, row: AgreementRow, before: dt.datetime | None, keep: Keeping
    ) -> tuple[Purged, list[MeasurementBatchRow]]:
        going: list[MeasurementBatchRow] = []
        kept: list[str] = []
        holds = [*keep.holds, *keep.dispute_spans]
        for batch in [] if before is None else uow.batches.ended_before(row.id, before):
            first = batch.first_at or batch.received_at
            last = batch.last_at or batch.received_at
            if held(holds, first, last):
                kept.append(_name(batch))
            else:
                going.append(batch)
        purged = Purged(
            agreement=row.slug,
            cutoff=before,
            removed=[_name(batch) for batch in going],
            events_removed=sum(batch.events_accepted for batch in going),
            held=kept,
        )
        return purged, going


_KINDS: Final = (PERFORMANCE_DATA, AUDIT_LOGS, EVIDENCE)


def _nothing_audited(
    before: dt.datetime | None, uow: UnitOfWork, row: AgreementRow, keep: Keeping
) -> AuditPurge:
    return AuditPurge() if before is None else audit_to_redact(uow, row, before, keep)


def _no_evidence(
    before: dt.datetime | None, uow: UnitOfWork, row: AgreementRow, keep: Keeping, data_dir: Path
) -> EvidencePurge:
    if before is None:
        return EvidencePurge()
    return evidence_to_remove(uow, row, before, keep, data_dir)


def _purged(
    batches: Purged,
    rules: dict[str, dt.datetime | None],
    entries: AuditPurge,
    evidence: EvidencePurge,
) -> Purged:
    return Purged(
        agreement=batches.agreement,
        cutoff=batches.cutoff,
        removed=batches.removed,
        events_removed=batches.events_removed,
        held=batches.held,
        audit_cutoff=rules[AUDIT_LOGS],
        audit_entries_removed=len(entries.redacted),
        audit_entries_kept_by_holds=entries.kept_by_holds,
        audit_entries_kept_by_disputes=entries.kept_by_disputes,
        evidence_cutoff=rules[EVIDENCE],
        evidence_removed=evidence.removed,
        evidence_held=evidence.held,
    )
