"""Retention (issue 12 §5): legal holds, and the purge that applies each agreement's
retention rules to what Accord holds, leaving an audit record of what it removed.

The purge removes the measurement batches (their rows and Parquet files) whose latest event
is older than the agreement's ``performance_data`` retention period, except those an active
legal hold covers. Each agreement's purge is one transaction with one audit entry naming
every batch removed and every batch a hold kept; the files go after the commit, so a purge
that fails leaves everything in place. Disputes do not exist yet; when they do, what an open
dispute references must be kept here as a hold keeps it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from accord.core.retention import Hold, cutoff, held
from accord.services.actors import shown_actor
from accord.services.errors import Conflict, Invalid, NotFound
from accord.services.in_force import agreement_in_force
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import AgreementRow, LegalHoldRow, MeasurementBatchRow

__all__ = ["HoldView", "PlaceHold", "PurgeReport", "Purged", "Retention"]

PERFORMANCE_DATA: Final = "performance_data"
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
    """What the purge did for one agreement."""

    agreement: str
    #: Batches whose latest event is before this may go.
    cutoff: dt.datetime
    #: ``source/batch id`` of each batch removed (or, in a dry run, to be removed).
    removed: list[str] = field(default_factory=list)
    events_removed: int = 0
    #: Batches past the cutoff that a legal hold keeps.
    held: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PurgeReport:
    at: dt.datetime
    dry_run: bool
    agreements: list[Purged]

    def summary(self) -> str:
        removed = sum(len(item.removed) for item in self.agreements)
        kept = sum(len(item.held) for item in self.agreements)
        verb = "would remove" if self.dry_run else "removed"
        return f"retention: {verb} {removed} batches; {kept} kept by legal holds"


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
        files: list[Path] = []
        with self._context.uow(principal, write=not dry_run) as uow:
            row = get_agreement(uow, slug)
            if not dry_run:
                uow.serialise("agreement", slug)
            agreement = agreement_in_force(uow, row, now)
            before = None if agreement is None else cutoff(agreement, PERFORMANCE_DATA, now)
            if before is None:
                return None
            purged, going = self._select(uow, row, before)
            if dry_run or not going:
                return purged
            for batch in going:
                if batch.file_path is not None:
                    files.append(self._context.data_dir / batch.file_path)
                uow.batches.remove(batch)
            uow.audit(
                "retention.purged",
                "agreement",
                slug,
                after={
                    "data": PERFORMANCE_DATA,
                    "cutoff": before.isoformat(),
                    "batches": purged.removed,
                    "events": purged.events_removed,
                    "kept_by_legal_holds": purged.held,
                },
            )
            uow.commit()
        for path in files:
            path.unlink(missing_ok=True)
        return purged

    def _select(
        self, uow: UnitOfWork, row: AgreementRow, before: dt.datetime
    ) -> tuple[Purged, list[MeasurementBatchRow]]:
        holds = [
            Hold(hold.held_from, hold.held_until)
            for hold in uow.compliance.holds(row.id, active_only=True)
        ]
        going: list[MeasurementBatchRow] = []
        kept: list[str] = []
        for batch in uow.batches.ended_before(row.id, before):
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
