"""Reading, verifying, anchoring and exporting the audit trail: for the company's admins and
auditors.

The trail spans every tenant, so a partner organisation's auditor does not read it.
Verifying walks the hash chain, checks each entry's signature by the service's key, and
re-reads every stored batch file against the digest recorded when it was received. A
checkpoint (``anchor``) is the chain's head signed by the same key, written by the operator
(or the worker) somewhere outside the database; verifying against one catches what the chain
alone cannot: the newest entries deleted, or all of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.permissions import Permission, Principal
from accord.services.recording import verdict_seal
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store import audit

__all__ = [
    "CHECKPOINT_FORMAT",
    "MAX_PAGE",
    "AuditCheck",
    "AuditFinding",
    "AuditTrail",
    "SigningKey",
]

MAX_PAGE: Final = 1000
_EXPORT_CHUNK: Final = 5000
_READ_CHUNK: Final = 1 << 20
CHECKPOINT_FORMAT: Final = "accord.checkpoint/v1"


@dataclass(frozen=True)
class AuditFinding:
    seq: int
    kind: str
    message: str


@dataclass(frozen=True)
class AuditCheck:
    """The trail verified: how many entries, its head, and every finding."""

    entries: int
    head_seq: int
    head_hash: str
    findings: list[AuditFinding]

    @property
    def ok(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class SigningKey:
    """The public half of the service's signing key: it checks audit entries, checkpoints
    and push receipts."""

    key_id: str
    public_key: str


class AuditTrail:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def _require(self, principal: Principal) -> None:
        principal.require(Permission.AUDIT)
        if not principal.company:
            raise Forbidden("the audit trail is read by the company's admins and auditors")

    def entries(
        self, principal: Principal, *, after_seq: int = 0, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Entries after ``after_seq`` in chain order, as exported."""
        self._require(principal)
        if not 1 <= limit <= MAX_PAGE:
            raise Invalid(f"limit must be between 1 and {MAX_PAGE}")
        with self._context.uow(principal) as uow:
            rows = audit.entries(uow.session, after_seq=after_seq, limit=limit)
            return [audit.entry_json(row) for row in rows]

    def verify(
        self, principal: Principal, checkpoint: Mapping[str, Any] | None = None
    ) -> AuditCheck:
        """The chain, its signatures and the batch files; against ``checkpoint`` too."""
        self._require(principal)
        signer = self._context.signer
        with self._context.uow(principal) as uow:
            result = audit.verify(uow.session, signer.verify if signer is not None else None)
            files = [
                (row.batch_id, row.file_path, row.digest)
                for row in uow.batches.stored()
                if row.file_path is not None
            ]
            recorded = _recorded(audit.entries(uow.session))
            rows = _findings_of_rows(uow, recorded)
            anchored = (
                None
                if checkpoint is None
                else self._against(checkpoint, audit.hash_at(uow.session, _seq(checkpoint)))
            )
        findings = [AuditFinding(f.seq, f.kind.value, f.message) for f in result.findings]
        findings += rows
        findings += self._batch_files(files)
        if anchored is not None:
            findings += anchored
        return AuditCheck(
            entries=result.entries,
            head_seq=result.head_seq,
            head_hash=result.head_hash,
            findings=findings,
        )

    def signing_key(self, principal: Principal) -> SigningKey:
        """The public key, for anyone signed in (a partner checks its receipts with it)."""
        del principal  # any principal: the key is public
        signer = self._context.signer
        if signer is None:
            raise NotFound("no signing key is configured")
        return SigningKey(signer.key_id, signer.public_key_pem)

    def anchor(self, principal: Principal) -> dict[str, Any]:
        """A checkpoint: the chain's head, signed by the service's key (keep it elsewhere)."""
        self._require(principal)
        signer = self._context.signer
        if signer is None:
            raise Invalid("no signing key is configured: checkpoints cannot be signed")
        with self._context.uow(principal) as uow:
            head = audit.verify(uow.session)
        body = {
            "format": CHECKPOINT_FORMAT,
            "head_seq": head.head_seq,
            "head_hash": head.head_hash,
            "entries": head.entries,
            "at": self._context.clock.now().isoformat(),
            "key_id": signer.key_id,
            "public_key": signer.public_key_pem,
        }
        return {**body, "signature": signer.sign(audit.canonical_json(body).encode())}

    def write_checkpoint(self, principal: Principal, folder: Path) -> Path:
        """A checkpoint written to ``folder`` as ``checkpoint-<seq>-<instant>.json``."""
        checkpoint = self.anchor(principal)
        stamp = self._context.clock.now().strftime("%Y%m%dT%H%M%SZ")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"checkpoint-{checkpoint['head_seq']:08d}-{stamp}.json"
        path.write_text(json.dumps(checkpoint, indent=2) + "\n", encoding="utf-8")
        return path

    def _against(
        self, checkpoint: Mapping[str, Any], stored_hash: str | None
    ) -> list[AuditFinding]:
        """What the trail lost or changed since ``checkpoint`` (whose signature is checked)."""
        signer = self._context.signer
        body = {key: value for key, value in checkpoint.items() if key != "signature"}
        seq = _seq(checkpoint)
        if (
            signer is None
            or checkpoint.get("format") != CHECKPOINT_FORMAT
            or checkpoint.get("key_id") != signer.key_id
            or not signer.verify(
                audit.canonical_json(body).encode(), str(checkpoint.get("signature", ""))
            )
        ):
            return [
                AuditFinding(
                    seq,
                    "checkpoint",
                    "the checkpoint is not signed by this service's key: it cannot vouch for "
                    "the trail",
                )
            ]
        if stored_hash is None:
            return [
                AuditFinding(
                    seq,
                    audit.FindingKind.DELETED.value,
                    f"entry {seq}, the head at the checkpoint of {checkpoint.get('at')}, is gone: "
                    "the newest entries were deleted since",
                )
            ]
        if stored_hash != checkpoint.get("head_hash"):
            return [
                AuditFinding(
                    seq,
                    audit.FindingKind.EDITED.value,
                    f"entry {seq} is not the one checkpointed at {checkpoint.get('at')}: the "
                    "trail was rewritten up to it",
                )
            ]
        return []

    def _batch_files(self, files: list[tuple[str, str, str]]) -> list[AuditFinding]:
        findings = []
        for batch_id, relative, digest in files:
            path = self._context.data_dir / relative
            actual = _file_digest(path)
            if actual != digest:
                what = "is missing" if actual is None else "no longer matches its digest"
                findings.append(
                    AuditFinding(0, "batch-file", f"batch {batch_id!r}: the file {relative} {what}")
                )
        return findings

    def export(self, principal: Principal) -> Iterator[dict[str, Any]]:
        """Every entry, in order, read in chunks (for JSON lines)."""
        self._require(principal)
        after = 0
        while True:
            with self._context.uow(principal) as uow:
                rows = audit.entries(uow.session, after_seq=after, limit=_EXPORT_CHUNK)
                chunk = [audit.entry_json(row) for row in rows]
            yield from chunk
            if len(chunk) < _EXPORT_CHUNK:
                return
            after = int(chunk[-1]["seq"])


def _seq(checkpoint: Mapping[str, Any]) -> int:
    seq = checkpoint.get("head_seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise Invalid("the checkpoint has no head_seq: is it a checkpoint of accord audit anchor?")
    return seq


def _file_digest(path: Path) -> str | None:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_READ_CHUNK):
                sha.update(chunk)
    except OSError:
        return None
    return sha.hexdigest()


@dataclass(frozen=True)
class _Recorded:
    """What the trail says was recorded: verdict seals and batch file digests."""

    seals: dict[int, tuple[int, str]]  # verdict id → (audit seq, seal)
    digests: dict[str, tuple[int, str]]  # batch file → (audit seq, digest)


def _recorded(entries: list[Any]) -> _Recorded:
    seals: dict[int, tuple[int, str]] = {}
    digests: dict[str, tuple[int, str]] = {}
    for entry in entries:
        if entry.action not in ("evaluation.recorded", "measurement_batch.accepted"):
            continue
        after = json.loads(entry.after) if entry.after else {}
        if not isinstance(after, dict):
            continue
        for verdict_id, seal in (after.get("verdicts") or {}).items():
            seals[int(verdict_id)] = (entry.seq, str(seal))
        if after.get("file"):
            digests[str(after["file"])] = (entry.seq, str(after.get("digest")))
    return _Recorded(seals, digests)


def _findings_of_rows(uow: UnitOfWork, recorded: _Recorded) -> list[AuditFinding]:
    """Verdict and batch rows that differ from what their (signed) audit entries recorded."""
    findings = []
    rows = uow.verdicts.by_ids(sorted(recorded.seals))
    for verdict_id, (seq, seal) in sorted(recorded.seals.items()):
        row = rows.get(verdict_id)
        if row is None:
            findings.append(AuditFinding(seq, "verdict", f"verdict {verdict_id} was deleted"))
        elif verdict_seal(row) != seal:
            findings.append(
                AuditFinding(
                    seq, "verdict", f"verdict {verdict_id} was edited after it was recorded"
                )
            )
    for batch in uow.batches.stored():
        seq, digest = recorded.digests.get(str(batch.file_path), (0, batch.digest))
        if batch.digest != digest:
            findings.append(
                AuditFinding(
                    seq,
                    "batch",
                    f"batch {batch.batch_id!r}: its recorded digest was changed after it arrived",
                )
            )
    return findings
