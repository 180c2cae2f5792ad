"""Ingestion: pushed batches of measurements for an agreement's pushed sources.

A batch is authorised (the agreement must be visible; the principal's organisation must be
the party that supplies the source, when the source names one), held to the size limits,
checked and written by the batch writer (the engine's checks; duplicates by event id
dropped; one Parquet file, durable before anything is recorded), and only then recorded,
with its audit entry and its events' identity keys, in one transaction. A batch id already
recorded for the source changes nothing: the original receipt is returned. Only files with a
recorded batch are ever evaluated, so a crash between the file and the record loses nothing
acknowledged.

Duplicates are looked up in the index of identity keys (``batch_keys``), not in the earlier
batch files, so a push costs the same however many batches the source holds. The index is
written with the batch record, so it holds exactly the events acknowledged: a key written by
a push whose record failed can never shadow the retry. Batches recorded before the index, or
keyed under an identity the source has since changed, are indexed from their files by the
next push to the source (once), under the lock its pushes take.

What such a crash leaves behind (a batch file no batch names, a request body spooled to
disk) is removed by ``sweep`` once it has lain untouched for ``SWEEP_AFTER``; the worker
sweeps on every tick.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from accord.core.model.measurement import Source, SourceFormat
from accord.engine.sources import BadRowPolicy, DataError, row_identity
from accord.services.errors import Forbidden, Invalid, NotFound, TooLarge
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, get_version, parsed
from accord.services.ports import Signer, WrittenBatch
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.audit import canonical_json
from accord.store.tables import AgreementRow, MeasurementBatchRow

__all__ = [
    "SWEEP_AFTER",
    "BatchReceipt",
    "Ingestion",
    "IssueView",
    "PushBatch",
    "SweepReport",
    "identity_description",
    "pushed_sources",
    "signed_content",
]

_CHUNK: Final = 1 << 20
#: How long a leftover lies untouched before a sweep removes it: far longer than a request
#: body takes to arrive or a batch to be written and recorded.
SWEEP_AFTER: Final = dt.timedelta(hours=1)


@dataclass(frozen=True)
class SweepReport:
    """What a sweep removed."""

    spooled: int
    unrecorded: int

    def summary(self) -> str:
        return (
            f"removed {self.unrecorded} unrecorded batch file(s) and "
            f"{self.spooled} spooled request body(ies)"
        )


@dataclass(frozen=True, kw_only=True)
class PushBatch:
    agreement: str
    source: str
    batch_id: str
    #: Events keyed by the source's column names, or a JSON-lines, CSV or Parquet file of them.
    events: list[dict[str, object]] | Path
    #: Size of the request as received, held to the byte limit.
    size_bytes: int = 0
    policy: BadRowPolicy = BadRowPolicy.QUARANTINE


@dataclass(frozen=True)
class IssueView:
    reason: str
    count: int
    samples: list[str]


@dataclass(frozen=True)
class BatchReceipt:
    agreement: str
    source: str
    batch_id: str
    #: ``accepted`` the first time; ``already_received`` for a retried batch id.
    status: str
    received: int
    accepted: int
    duplicates: int
    rejected: int
    digest: str
    received_at: dt.datetime
    issues: list[IssueView]
    #: The service key's Ed25519 signature (base64) of ``signed_content(receipt)``, and the
    #: key's short name: a partner proves with the public key alone what was acknowledged.
    signature: str | None = None
    key_id: str | None = None


def signed_content(receipt: BatchReceipt) -> bytes:
    """What a receipt's signature covers: canonical JSON of the batch as recorded (not its
    status, which says whether this answer was the first)."""
    return canonical_json(
        {
            "agreement": receipt.agreement,
            "source": receipt.source,
            "batch_id": receipt.batch_id,
            "received": receipt.received,
            "accepted": receipt.accepted,
            "duplicates": receipt.duplicates,
            "rejected": receipt.rejected,
            "digest": receipt.digest,
            "received_at": receipt.received_at.astimezone(dt.UTC).isoformat(),
        }
    ).encode()


def identity_description(source: Source) -> str:
    """The source's row identity as the key index knows it (``name:type`` of each identity
    column): keys recorded under another description are recomputed before they count."""
    return ",".join(f"{name}:{source.columns[name].type.value}" for name in row_identity(source))


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            count += chunk.count(b"\n")
    return count


def _receipt(
    slug: str,
    row: MeasurementBatchRow,
    status: str,
    issues: list[IssueView],
    signer: Signer | None = None,
) -> BatchReceipt:
    receipt = BatchReceipt(
        agreement=slug,
        source=row.source,
        batch_id=row.batch_id,
        status=status,
        received=row.events_received,
        accepted=row.events_accepted,
        duplicates=row.events_duplicate,
        rejected=row.events_rejected,
        digest=row.digest,
        received_at=row.received_at,
        issues=issues,
    )
    if signer is None:
        return receipt
    signature = signer.sign(signed_content(receipt))
    return dataclasses.replace(receipt, signature=signature, key_id=signer.key_id)


class Ingestion:
    """Use cases on pushed measurements."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    @property
    def spool_dir(self) -> Path:
        """Where interfaces may stream a request body before handing it over as a file."""
        folder = self._context.data_dir / "incoming"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def push(self, principal: Principal, command: PushBatch) -> BatchReceipt:
        self._check_size(command)
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            principal.require(Permission.PUSH)
            source = self._source(uow, row, command.source)
            _check_supplier(uow, principal, row, source)
            uow.serialise("batch", row.id, source.id)
            stored = uow.batches.find(row.id, source.id, command.batch_id)
            if stored is not None:
                return _receipt(row.slug, stored, "already_received", [], self._context.signer)
            self._index_earlier(uow, row, source)
            written = self._write(uow, row, source, command)
            batch = uow.batches.add(
                MeasurementBatchRow(
                    agreement_id=row.id,
                    source=source.id,
                    batch_id=command.batch_id,
                    events_received=written.received,
                    events_accepted=written.accepted,
                    events_duplicate=written.duplicates,
                    events_rejected=written.rejected,
                    file_path=self._relative(written.path),
                    digest=written.digest or "",
                    first_at=written.first_at,
                    last_at=written.last_at,
                    received_at=uow.now(),
                    received_by=principal.name,
                    token_id=principal.token_id,
                )
            )
            if written.keys:
                uow.batches.add_keys(batch, written.keys, identity_description(source))
            issues = [IssueView(i.reason, i.count, list(i.samples)) for i in written.issues]
            receipt = _receipt(row.slug, batch, "accepted", issues, self._context.signer)
            uow.audit(
                "measurement_batch.accepted",
                "measurement_batch",
                f"{row.slug}/{source.id}/{command.batch_id}",
                after={**_receipt_record(receipt, batch.file_path), "token": batch.token_id},
            )
            uow.commit()
        return receipt

    def _check_size(self, command: PushBatch) -> None:
        limits = self._context.limits
        if command.size_bytes > limits.max_batch_bytes:
            raise TooLarge(
                f"the batch has {command.size_bytes:,} bytes; at most {limits.max_batch_bytes:,}"
            )
        events = command.events
        if isinstance(events, Path) and events.suffix == ".parquet":
            return  # binary: held to the byte limit above; its row count is the writer's
        count = _count_lines(events) if isinstance(events, Path) else len(events)
        if isinstance(events, Path) and events.suffix == ".csv":
            count -= 1  # the header
        if count > limits.max_batch_events:
            raise TooLarge(
                f"the batch has {count:,} events; at most {limits.max_batch_events:,} per batch"
            )

    def sources(self, principal: Principal, agreement: str) -> list[str]:
        """The pushed sources of the agreement the principal may push batches to."""
        with self._context.uow(principal) as uow:
            return pushed_sources(uow, get_agreement(uow, agreement))

    def _source(self, uow: UnitOfWork, row: AgreementRow, source_id: str) -> Source:
        agreement = parsed(get_version(uow, row, None))
        source = next((s for s in agreement.sources if s.id == source_id), None)
        if source is None:
            raise NotFound(f"agreement {row.slug!r} has no source {source_id!r}")
        if source.format is not SourceFormat.PUSH:
            raise Invalid(
                f"source {source_id!r} is read from {source.format.value} files, not pushed; "
                "declare it with format: push to send it to the service"
            )
        return source

    def _write(
        self, uow: UnitOfWork, row: AgreementRow, source: Source, command: PushBatch
    ) -> WrittenBatch:
        data_dir = self._context.data_dir

        def known(keys: Sequence[str]) -> set[str]:
            return uow.batches.known_keys(row.id, source.id, keys)

        try:
            return self._context.batch_writer(
                source=source,
                events=command.events,
                batch_dir=data_dir / "measurements" / row.slug / source.id,
                batch_id=command.batch_id,
                known=known,
                policy=command.policy,
                quarantine_dir=data_dir / "quarantine" / row.slug / source.id,
            )
        except DataError as exc:
            raise Invalid(str(exc)) from None
        except ValueError as exc:
            raise Invalid(str(exc)) from None

    def _index_earlier(self, uow: UnitOfWork, row: AgreementRow, source: Source) -> None:
        """Index the keys of the source's batches that are not indexed under its current
        identity (recorded before the index existed, or before the identity changed)."""
        if not row_identity(source):
            return
        identity = identity_description(source)
        for batch in uow.batches.unindexed(row.id, source.id, identity):
            assert batch.file_path is not None  # unindexed() returns batches with a file
            try:
                keys = self._context.batch_keys(source, self._context.data_dir / batch.file_path)
            except DataError as exc:
                raise Invalid(
                    f"batch {batch.batch_id!r} of source {source.id!r} cannot be indexed "
                    f"for duplicates: {exc}"
                ) from None
            uow.batches.remove_keys(batch)
            uow.batches.add_keys(batch, keys, identity)

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        return path.relative_to(self._context.data_dir).as_posix()

    def sweep(self, principal: Principal) -> SweepReport:
        """Remove what a crash left behind, once untouched for ``SWEEP_AFTER``: request
        bodies spooled to disk, and batch files that no recorded batch names (written before
        a commit that never came: never acknowledged, never evaluated). Each source's files
        are checked under the lock its pushes take, so a batch being recorded is never
        touched."""
        principal.require(Permission.ADMINISTER)
        cutoff = (self._context.clock.now() - SWEEP_AFTER).timestamp()
        spooled = sum(_remove_if_old(path, cutoff) for path in self.spool_dir.iterdir())
        unrecorded = 0
        root = self._context.data_dir / "measurements"
        for folder in sorted(root.glob("*/*")) if root.is_dir() else []:
            unrecorded += self._sweep_source(principal, folder, cutoff)
        return SweepReport(spooled=spooled, unrecorded=unrecorded)

    def _sweep_source(self, principal: Principal, folder: Path, cutoff: float) -> int:
        """Old batch files of one source folder (``<agreement>/<source>``) with no record."""
        candidates = [path for path in folder.glob("*.parquet") if _older(path, cutoff)]
        if not candidates:
            return 0
        with self._context.uow(principal, write=True) as uow:
            row = uow.agreements.find_by_slug(folder.parent.name)
            if row is None:
                return 0  # not this service's folder: leave it alone
            uow.serialise("batch", row.id, folder.name)
            named = set(uow.batches.files(row.id, folder.name))
            removed = sum(
                _remove_if_old(path, cutoff)
                for path in candidates
                if self._relative(path) not in named
            )
            uow.commit()
        return removed

    def batches(
        self, principal: Principal, agreement: str, source: str | None
    ) -> list[BatchReceipt]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            return [
                _receipt(row.slug, b, "accepted", [], self._context.signer)
                for b in uow.batches.all(row.id, source)
            ]


def _receipt_record(receipt: BatchReceipt, file_path: str | None) -> dict[str, object]:
    return {
        "received": receipt.received,
        "accepted": receipt.accepted,
        "duplicates": receipt.duplicates,
        "rejected": receipt.rejected,
        "digest": receipt.digest,
        "file": file_path,
    }


def _older(path: Path, cutoff: float) -> bool:
    try:
        return path.is_file() and path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _remove_if_old(path: Path, cutoff: float) -> int:
    """1 when ``path`` was a file last changed before ``cutoff`` and is now removed."""
    if not _older(path, cutoff):
        return 0
    path.unlink(missing_ok=True)
    return 1


def pushed_sources(uow: UnitOfWork, row: AgreementRow) -> list[str]:
    """``Ingestion.sources`` inside a unit of work the caller opened (the agreement page's)."""
    principal = uow.principal
    if not principal.can(Permission.PUSH):
        return []
    found = []
    for source in parsed(get_version(uow, row, None)).sources:
        if source.format is not SourceFormat.PUSH:
            continue
        try:
            _check_supplier(uow, principal, row, source)
        except Forbidden:
            continue
        found.append(source.id)
    return found


def _check_supplier(
    uow: UnitOfWork, principal: Principal, row: AgreementRow, source: Source
) -> None:
    if source.owner is None or principal.organisation_id is None:
        return
    mine = sorted(
        party
        for party, organisation in uow.agreements.parties(row.id).items()
        if organisation == principal.organisation_id
    )
    if source.owner not in mine:
        yours = f"party {', '.join(mine)}" if mine else "not a party"
        raise Forbidden(
            f"source {source.id!r} is supplied by party {source.owner!r}; "
            f"your organisation is {yours}"
        )
