"""The audit trail: a hash chain of entries, appended in the transaction of the change.

Each entry's hash is ``sha256(prev_hash + canonical JSON of {seq, at, actor, action, entity,
entity_id, before, after})``, the first entry's ``prev_hash`` being 64 zeros. ``verify`` walks
the chain and names the first entry that was edited, deleted, inserted or moved. A chain has
no secret: whoever can write the database can recompute every hash after a change. So each
entry also carries the service key's signature of its hash (``sign``; the key lives outside
the database), which an edit, a re-hashed rewrite or a forged append cannot reproduce; and
the head is anchored outside the database by signed checkpoints (``services.trail``), which
catch the deletion of the newest entries, down to all of them.

The chain is general: any change recorded through ``append`` (users, tokens, verdicts,
batches with their file digests, credit-ledger entries) is covered the same way.

Retention (``redact``): the agreement's ``audit_logs`` rule removes the content of its old
entries, never their place in the chain. A redacted entry keeps its number, instant, links
(``prev_hash``, ``hash``) and signature, and loses actor, action, entity and change (its
``action`` becomes ``redacted``); the purge appends one signed entry (``retention.purged``)
naming the numbers it redacted (``after.redacted``: ranges). ``verify`` accepts a redacted
entry only when a later, intact purge entry names it, so the links, the signatures and every
checkpoint still verify, while an entry emptied by hand is still an edit. (The trail is one
chain over every agreement, so a purge of one agreement's entries cannot cut a prefix off.)

The chain also covers rows of other tables (``COVERED``: the credit ledger and its
lifecycle): each such row, when added, is **sealed** by an entry naming it (entity and id)
with the digest of all its columns (``seal``). ``verify`` then checks every covered row
against its seal: a row edited, deleted or inserted (with no seal) in the database is a
finding that names it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from accord.store.tables import (
    SEALED_WHEN_SET,
    AuditEntryRow,
    Base,
    CreditClaimRow,
    CreditEntryRow,
)

__all__ = [
    "COVERED",
    "GENESIS",
    "PURGE_ACTION",
    "REDACTED",
    "AuditRecord",
    "Covered",
    "Finding",
    "FindingKind",
    "Sign",
    "SignatureCheck",
    "Verification",
    "append",
    "canonical_json",
    "count",
    "entries",
    "entry_hash",
    "entry_json",
    "hash_at",
    "purgeable_before",
    "ranges",
    "redact",
    "row_content",
    "seal",
    "verify",
]

GENESIS: Final = "0" * 64
#: The action of an entry whose content a retention purge removed.
REDACTED: Final = "redacted"
#: The action of the entry that records a purge (``after.redacted``: the ranges it redacted).
PURGE_ACTION: Final = "retention.purged"
#: Serialises appends on PostgreSQL (SQLite writers are serialised by BEGIN IMMEDIATE).
_LOCK_KEY: Final = 0x61636364  # "accd"


#: Signs an entry's hash (bytes) with the service's key; the signature as base64 text.
Sign = Callable[[bytes], str]
#: Whether a signature (base64) is the service key's signature of the bytes.
SignatureCheck = Callable[[bytes, str], bool]


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class AuditRecord:
    """What changed: who, what (action, entity, id), and the entity before and after."""

    actor: str
    action: str
    entity: str
    entity_id: str
    before: Any = None
    after: Any = None


def _payload(row: AuditEntryRow) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at.astimezone(dt.UTC).isoformat(),
        "actor": row.actor,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "before": None if row.before is None else json.loads(row.before),
        "after": None if row.after is None else json.loads(row.after),
    }


@dataclass(frozen=True)
class Covered:
    """A table whose rows the chain covers, and the entity name its seals carry."""

    table: type[Base]
    entity: str


#: The tables whose rows are sealed when added (money and judgement).
COVERED: Final = (
    Covered(CreditEntryRow, "credit_entry"),
    Covered(CreditClaimRow, "credit_claim"),
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)  # Decimal (exact text), enums


def row_content(row: Base) -> dict[str, Any]:
    """Every column of a row as plain JSON values (decimals as exact text); a column sealed
    only when set (``SEALED_WHEN_SET``) is left out while it holds nothing."""
    return {
        column.key: _plain(value)
        for column in row.__table__.columns
        if (value := getattr(row, column.key)) is not None
        or not column.info.get(SEALED_WHEN_SET, False)
    }


def _digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def seal(
    session: Session,
    covered: Covered,
    row: Base,
    record: AuditRecord,
    at: tuple[dt.datetime, Sign | None],
) -> AuditEntryRow:
    """Append the entry that seals a newly added (flushed) row of a covered table:
    ``record``'s actor and action, the row's entity and id, its columns and their digest."""
    content = row_content(row)
    sealed = AuditRecord(
        actor=record.actor,
        action=record.action,
        entity=covered.entity,
        entity_id=str(content["id"]),
        before=record.before,
        after={"row": content, "digest": _digest(content), **(record.after or {})},
    )
    return append(session, sealed, at[0], at[1])


def entry_hash(prev_hash: str, row: AuditEntryRow) -> str:
    """The hash an entry must carry, from its content and its predecessor's hash."""
    return hashlib.sha256((prev_hash + canonical_json(_payload(row))).encode()).hexdigest()


def entry_json(row: AuditEntryRow) -> dict[str, Any]:
    """An entry as exported: its hashed content plus ``prev_hash`` and ``hash``."""
    return {
        **_payload(row),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
        "signature": row.signature,
    }


def append(
    session: Session, record: AuditRecord, at: dt.datetime, sign: Sign | None = None
) -> AuditEntryRow:
    """Append an entry in the session's transaction (committed with the change, or not at
    all), signed by ``sign`` when given."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = session.execute(
        select(AuditEntryRow.seq, AuditEntryRow.hash).order_by(AuditEntryRow.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    row = AuditEntryRow(
        seq=seq,
        at=at.astimezone(dt.UTC),
        actor=record.actor,
        action=record.action,
        entity=record.entity,
        entity_id=record.entity_id,
        before=None if record.before is None else canonical_json(record.before),
        after=None if record.after is None else canonical_json(record.after),
        prev_hash=prev_hash,
        hash="",
    )
    row.hash = entry_hash(prev_hash, row)
    row.signature = sign(row.hash.encode()) if sign is not None else None
    session.add(row)
    session.flush()
    return row


def entries(
    session: Session, *, after_seq: int = 0, limit: int | None = None
) -> list[AuditEntryRow]:
    """Entries in chain order, from just after ``after_seq``."""
    query = select(AuditEntryRow).where(AuditEntryRow.seq > after_seq).order_by(AuditEntryRow.seq)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def purgeable_before(session: Session, before: dt.datetime) -> list[AuditEntryRow]:
    """Entries written before ``before`` whose content a purge may still remove (neither
    redacted already nor a purge entry, which vouches for the entries it redacted)."""
    query = (
        select(AuditEntryRow)
        .where(
            AuditEntryRow.at < before,
            AuditEntryRow.action.not_in((REDACTED, PURGE_ACTION)),
        )
        .order_by(AuditEntryRow.seq)
    )
    return list(session.scalars(query))


def hash_at(session: Session, seq: int) -> str | None:
    """The stored hash of entry ``seq`` (``GENESIS`` for 0), or None when there is none."""
    if seq == 0:
        return GENESIS
    found = session.scalar(select(AuditEntryRow.hash).where(AuditEntryRow.seq == seq))
    return None if found is None else str(found)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)


def ranges(seqs: Sequence[int]) -> list[list[int]]:
    """Entry numbers as closed ranges, ``[[1, 3], [7, 7]]`` for 1, 2, 3, 7."""
    spans: list[list[int]] = []
    for seq in sorted(set(seqs)):
        if spans and spans[-1][1] == seq - 1:
            spans[-1][1] = seq
        else:
            spans.append([seq, seq])
    return spans


def redact(
    session: Session,
    seqs: Sequence[int],
    record: AuditRecord,
    at: tuple[dt.datetime, Sign | None],
) -> AuditEntryRow:
    """Remove the content of entries ``seqs`` (their links and signatures stay) and append
    ``record`` naming them (``after.redacted``), in the session's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    for row in session.scalars(select(AuditEntryRow).where(AuditEntryRow.seq.in_(seqs))):
        row.actor, row.action, row.entity, row.entity_id = "", REDACTED, "", ""
        row.before = row.after = None
    named = AuditRecord(
        actor=record.actor,
        action=PURGE_ACTION,
        entity=record.entity,
        entity_id=record.entity_id,
        before=record.before,
        after={**(record.after or {}), "redacted": ranges(seqs)},
    )
    return append(session, named, at[0], at[1])


class FindingKind(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    FORGED = "forged"


@dataclass(frozen=True)
class Finding:
    """One place where the chain is not what was written: which entry, and how."""

    seq: int
    kind: FindingKind
    message: str


@dataclass(frozen=True)
class Verification:
    """The outcome of walking the chain."""

    entries: int
    head_seq: int
    head_hash: str
    findings: tuple[Finding, ...]
    #: Entries after a broken link cannot be checked against their predecessors.
    stopped_at: int | None = None

    @property
    def ok(self) -> bool:
        return not self.findings


def verify(
    session: Session,
    check: SignatureCheck | None = None,
    covered: Sequence[Covered] = COVERED,
) -> Verification:
    """Walk the whole chain: every content edit, and the first broken link, are findings;
    with ``check``, so is every entry whose signature is not the service key's (an entry
    without one is accepted only before the first signed entry: written before signing);
    and so is every covered row that does not match its seal."""
    rows = entries(session)
    findings: list[Finding] = [] if check is None else list(_forged(rows, check))
    stopped_at = None
    for finding, stop in _walk(rows, _redacted(rows)):
        findings.append(finding)
        if stop:
            stopped_at = finding.seq
            break
    for table in covered:
        findings.extend(_check_rows(session, table, rows))
    head = rows[-1] if rows else None
    return Verification(
        entries=len(rows),
        head_seq=head.seq if head else 0,
        head_hash=head.hash if head else GENESIS,
        findings=tuple(findings),
        stopped_at=stopped_at,
    )


def _forged(rows: Sequence[AuditEntryRow], check: SignatureCheck) -> Iterator[Finding]:
    signed = False
    for row in rows:
        if row.signature is None and not signed:
            continue
        signed = True
        if row.signature is None or not check(row.hash.encode(), row.signature):
            yield Finding(
                row.seq,
                FindingKind.FORGED,
                f"entry {row.seq} does not carry the service key's signature: it was "
                "written, or re-hashed, by someone without the key",
            )


def _redacted(rows: Sequence[AuditEntryRow]) -> set[int]:
    """The entry numbers an intact purge entry redacted (each before the purge entry)."""
    named: set[int] = set()
    for row in rows:
        if row.action != PURGE_ACTION or row.after is None:
            continue
        if entry_hash(row.prev_hash, row) != row.hash:
            continue  # an edited purge entry vouches for nothing
        after = json.loads(row.after)
        spans = after.get("redacted") if isinstance(after, dict) else None
        for first, last in spans or []:
            named.update(range(int(first), min(int(last), row.seq - 1) + 1))
    return named


def _walk(rows: Sequence[AuditEntryRow], redacted: set[int]) -> Iterator[tuple[Finding, bool]]:
    position = {row.hash: index for index, row in enumerate(rows)}
    for index, row in enumerate(rows):
        previous = rows[index - 1] if index else None
        expected_prev = previous.hash if previous else GENESIS
        content_ok = entry_hash(row.prev_hash, row) == row.hash or (
            row.action == REDACTED and row.seq in redacted
        )
        if row.prev_hash == expected_prev:
            if not content_ok:
                yield _edited(row.seq), False
            continue
        yield _broken_link(rows, index, position, content_ok), True


def _edited(seq: int) -> Finding:
    return Finding(
        seq, FindingKind.EDITED, f"entry {seq} was edited: it no longer matches its hash"
    )


def _broken_link(
    rows: Sequence[AuditEntryRow], index: int, position: dict[str, int], content_ok: bool
) -> Finding:
    """Why entry ``index`` does not follow its predecessor, judged from what it links to."""
    row = rows[index]
    previous = rows[index - 1] if index else None
    expected_seq = previous.seq + 1 if previous else 1
    linked = position.get(row.prev_hash)
    if linked is not None and linked > index:
        return Finding(
            row.seq,
            FindingKind.REORDERED,
            f"entry {row.seq} is out of order: it was written after entry {rows[linked].seq}",
        )
    if linked is not None:
        first = rows[linked + 1]
        return Finding(
            first.seq,
            FindingKind.INSERTED,
            f"entry {first.seq} was inserted: entry {row.seq} was written right after "
            f"entry {rows[linked].seq}",
        )
    if row.seq > expected_seq:
        missing = (
            f"{expected_seq}" if row.seq == expected_seq + 1 else f"{expected_seq}–{row.seq - 1}"
        )
        return Finding(
            expected_seq,
            FindingKind.DELETED,
            f"entry {missing} was deleted: entry {row.seq} follows "
            + (f"entry {expected_seq - 1}" if previous else "the start of the trail"),
        )
    return _unlinked(rows, index, content_ok)


def _unlinked(rows: Sequence[AuditEntryRow], index: int, content_ok: bool) -> Finding:
    """Entry ``index`` links to no entry in the log, and no number is missing."""
    row = rows[index]
    previous = rows[index - 1] if index else None
    expected_prev = previous.hash if previous else GENESIS
    following = rows[index + 1] if index + 1 < len(rows) else None
    if following is None or following.prev_hash == expected_prev:
        return Finding(
            row.seq, FindingKind.INSERTED, f"entry {row.seq} was inserted: it links to no entry"
        )
    if content_ok and previous is not None:
        return Finding(
            previous.seq,
            FindingKind.EDITED,
            f"entry {previous.seq} was edited and re-hashed: entry {row.seq} no longer links to it",
        )
    return Finding(
        row.seq,
        FindingKind.DELETED,
        f"an entry before entry {row.seq} was deleted and the entries after it renumbered",
    )


def _check_rows(
    session: Session, covered: Covered, trail: Sequence[AuditEntryRow]
) -> Iterator[Finding]:
    """Each covered row against the seal the trail holds for it."""
    seals: dict[str, tuple[int, str]] = {}
    for entry in trail:
        if entry.entity == covered.entity and entry.after is not None:
            digest = json.loads(entry.after).get("digest")
            if digest is not None:
                seals[entry.entity_id] = (entry.seq, str(digest))
    name = covered.entity.replace("_", " ")
    present: set[str] = set()
    for row in session.scalars(select(covered.table)):
        content = row_content(row)
        key = str(content["id"])
        present.add(key)
        found = seals.get(key)
        if found is None:
            yield Finding(
                0, FindingKind.INSERTED, f"{name} {key} was inserted: no audit entry sealed it"
            )
        elif found[1] != _digest(content):
            yield Finding(
                found[0],
                FindingKind.EDITED,
                f"{name} {key} was edited: it no longer matches its seal in entry {found[0]}",
            )
    for key, (seq, _) in sorted(seals.items(), key=lambda item: item[1][0]):
        if key not in present:
            yield Finding(
                seq, FindingKind.DELETED, f"{name} {key} was deleted: entry {seq} sealed it"
            )
