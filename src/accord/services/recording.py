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
from accord.core.verdicts import Verdict
from accord.reports.verdicts import credit_for, explain_verdict, verdict_json
from accord.services.uow import UnitOfWork
from accord.store.audit import canonical_json
from accord.store.tables import CreditEntryRow, EvaluationRunRow, VerdictRow

__all__ = ["Recorded", "record", "scope_key"]

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


def _digest(evidence: dict[str, Any]) -> str:
    judged = {name: evidence.get(name) for name in _JUDGEMENT}
    return hashlib.sha256(canonical_json(judged).encode()).hexdigest()


def _change(before: dict[str, Any], after: dict[str, Any]) -> Iterator[str]:
    if before.get("outcome") != after.get("outcome"):
        yield f"outcome {before.get('outcome')} → {after.get('outcome')}"
    if before.get("value") != after.get("value"):
        yield f"value {before.get('value_display')} → {after.get('value_display')}"
    if before.get("agreement_version") != after.get("agreement_version"):
        old, new = str(before.get("agreement_version")), str(after.get("agreement_version"))
        yield f"agreement version {old[:12]} → {new[:12]}"
    for name in ("target", "tolerance", "counts", "exclusions", "credit", "formula"):
        if before.get(name) != after.get(name):
            yield f"{name} changed"


def _reason(run_reason: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    return f"{run_reason}: {'; '.join(_change(before, after)) or 'evidence changed'}"


def record(uow: UnitOfWork, run: EvaluationRunRow, evaluation: Evaluation) -> Recorded:
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
        evidence = verdict_json(verdict, credit_for(verdict, evaluation.credits))
        evidence["explanation"] = explain_verdict(evaluation, verdict)
        digest = _digest(evidence)
        if previous is not None and previous.digest == digest:
            recorded.unchanged += 1
            continue
        reason = None
        if previous is not None:
            reason = _reason(run.reason, json.loads(previous.evidence), evidence)
            recorded.changed += 1
        else:
            recorded.new += 1
        uow.verdicts.add(_row(run, verdict, evidence, previous, reason))
    _record_credits(uow, run, evaluation.credits, set(windows) - kept, recorded)
    return recorded


def _judged_later(run: EvaluationRunRow, verdict: Verdict, previous_as_of: dt.datetime) -> bool:
    """Whether the verdict is provisional (its window runs on past the run's as-of instant)
    and the recorded one was judged as of a later instant."""
    return verdict.window.end_at > run.as_of and previous_as_of > run.as_of


def _row(
    run: EvaluationRunRow,
    verdict: Verdict,
    evidence: dict[str, Any],
    previous: VerdictRow | None,
    reason: str | None,
) -> VerdictRow:
    return VerdictRow(
        agreement_id=run.agreement_id,
        version_id=run.version_id,
        run_id=run.id,
        objective=verdict.objective,
        scope_key=scope_key(verdict.scope),
        scope_label=verdict.scope_label,
        window_label=verdict.window.label,
        window_start=verdict.window.start_at,
        window_end=verdict.window.end_at,
        outcome=verdict.outcome.value,
        value=verdict.value,
        evidence=json.dumps(evidence, sort_keys=True),
        digest=_digest(evidence),
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
