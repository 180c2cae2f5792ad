"""Recording an evaluation: the core's history rules (``accord.core.history``) applied to
what the store holds. Verdicts and credit entries are appended, never overwritten; each
verdict row's evidence column holds its record (``accord.verdicts/v2``) and explanation.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from accord.core.evaluation import Evaluation
from accord.core.history import (
    Change,
    CreditDifference,
    Previous,
    credit_differences,
    decide,
    judgement_digest,
)
from accord.core.records import FORMAT, RecordError, VerdictRecord
from accord.services.rendering import Rendering
from accord.services.uow import UnitOfWork
from accord.store.audit import canonical_json
from accord.store.tables import CreditEntryRow, EvaluationRunRow, VerdictRow

__all__ = [
    "Recorded",
    "VerdictRecorder",
    "evidence_json",
    "readable",
    "scope_key",
    "stored_evidence",
    "stored_record",
    "verdict_seal",
]


def scope_key(scope: dict[str, str]) -> str:
    """A scope as sorted, compact JSON: ``{}`` for the whole agreement."""
    return canonical_json(scope)


@dataclass
class Recorded:
    """What one run added: new verdict rows (first or changed), unchanged ones, credit entries."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    credit_entries: list[dict[str, str]] = field(default_factory=list)
    #: Verdict row id → its seal (``verdict_seal``), written into the run's audit entry so
    #: that the signed trail vouches for every verdict row as recorded.
    seals: dict[str, str] = field(default_factory=dict)

    @property
    def changes_anything(self) -> bool:
        return bool(self.new or self.changed or self.credit_entries)

    def as_record(self) -> dict[str, object]:
        return {
            "verdicts_new": self.new,
            "verdicts_changed": self.changed,
            "verdicts_unchanged": self.unchanged,
            "credit_entries": self.credit_entries,
            "verdicts": self.seals,
        }


def verdict_seal(row: VerdictRow) -> str:
    """SHA-256 of a verdict row's content: what it judged, how, and what it supersedes."""
    content = {
        "agreement_id": row.agreement_id,
        "version_id": row.version_id,
        "run_id": row.run_id,
        "objective": row.objective,
        "scope_key": row.scope_key,
        "window": row.window_label,
        "outcome": row.outcome,
        "value": None if row.value is None else str(row.value),
        "evidence": row.evidence,
        "digest": row.digest,
        "supersedes_id": row.supersedes_id,
    }
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def evidence_json(record: VerdictRecord, explanation: str) -> dict[str, Any]:
    """What a verdict row's evidence column holds: the record's serialisation, its format
    and its explanation."""
    return {"format": FORMAT, **record.to_json(), "explanation": explanation}


def stored_record(row: VerdictRow) -> VerdictRecord:
    """The record a verdict row holds, in whichever format it was stored."""
    return VerdictRecord.from_json(json.loads(row.evidence))


def stored_evidence(row: VerdictRow) -> tuple[str, dict[str, Any]]:
    """A verdict row's explanation and evidence, the evidence in the current format whatever
    format it was stored in (as stored when it no longer reads as a record)."""
    stored = json.loads(row.evidence)
    explanation = str(stored.pop("explanation", ""))
    try:
        return explanation, {"format": FORMAT, **VerdictRecord.from_json(stored).to_json()}
    except RecordError:
        return explanation, stored


def readable(row: VerdictRow) -> VerdictRecord | None:
    """The stored record, or ``None`` for evidence that no longer reads as one."""
    try:
        return stored_record(row)
    except (RecordError, ValueError):
        return None


class VerdictRecorder:
    """Appends a run's changed verdicts and credit differences, in the unit of work."""

    def __init__(self, uow: UnitOfWork, rendering: Rendering) -> None:
        self._uow = uow
        self._rendering = rendering

    def record(self, run: EvaluationRunRow, evaluation: Evaluation) -> Recorded:
        uow = self._uow
        recorded = Recorded()
        windows = sorted({v.window.label for v in evaluation.verdicts})
        current = uow.verdicts.current(run.agreement_id, windows)
        judged_as_of = uow.runs.judged_as_of(row.run_id for row in current.values())
        kept: set[str] = set()
        for verdict in evaluation.verdicts:
            now = evaluation.record(verdict)
            row = current.get((now.objective, scope_key(dict(now.scope)), now.window.label))
            previous = (
                None
                if row is None
                else Previous(readable(row), row.digest, judged_as_of[row.run_id])
            )
            decision = decide(previous, now, as_of=run.as_of, reason=run.reason)
            if decision.change is Change.KEPT:
                kept.add(now.window.label)
            if not decision.appends:
                recorded.unchanged += 1
                continue
            if decision.change is Change.NEW:
                recorded.new += 1
            else:
                recorded.changed += 1
            explanation = self._rendering.explain(evaluation.agreement, now)
            added = uow.verdicts.add(_row(run, now, explanation, row, decision.reason))
            recorded.seals[str(added.id)] = verdict_seal(added)
        balances = uow.credits.balances(run.agreement_id)
        booked = set(windows) - kept
        for difference in credit_differences(evaluation.credits, balances, booked, run.reason):
            self._book(run, difference, recorded)
        return recorded

    def _book(
        self, run: EvaluationRunRow, difference: CreditDifference, recorded: Recorded
    ) -> None:
        row = self._uow.credits.add(
            CreditEntryRow(
                agreement_id=run.agreement_id,
                run_id=run.id,
                scheme=difference.scheme,
                objective=difference.objective,
                scope_label=difference.scope,
                window_label=difference.window,
                tier=difference.tier,
                amount=difference.amount,
                currency=difference.currency,
                recorded_at=run.started_at,
                reason=difference.reason,
            )
        )
        recorded.credit_entries.append(
            {
                "scheme": difference.scheme,
                "window": difference.window,
                "amount": str(row.amount),
                "currency": difference.currency,
            }
        )


def _row(
    run: EvaluationRunRow,
    record: VerdictRecord,
    explanation: str,
    previous: VerdictRow | None,
    reason: str | None,
) -> VerdictRow:
    return VerdictRow(
        agreement_id=run.agreement_id,
        version_id=run.version_id,
        run_id=run.id,
        objective=record.objective,
        scope_key=scope_key(dict(record.scope)),
        scope_label=record.scope_label,
        window_label=record.window.label,
        window_start=record.window.start_at,
        window_end=record.window.end_at,
        outcome=record.outcome.value,
        value=record.value,
        evidence=json.dumps(evidence_json(record, explanation), sort_keys=True),
        digest=judgement_digest(record),
        recorded_at=run.started_at,
        supersedes_id=None if previous is None else previous.id,
        reason=reason,
    )
