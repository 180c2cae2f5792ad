"""Recording an evaluation: the core's history rules (``accord.core.history``) applied to
what the store holds. Verdicts and credit entries are appended, never overwritten; each
verdict row's evidence column holds its record (``accord.verdicts/v2``) and explanation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from accord.core.closing import close_at
from accord.core.documents import chronic_json, consistency_json
from accord.core.evaluation import Evaluation, WindowCredit
from accord.core.history import (
    Change,
    CreditDifference,
    Previous,
    credit_differences,
    decide,
    judgement_digest,
)
from accord.core.records import FORMAT, RecordError, VerdictRecord
from accord.core.remedies.caps import apply_caps
from accord.core.units import Duration
from accord.core.versions import STRADDLE_RULE
from accord.services.rendering import Rendering
from accord.services.uow import UnitOfWork
from accord.store.audit import canonical_json
from accord.store.repositories import evidence_figures
from accord.store.tables import (
    ClosedWindowRow,
    CreditEntryRow,
    EvaluationRunRow,
    FindingRow,
    VerdictRow,
)

__all__ = [
    "Closing",
    "Recorded",
    "StatedVersion",
    "VerdictRecorder",
    "evidence_json",
    "readable",
    "scope_key",
    "stored_evidence",
    "stored_record",
    "verdict_seal",
]


@dataclass(frozen=True)
class StatedVersion:
    """The stored version a verdict was judged by, as the verdict states it."""

    id: int
    number: int
    effective_at: dt.datetime

    def as_evidence(self) -> dict[str, object]:
        return {
            "number": self.number,
            "effective_at": self.effective_at.isoformat(),
            "rule": STRADDLE_RULE,
        }


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
    #: Final verdicts the run's data would change but may not (late data after close).
    held: list[dict[str, Any]] = field(default_factory=list)
    #: Windows that became final in this run.
    closed: list[str] = field(default_factory=list)
    #: Chronic-failure and consistency findings recorded (first or changed) by this run.
    findings: list[dict[str, str]] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.new or self.changed or self.credit_entries or self.closed or self.findings)

    def as_record(self) -> dict[str, object]:
        found: dict[str, object] = {
            "verdicts_new": self.new,
            "verdicts_changed": self.changed,
            "verdicts_unchanged": self.unchanged,
            "credit_entries": self.credit_entries,
            "verdicts": self.seals,
        }
        if self.held:
            found["late_data_held"] = self.held
        if self.closed:
            found["windows_closed"] = self.closed
        if self.findings:
            found["findings"] = self.findings
        return found


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
    stated = (
        {"version_in_force": stored["version_in_force"]} if "version_in_force" in stored else {}
    )
    try:
        record = VerdictRecord.from_json(stored).to_json()
        return explanation, {"format": FORMAT, **record, **stated}
    except RecordError:
        return explanation, stored


def readable(row: VerdictRow) -> VerdictRecord | None:
    """The stored record, or ``None`` for evidence that no longer reads as one."""
    try:
        return stored_record(row)
    except (RecordError, ValueError):
        return None


@dataclass(frozen=True)
class Closing:
    """What a run needs to know of closing the books (``accord.core.closing``): when it runs,
    the agreement's data cutoff and time zone, the windows already final, the batches it
    read, and whether it restates (changes final windows, on the record)."""

    now: dt.datetime
    cutoff: Duration
    timezone: str
    final: Mapping[str, ClosedWindowRow] = field(default_factory=dict)
    batches: tuple[dict[str, str], ...] = ()
    restating: bool = False

    def closes_at(self, window_end: dt.datetime) -> dt.datetime:
        return close_at(window_end, self.cutoff, self.timezone)

    def holds(self, label: str) -> bool:
        """Whether the window is final and this run may not change it."""
        return label in self.final and not self.restating


class VerdictRecorder:
    """Appends a run's changed verdicts and credit differences, in the unit of work."""

    def __init__(self, uow: UnitOfWork, rendering: Rendering) -> None:
        self._uow = uow
        self._rendering = rendering

    def record(
        self,
        run: EvaluationRunRow,
        evaluation: Evaluation,
        versions: Mapping[str, StatedVersion],
        closing: Closing,
    ) -> Recorded:
        """Append the run's changed verdicts and credit differences; ``versions`` (by version
        hash) says which stored version judged each verdict. A final window is not changed
        (unless the run restates): what would change is reported as held. Windows past their
        close that were not final become final."""
        uow = self._uow
        recorded = Recorded()
        windows = sorted({v.window.label for v in evaluation.verdicts})
        # Manual adjustments stand beside what evaluations find: a run never books them back.
        balances = uow.credits.balances(run.agreement_id, judged_only=True)
        evaluation = _capped(evaluation, balances, {w for w in windows if closing.holds(w)})
        current = uow.verdicts.current(run.agreement_id, windows)
        judged_as_of = uow.runs.judged_as_of(row.run_id for row in current.values())
        kept: set[str] = set()
        judged: dict[str, list[int]] = {}
        for verdict in evaluation.verdicts:
            now = evaluation.record(verdict)
            row = current.get((now.objective, scope_key(dict(now.scope)), now.window.label))
            previous = (
                None
                if row is None
                else Previous(readable(row), row.digest, judged_as_of[row.run_id])
            )
            decision = decide(previous, now, as_of=run.as_of, reason=run.reason)
            label = now.window.label
            if decision.change is Change.KEPT:
                kept.add(label)
            if closing.holds(label):
                if decision.appends:
                    recorded.held.append(_held(now, row))
                else:
                    recorded.unchanged += 1
                continue
            ids = judged.setdefault(label, [])
            if not decision.appends:
                recorded.unchanged += 1
                if row is not None:
                    ids.append(row.id)
                continue
            if decision.change is Change.NEW:
                recorded.new += 1
            else:
                recorded.changed += 1
            explanation = self._rendering.explain(evaluation.agreement, now)
            version = versions[now.agreement_version]
            added = uow.verdicts.add(_row(run, version, now, explanation, (row, decision.reason)))
            ids.append(added.id)
            recorded.seals[str(added.id)] = verdict_seal(added)
        held = {label for label in windows if closing.holds(label)}
        booked = set(windows) - kept - held
        for difference in credit_differences(evaluation.credits, balances, booked, run.reason):
            self._book(run, difference, recorded)
        self._findings(run, evaluation, booked, recorded)
        _close(uow, run, evaluation, closing, (judged, recorded))
        return recorded

    def _findings(
        self, run: EvaluationRunRow, evaluation: Evaluation, booked: set[str], recorded: Recorded
    ) -> None:
        """Append the chronic-failure and consistency findings that are new or changed, for
        the windows the run books (a chronic finding speaks of the last window it looks at)."""
        found = [
            (
                "chronic",
                c.clause,
                c.looked_at[-1],
                "triggered" if c.triggered else "not_triggered",
                chronic_json(c),
            )
            for c in evaluation.chronic
            if c.looked_at
        ]
        found += [
            ("consistency", c.objective, c.window, c.outcome.value, consistency_json(c))
            for c in evaluation.consistency
        ]
        current = self._uow.findings.current(run.agreement_id)
        for kind, subject, window, outcome, content in found:
            text = canonical_json(content)
            before = current.get((kind, subject, window))
            if window not in booked or (before is not None and before.record == text):
                continue
            self._uow.findings.add(
                FindingRow(
                    agreement_id=run.agreement_id,
                    run_id=run.id,
                    kind=kind,
                    subject=subject,
                    window_label=window,
                    outcome=outcome,
                    record=text,
                    recorded_at=run.started_at,
                )
            )
            recorded.findings.append(
                {"kind": kind, "subject": subject, "window": window, "outcome": outcome}
            )

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
                clipped=difference.clipped,
                caps=difference.caps,
            )
        )
        self._uow.seal(row, "credit_entry.booked", agreement=run.agreement_id, run=run.id)
        recorded.credit_entries.append(
            {
                "scheme": difference.scheme,
                "window": difference.window,
                "amount": str(row.amount),
                "currency": difference.currency,
            }
        )


def _capped(
    evaluation: Evaluation,
    balances: Mapping[tuple[str, str], tuple[Decimal, str]],
    held: set[str],
) -> Evaluation:
    """The evaluation's credits under the agreement's caps across schemes, the year's cap
    counting what the ledger holds for the windows this run does not book (``held``, final
    windows, and windows outside the run)."""
    remedies = evaluation.agreement.remedies
    if remedies is None or remedies.caps is None:
        return evaluation
    judged = {v.window.label for v in evaluation.verdicts} - held
    booked: dict[str, Decimal] = {}
    for (_, window), (amount, _) in balances.items():
        if window not in judged:
            booked[window] = booked.get(window, Decimal(0)) + amount
    owed = [(c.window, c.credit) for c in evaluation.credits if c.window not in held]
    credits = [WindowCredit(window, c) for window, c in apply_caps(remedies, owed, booked)]
    return replace(evaluation, credits=credits)


def _row(
    run: EvaluationRunRow,
    version: StatedVersion,
    record: VerdictRecord,
    explanation: str,
    change: tuple[VerdictRow | None, str | None],
) -> VerdictRow:
    previous, reason = change
    evidence = {**evidence_json(record, explanation), "version_in_force": version.as_evidence()}
    budget_left, coverage = evidence_figures(evidence)
    return VerdictRow(
        agreement_id=run.agreement_id,
        version_id=version.id,
        run_id=run.id,
        objective=record.objective,
        scope_key=scope_key(dict(record.scope)),
        scope_label=record.scope_label,
        window_label=record.window.label,
        window_start=record.window.start_at,
        window_end=record.window.end_at,
        outcome=record.outcome.value,
        value=record.value,
        evidence=json.dumps(evidence, sort_keys=True),
        digest=judgement_digest(record),
        recorded_at=run.started_at,
        supersedes_id=None if previous is None else previous.id,
        reason=reason,
        budget_left_ratio=budget_left,
        coverage_ratio=coverage,
    )


def _held(record: VerdictRecord, previous: VerdictRow | None) -> dict[str, Any]:
    """A final verdict the run would change: what is final and what the data now says."""
    return {
        "objective": record.objective,
        "scope": record.scope_label,
        "window": record.window.label,
        "final": None
        if previous is None
        else {
            "outcome": previous.outcome,
            "value": None if previous.value is None else str(previous.value),
        },
        "now": {"outcome": record.outcome.value, "value": record.value_display},
    }


def _close(
    uow: UnitOfWork,
    run: EvaluationRunRow,
    evaluation: Evaluation,
    closing: Closing,
    judged: tuple[dict[str, list[int]], Recorded],
) -> None:
    """Make final the windows past their close that a run judged as of their end."""
    ids_of, recorded = judged
    verdicts = evaluation.verdicts
    spans = {v.window.label: v.window for v in verdicts}
    hashes: dict[str, set[str]] = {}
    for verdict in verdicts:
        hashes.setdefault(verdict.window.label, set()).add(verdict.agreement_version)
    balances = uow.credits.balances(run.agreement_id)
    for label, ids in sorted(ids_of.items()):
        span = spans[label]
        closes_at = closing.closes_at(span.end_at)
        if label in closing.final or run.as_of < span.end_at or closing.now < closes_at:
            continue
        credits = [
            {"scheme": scheme, "amount": str(amount), "currency": currency}
            for (scheme, window), (amount, currency) in sorted(balances.items())
            if window == label
        ]
        row = uow.books.close(
            ClosedWindowRow(
                agreement_id=run.agreement_id,
                window_label=label,
                window_start=span.start_at,
                window_end=span.end_at,
                closes_at=closes_at,
                closed_at=closing.now,
                run_id=run.id,
                record=canonical_json(
                    {
                        "versions": sorted(hashes[label]),
                        "batches": list(closing.batches),
                        "verdicts": sorted(ids),
                        "credits": credits,
                    }
                ),
            )
        )
        recorded.closed.append(label)
        agreement = uow.agreements.find(run.agreement_id)
        uow.audit(
            "window.closed",
            "agreement",
            agreement.slug if agreement else run.agreement_id,
            after={
                "window": label,
                "closes_at": closes_at.isoformat(),
                "run": run.id,
                **json.loads(row.record),
            },
        )
