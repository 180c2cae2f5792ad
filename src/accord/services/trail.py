"""Reading, verifying and exporting the audit trail: for the company's admins and auditors.

The trail spans every tenant, so a partner organisation's auditor does not read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from accord.services.errors import Forbidden, Invalid
from accord.services.permissions import Permission, Principal
from accord.services.uow import ServiceContext
from accord.store import audit

__all__ = ["AuditCheck", "AuditFinding", "AuditTrail"]

MAX_PAGE: Final = 1000
_EXPORT_CHUNK: Final = 5000


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

    def verify(self, principal: Principal) -> AuditCheck:
        self._require(principal)
        with self._context.uow(principal) as uow:
            result = audit.verify(uow.session)
        return AuditCheck(
            entries=result.entries,
            head_seq=result.head_seq,
            head_hash=result.head_hash,
            findings=[AuditFinding(f.seq, f.kind.value, f.message) for f in result.findings],
        )

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
