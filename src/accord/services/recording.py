"""Recording an evaluation: verdicts and credits appended, never overwritten.

A verdict is recorded when it is new, or when its judgement changed since the verdict it then
``supersedes``: outcome, value, target, tolerance, counts, exclusions, credit, formula or
agreement version. Its evidence (coverage, budget, computation) is stored with it; a run
that finds the same judgement records nothing. The credit ledger holds, per scheme and
window, entries whose sum is what is owed: a run that finds a different amount appends the
difference, with the reason.

A verdict of a window still open at the run's as-of instant is provisional: it never
replaces one that a run judged as of a later instant (re-evaluating September must not take
the quarter or the week that runs on into October back to where it stood on 30 September).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from accord.core.evaluation import Evaluation, WindowCredit
from accord.core.records import FORMAT, RecordError, VerdictRecord
from accord.core.verdicts import Verdict
from accord.services.rendering import Rendering
from accord.services.uow import UnitOfWork
from accord.store.audit import canonical_json
from accord.store.tables import CreditEntryRow, EvaluationRunRow, VerdictRow

__all__ = [
    "Recorded",
    "evidence_json",
    "record",
    "scope_key",
    "stored_evidence",
    "stored_record",
]

#: Evidence fields whose change makes a new verdict; the rest is detail of the same one.
_JUDGEMENT: Final = (
    "outcome",
    "value",
    "target",
    "tolerance",
    "counts",
    "exclusions",
    "credit",
    "formula",
    "agreement_version",
)


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

    @property
    def changes_anything(self) -> bool:
        return bool(self.new or self.changed or self.credit_entries)

    def as_record(self) -> dict[str, object]:
        return {
            "verdicts_new": self.new,
            "verdicts_changed": self.changed,
            "verdicts_unchanged": self.unchanged,
            "credit_entries": self.credit_entries,
        }


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


def _digest(record: VerdictRecord) -> str:
    evidence = record.to_json()
    judged = {name: evidence[name] for name in _JUDGEMENT}
    return hashlib.sha256(canonical_json(judged).encode()).hexdigest()


def _judgement(record: VerdictRecord) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in _JUDGEMENT)


def _change(before: VerdictRecord, after: VerdictRecord) -> Iterator[str]:
    if before.outcome != after.outcome:
        yield f"outcome {before.outcome.value} → {after.outcome.value}"
    if before.value != after.value:
        yield f"value {before.value_display} → {after.value_display}"
    if before.agreement_version != after.agreement_version:
        old, new = before.agreement_version, after.agreement_version
        yield f"agreement version {old[:12]} → {new[:12]}"
    for name in ("target", "tolerance", "counts", "exclusions", "credit", "formula"):
        if getattr(before, name) != getattr(after, name):
            yield f"{name} changed"


def _reason(run_reason: str, before: VerdictRecord, after: VerdictRecord) -> str:
    return f"{run_reason}: {'; '.join(_change(before, after)) or 'evidence changed'}"


def _previous(row: VerdictRow) -> VerdictRecord | None:
    """The stored record, or ``None`` for evidence that no longer reads as one."""
    try:
        return stored_record(row)
    except (RecordError, ValueError):
        return None


def record(
    uow: UnitOfWork, run: EvaluationRunRow, evaluation: Evaluation, rendering: Rendering
) -> Recorded:
    """Append the run's changed verdicts and credit differences to the agreement's history."""
    recorded = Recorded()
    windows = sorted({v.window.label for v in evaluation.verdicts})
    current = uow.verdicts.current(run.agreement_id, windows)
    judged_as_of = uow.runs.judged_as_of(row.run_id for row in current.values())
    kept: set[str] = set()
    for verdict in evaluation.verdicts:
        key = (verdict.objective, scope_key(verdict.scope), verdict.window.label)
        previous = current.get(key)
        if previous is not None and _judged_later(run, verdict, judged_as_of[previous.run_id]):
            recorded.unchanged += 1
            kept.add(verdict.window.label)
            continue
        now = evaluation.record(verdict)
        before = None if previous is None else _previous(previous)
        if previous is not None and (
            previous.digest == _digest(now)
            or (before is not None and _judgement(before) == _judgement(now))
        ):
            recorded.unchanged += 1
            continue
        reason = None
        if previous is not None:
            reason = (
                _reason(run.reason, before, now)
                if before is not None
                else f"{run.reason}: evidence changed"
            )
            recorded.changed += 1
        else:
            recorded.new += 1
        evidence = evidence_json(now, rendering.explain(evaluation.agreement, now))
        uow.verdicts.add(_row(run, now, evidence, previous, reason))
    _record_credits(uow, run, evaluation.credits, set(windows) - kept, recorded)
    return recorded


def _judged_later(run: EvaluationRunRow, verdict: Verdict, previous_as_of: dt.datetime) -> bool:
    """Whether the verdict is provisional (its window runs on past the run's as-of instant)
    and the recorded one was judged as of a later instant."""
    return verdict.window.end_at > run.as_of and previous_as_of > run.as_of


def _row(
    run: EvaluationRunRow,
    verdict: VerdictRecord,
    evidence: dict[str, Any],
    previous: VerdictRow | None,
    reason: str | None,
) -> VerdictRow:
    return VerdictRow(
        agreement_id=run.agreement_id,
        version_id=run.version_id,
        run_id=run.id,
        objective=verdict.objective,
        scope_key=scope_key(dict(verdict.scope)),
        scope_label=verdict.scope_label,
        window_label=verdict.window.label,
        window_start=verdict.window.start_at,
        window_end=verdict.window.end_at,
        outcome=verdict.outcome.value,
        value=verdict.value,
        evidence=json.dumps(evidence, sort_keys=True),
        digest=_digest(verdict),
        recorded_at=run.started_at,
        supersedes_id=None if previous is None else previous.id,
        reason=reason,
    )


def _record_credits(
    uow: UnitOfWork,
    run: EvaluationRunRow,
    credits: list[WindowCredit],
    windows: set[str],
    recorded: Recorded,
) -> None:
    owed = {(c.credit.scheme, c.window): c for c in credits if c.window in windows}
    balances = uow.credits.balances(run.agreement_id)
    keys = set(owed) | {key for key in balances if key[1] in windows}
    for scheme, window in sorted(keys):
        now = owed.get((scheme, window))
        amount = now.credit.amount.amount if now else Decimal(0)
        before, currency = balances.get(
            (scheme, window), (Decimal(0), now.credit.amount.currency if now else "")
        )
        if amount == before:
            continue
        reason = (
            f"{run.reason}: {now.credit.rule}"
            if now
            else f"{run.reason}: no credit owed any more under {scheme} for {window}"
        )
        row = uow.credits.add(
            CreditEntryRow(
                agreement_id=run.agreement_id,
                run_id=run.id,
                scheme=scheme,
                objective=now.credit.objective if now else "",
                scope_label=now.credit.scope if now else "",
                window_label=window,
                tier=now.credit.tier if now else 0,
                amount=amount - before,
                currency=currency,
                recorded_at=run.started_at,
                reason=reason,
            )
        )
        recorded.credit_entries.append(
            {"scheme": scheme, "window": window, "amount": str(row.amount), "currency": currency}
        )
