"""Retention of what Accord records about an agreement (issue 12 §5): the content of its
audit entries (``audit_logs``) and the files submitted to its disputes (``evidence``), and
what keeps data past its rule: a legal hold, or an open dispute.

An audit entry is the agreement's when it names the agreement (entity ``agreement``, or
``agreement`` in its change), one of its measurement batches, or one of its obligations,
disputes, amendments or incidents. Entries that seal a record Accord still keeps (credit
ledger rows, verdicts, batch digests) are never redacted: they are that record's proof; nor
is a purge entry, which vouches for what it redacted. Entries of users, sessions, tokens and
organisations belong to no agreement and no agreement's rule removes them.

An open dispute keeps the window it challenges (its batches, its entries) and everything of
itself; a legal hold keeps what has an instant inside its span.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from accord.core.retention import Hold, held
from accord.services.disputes import evidence_path
from accord.services.uow import UnitOfWork
from accord.store import audit
from accord.store.governance_rows import DisputeEvidenceRow
from accord.store.tables import AgreementRow, AuditEntryRow

__all__ = ["AuditPurge", "EvidencePurge", "Keeping", "audit_to_redact", "evidence_to_remove"]

_OPEN: Final = "open"
#: Keys of an entry's change that make it the seal of a record Accord keeps.
_SEAL_KEYS: Final = ("digest", "verdicts", "file")


@dataclass(frozen=True)
class Keeping:
    """What keeps an agreement's data past its retention rule."""

    holds: tuple[Hold, ...]
    #: Ids (as text) of the agreement's open disputes.
    open_disputes: frozenset[str]
    #: Window labels the open disputes challenge.
    open_windows: frozenset[str]
    #: The spans of those windows, kept like a legal hold keeps its span.
    dispute_spans: tuple[Hold, ...]

    @classmethod
    def of(cls, uow: UnitOfWork, row: AgreementRow) -> Keeping:
        holds = tuple(
            Hold(hold.held_from, hold.held_until)
            for hold in uow.compliance.holds(row.id, active_only=True)
        )
        disputes = [dispute for dispute, _ in uow.disputes.matching(agreement_id=row.id)]
        open_ = [dispute for dispute in disputes if dispute.state == _OPEN]
        spans = []
        for dispute in open_:
            span = uow.verdicts.window_span(row.id, dispute.window_label)
            # A window with no verdict to date it: the dispute keeps all of the agreement.
            spans.append(Hold(None, None) if span is None else Hold(*span))
        return cls(
            holds=holds,
            open_disputes=frozenset(str(dispute.id) for dispute in open_),
            open_windows=frozenset(dispute.window_label for dispute in open_),
            dispute_spans=tuple(spans),
        )


@dataclass(frozen=True)
class AuditPurge:
    #: Entry numbers whose content goes.
    redacted: list[int] = field(default_factory=list)
    kept_by_holds: int = 0
    kept_by_disputes: int = 0


@dataclass(frozen=True)
class EvidencePurge:
    #: ``dispute N: file`` of each file that goes, and its path.
    removed: list[str] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    #: The checked rows kept beside data evidence (folders), removed with it.
    folders: list[Path] = field(default_factory=list)
    #: The evidence records whose file goes: marked ``purged_at``, kept.
    items: list[DisputeEvidenceRow] = field(default_factory=list)
    #: ``dispute N: file`` of each file past the rule that a legal hold keeps.
    held: list[str] = field(default_factory=list)


def _change(entry: AuditEntryRow) -> Any:
    return None if entry.after is None else json.loads(entry.after)


def _of_agreement(
    entry: AuditEntryRow, change: Any, row: AgreementRow, owned: dict[str, set[str]]
) -> bool:
    if entry.entity == "agreement":
        return entry.entity_id == row.slug
    if entry.entity == "measurement_batch":
        return entry.entity_id.startswith(f"{row.slug}/")
    if entry.entity_id in owned.get(entry.entity, set()):
        return True
    return isinstance(change, dict) and change.get("agreement") == row.slug


def _seals(entry: AuditEntryRow, change: Any) -> bool:
    if entry.entity in {covered.entity for covered in audit.COVERED}:
        return True
    return isinstance(change, dict) and any(key in change for key in _SEAL_KEYS)


def _disputed(entry: AuditEntryRow, change: Any, keep: Keeping) -> bool:
    if entry.entity == "dispute" and entry.entity_id in keep.open_disputes:
        return True
    if not isinstance(change, dict):
        return False
    return (
        str(change.get("dispute")) in keep.open_disputes
        or change.get("window") in keep.open_windows
    )


def audit_to_redact(
    uow: UnitOfWork, row: AgreementRow, before: dt.datetime, keep: Keeping
) -> AuditPurge:
    """The agreement's audit entries written before ``before`` whose content may go."""
    owned = uow.compliance.owned(row.id)
    redacted: list[int] = []
    kept_by_holds = kept_by_disputes = 0
    for entry in audit.purgeable_before(uow.session, before):
        change = _change(entry)
        if not _of_agreement(entry, change, row, owned) or _seals(entry, change):
            continue
        if held(keep.holds, entry.at, entry.at):
            kept_by_holds += 1
        elif _disputed(entry, change, keep):
            kept_by_disputes += 1
        else:
            redacted.append(entry.seq)
    return AuditPurge(redacted, kept_by_holds, kept_by_disputes)


def evidence_to_remove(
    uow: UnitOfWork, row: AgreementRow, before: dt.datetime, keep: Keeping, data_dir: Path
) -> EvidencePurge:
    """The files (and data) of the agreement's disputes decided before ``before`` that are
    still stored; an open dispute's files stay, and so do those of a dispute a legal hold
    covers."""
    purge = EvidencePurge()
    for dispute, item in uow.compliance.dispute_files(row.id):
        if dispute.state == _OPEN or dispute.decided_at is None or dispute.decided_at >= before:
            continue
        stored = f"{item.sha256}-{item.reference}"
        path = evidence_path(data_dir, dispute, stored)
        if item.purged_at is not None or not path.exists():
            continue  # purged before
        name = f"dispute {dispute.id}: {item.reference}"
        if held(keep.holds, dispute.raised_at, dispute.decided_at):
            purge.held.append(name)
        else:
            purge.removed.append(name)
            purge.paths.append(path)
            purge.items.append(item)
            if item.kind == "data":
                purge.folders.append(evidence_path(data_dir, dispute, f"{stored}.checked"))
    return purge
