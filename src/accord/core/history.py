"""Verdict history: which verdicts are appended, which supersede the one before, and which
credit differences are booked. Pure rules over records; the services apply them to what the
store holds.

- A verdict is appended when it is the first of its objective, scope and window (``NEW``),
  or when its judgement changed since the verdict it then supersedes (``CHANGED``): outcome,
  value, target, tolerance, counts, exclusions, credit, formula or agreement version. The
  rest (coverage, budget, computation) is detail of the same judgement, so a run that finds
  the same judgement appends nothing (``UNCHANGED``).
- A verdict of a window still open at the run's as-of instant is provisional: it never
  supersedes one that a run judged as of a later instant (``KEPT``). Re-evaluating
  September must not take the quarter that runs on into October back to where it stood on
  30 September.
- The credit ledger holds, per scheme and window, entries whose sum is what is owed. A run
  that finds a different amount books the difference, with the reason; a window whose
  verdicts were all kept books nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Final

from accord.core.evaluation import WindowCredit
from accord.core.records import CreditRecord, VerdictRecord

__all__ = [
    "JUDGEMENT",
    "Change",
    "CreditDifference",
    "Decision",
    "Previous",
    "credit_differences",
    "decide",
    "judgement_digest",
]

#: The fields whose change makes a new verdict; the rest is detail of the same one.
JUDGEMENT: Final = (
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


class Change(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    #: Provisional, and the recorded verdict was judged as of a later instant.
    KEPT = "kept"


@dataclass(frozen=True)
class Previous:
    """The verdict recorded last for the same objective, scope and window."""

    #: ``None`` when its stored evidence no longer reads as a record.
    record: VerdictRecord | None
    digest: str
    #: The as-of instant of the run that recorded it.
    judged_as_of: dt.datetime


@dataclass(frozen=True)
class Decision:
    change: Change
    #: Why a changed verdict supersedes the previous one (``CHANGED`` only).
    reason: str | None = None

    @property
    def appends(self) -> bool:
        return self.change in (Change.NEW, Change.CHANGED)


def judgement_digest(record: VerdictRecord) -> str:
    """The sha256 of the judgement fields as serialised (sorted keys, no spaces)."""
    serialised = record.to_json()
    judged = {name: serialised[name] for name in JUDGEMENT}
    text = json.dumps(judged, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _judgement(record: VerdictRecord) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in JUDGEMENT)


def decide(
    previous: Previous | None, now: VerdictRecord, *, as_of: dt.datetime, reason: str
) -> Decision:
    """Whether a run judging as of ``as_of`` (for ``reason``) appends ``now``."""
    if previous is None:
        return Decision(Change.NEW)
    if now.window.end_at > as_of and previous.judged_as_of > as_of:
        return Decision(Change.KEPT)
    before = previous.record
    if previous.digest == judgement_digest(now) or (
        before is not None and _judgement(before) == _judgement(now)
    ):
        return Decision(Change.UNCHANGED)
    changes = "evidence changed" if before is None else "; ".join(_changes(before, now))
    return Decision(Change.CHANGED, f"{reason}: {changes or 'evidence changed'}")


def _changes(before: VerdictRecord, after: VerdictRecord) -> Iterator[str]:
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


@dataclass(frozen=True)
class CreditDifference:
    """An entry to book: what brings a scheme's balance for a window to what is owed now."""

    scheme: str
    window: str
    #: The objective and scope whose verdict set the tier; empty when nothing is owed now.
    objective: str
    scope: str
    tier: int
    amount: Decimal
    currency: str
    reason: str
    #: What the caps took off the credit owed now, and which caps (``None``: not clipped).
    clipped: Decimal | None = None
    caps: str | None = None


def credit_differences(
    owed: Iterable[WindowCredit],
    balances: Mapping[tuple[str, str], tuple[Decimal, str]],
    windows: set[str],
    reason: str,
) -> list[CreditDifference]:
    """The entries a run books for ``windows``: per scheme and window, what is owed now less
    the balance booked so far (``balances``: (scheme, window) → (amount, currency)), for
    every pair owed now or booked before; none where they agree, except a credit that the
    caps clip to nothing, booked once at zero so that the ledger shows the clip."""
    now = {(c.credit.scheme, c.window): c for c in owed if c.window in windows}
    keys = set(now) | {key for key in balances if key[1] in windows}
    found = []
    for scheme, window in sorted(keys):
        credit = now.get((scheme, window))
        amount = credit.credit.amount.amount if credit else Decimal(0)
        before, currency = balances.get(
            (scheme, window), (Decimal(0), credit.credit.amount.currency if credit else "")
        )
        # A credit the caps clip to nothing is booked once, at zero, to show the clip.
        wholly_clipped = credit is not None and credit.credit.clipped is not None
        if amount == before and not (wholly_clipped and (scheme, window) not in balances):
            continue
        found.append(
            CreditDifference(
                scheme=scheme,
                window=window,
                objective=credit.credit.objective if credit else "",
                scope=credit.credit.scope if credit else "",
                tier=credit.credit.tier if credit else 0,
                amount=amount - before,
                currency=currency,
                reason=(
                    f"{reason}: {CreditRecord.of(credit.credit).rule}"
                    if credit
                    else f"{reason}: no credit owed any more under {scheme} for {window}"
                ),
                clipped=clipped.amount if credit and (clipped := credit.credit.clipped) else None,
                caps=", ".join(credit.credit.clipped_by)
                if credit and credit.credit.clipped_by
                else None,
            )
        )
    return found
