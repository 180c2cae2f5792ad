"""The credit ledger with its lifecycle: what is owed per scheme and window, and where each
credit stands.

What is owed is the sum of the credit entries (``accord.services.recording``). A credit is
**provisional** while its window is not final (``accord.services.books``), then **owed**; the
consumer (the company) **claims** it before the claim deadline (the window's end plus the
agreement's ``claim_window``), else it is **expired**; the provider **accepts** or
**disputes** the claim; the company records it **settled** with a reference (an invoice
number). Each step is a new row, sealed in the audit trail like the entries; nothing is
edited. Lists filter by agreement, partner, period and state, with totals per currency and
state, and export as CSV or JSON for finance.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from accord.core.model import Agreement
from accord.core.units import add_duration
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, parsed
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import CreditEntrySummary
from accord.store.tables import AgreementRow, CreditClaimRow, OrganisationRow

__all__ = [
    "CreditState",
    "Ledger",
    "LedgerLine",
    "LedgerQuery",
    "LedgerReport",
    "LedgerStep",
    "LedgerTotal",
    "Parties",
    "ledger_report",
    "ledger_sums",
]

FORMAT: Final = "accord.ledger/v1"


class CreditState(StrEnum):
    PROVISIONAL = "provisional"
    OWED = "owed"
    CLAIMED = "claimed"
    ACCEPTED = "accepted"
    DISPUTED = "disputed"
    SETTLED = "settled"
    EXPIRED = "expired"


#: Which state each step may follow.
_FROM: Final = {
    CreditState.CLAIMED: (CreditState.OWED,),
    CreditState.ACCEPTED: (CreditState.CLAIMED, CreditState.DISPUTED),
    CreditState.DISPUTED: (CreditState.CLAIMED,),
    CreditState.SETTLED: (CreditState.ACCEPTED, CreditState.DISPUTED),
}


@dataclass(frozen=True, kw_only=True)
class LedgerQuery:
    agreement: str | None = None
    #: The partner's organisation id (the provider's).
    partner: str | None = None
    #: A window label or its start: ``2026`` matches every window of 2026.
    period: str | None = None
    state: str | None = None


@dataclass(frozen=True, kw_only=True)
class LedgerStep:
    """Move one credit (agreement, scheme, window) to its next state."""

    agreement: str
    scheme: str
    window: str
    state: CreditState
    note: str = ""
    #: Required to settle: e.g. the credit note's or invoice's number.
    reference: str = ""


@dataclass(frozen=True)
class LedgerLine:
    agreement: str
    partner: str | None
    scheme: str
    window: str
    owed: Decimal
    currency: str
    state: str
    final: bool
    claim_deadline: dt.datetime | None
    claimed: Decimal | None
    reference: str | None
    entries: int
    #: What the caps took off the credit as last booked, and which caps clipped it.
    clipped: Decimal | None = None
    caps: str | None = None
    #: The part of ``owed`` that manual adjustments booked (``accord.services.adjustments``).
    adjusted: Decimal = Decimal(0)


@dataclass(frozen=True)
class LedgerTotal:
    currency: str
    state: str
    amount: Decimal
    credits: int


@dataclass(frozen=True)
class LedgerReport:
    lines: list[LedgerLine] = field(default_factory=list)
    totals: list[LedgerTotal] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "lines": [_plain(asdict(line)) for line in self.lines],
            "totals": [_plain(asdict(total)) for total in self.totals],
        }

    def as_csv(self) -> str:
        out = io.StringIO()
        columns = list(LedgerLine.__dataclass_fields__)
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for line in self.lines:
            writer.writerow({k: "" if v is None else v for k, v in _plain(asdict(line)).items()})
        return out.getvalue()


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat()
        if isinstance(value, dt.datetime)
        else (str(value) if isinstance(value, Decimal) else value)
        for key, value in values.items()
    }


@dataclass
class _Credit:
    """What the ledger knows of one credit while it is read."""

    scheme: str
    window: str
    owed: Decimal = Decimal(0)
    currency: str = ""
    entries: int = 0
    steps: list[CreditClaimRow] = field(default_factory=list)
    clipped: Decimal | None = None
    caps: str | None = None
    adjusted: Decimal = Decimal(0)


class Ledger:
    """Use cases on the credit ledger."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def report(self, principal: Principal, query: LedgerQuery) -> LedgerReport:
        """The credits the principal sees, filtered, with totals per currency and state."""
        _check_report(principal, query)
        with self._context.uow(principal) as uow:
            rows = (
                [get_agreement(uow, query.agreement)]
                if query.agreement
                else list(uow.agreements.all())
            )
            return ledger_report(uow, rows, query)

    def step(self, principal: Principal, command: LedgerStep) -> LedgerLine:
        """Claim, accept, dispute or settle one credit; a new, sealed row in the ledger."""
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            _may_step(principal, command)
            uow.serialise("ledger", row.id)
            line = self.line_of(uow, row, command.scheme, command.window)
            allowed = _FROM[command.state]
            if line.state not in allowed:
                raise Conflict(
                    f"credit {command.scheme} {command.window} is {line.state}: it cannot be "
                    f"{command.state.value} (only when {' or '.join(allowed)})"
                )
            amount = line.claimed if line.claimed is not None else line.owed
            step = uow.books.add_claim(
                CreditClaimRow(
                    agreement_id=row.id,
                    scheme=command.scheme,
                    window_label=command.window,
                    state=command.state.value,
                    amount=amount,
                    currency=line.currency,
                    reference=command.reference.strip() or None,
                    note=command.note.strip() or None,
                    recorded_by=principal.name,
                    recorded_at=uow.now(),
                )
            )
            uow.seal(step, f"credit.{command.state.value}", agreement=row.slug)
            after = self.line_of(uow, row, command.scheme, command.window)
            uow.commit()
        return after

    @staticmethod
    def line_of(uow: UnitOfWork, row: AgreementRow, scheme: str, window: str) -> LedgerLine:
        """The credit owed under ``scheme`` for ``window``, where it stands; else ``NotFound``."""
        for line in _lines(_read(uow, [row]), row):
            if (line.scheme, line.window) == (scheme, window):
                return line
        raise NotFound(f"agreement {row.slug!r} owes no credit under {scheme!r} for {window!r}")


@dataclass(frozen=True)
class _Read:
    """What the ledger reads of some agreements, in the same few queries whatever their
    number (the portfolio shows every agreement's credits)."""

    now: dt.datetime
    entries: dict[int, list[CreditEntrySummary]]
    steps: dict[int, list[CreditClaimRow]]
    #: (agreement id, window label) → the end of the closed window.
    closed: dict[tuple[int, str], dt.datetime]
    agreements: dict[int, Agreement]
    #: Agreement id → the provider's organisation id (slug).
    partners: dict[int, str]


@dataclass(frozen=True)
class Parties:
    """Every agreement's parties as the tenant sees them (``Agreements.all_parties``) and
    the organisations they link to, by id."""

    links: dict[int, dict[str, int]]
    organisations: dict[int, OrganisationRow]


def _check_report(principal: Principal, query: LedgerQuery) -> None:
    principal.require(Permission.READ)
    if query.state is not None and query.state not in set(CreditState):
        states = ", ".join(CreditState)
        raise Invalid(f"no credit state {query.state!r}; states: {states}")


def ledger_report(uow: UnitOfWork, rows: list[AgreementRow], query: LedgerQuery) -> LedgerReport:
    """``Ledger.report`` of the agreements ``rows`` inside a unit of work the caller opened
    (the agreement page's)."""
    _check_report(uow.principal, query)
    read = _read(uow, rows)
    lines = [line for row in rows for line in _lines(read, row) if _wanted(line, query)]
    totals: dict[tuple[str, str], LedgerTotal] = {}
    for line in lines:
        key = (line.currency, line.state)
        before = totals.get(key, LedgerTotal(line.currency, line.state, Decimal(0), 0))
        totals[key] = LedgerTotal(
            line.currency, line.state, before.amount + line.owed, before.credits + 1
        )
    return LedgerReport(lines, [totals[key] for key in sorted(totals)])


def _read(uow: UnitOfWork, rows: list[AgreementRow], parties: Parties | None = None) -> _Read:
    ids = [row.id for row in rows]
    entries: dict[int, list[CreditEntrySummary]] = {}
    for entry in uow.credits.of_agreements(ids):
        entries.setdefault(entry.agreement_id, []).append(entry)
    steps: dict[int, list[CreditClaimRow]] = {}
    for step in uow.books.claims_of(ids):
        steps.setdefault(step.agreement_id, []).append(step)
    agreements = {a: parsed(v) for a, v in uow.agreements.latest_versions(ids).items()}
    links = uow.agreements.all_parties(ids) if parties is None else parties.links
    providers = {
        a: links.get(a, {}).get(agreement.provider().id) for a, agreement in agreements.items()
    }
    wanted = {o for o in providers.values() if o}
    known = {} if parties is None else parties.organisations
    if not wanted <= known.keys():
        known = uow.organisations.by_ids(wanted)
    slugs = {o: known[o].slug for o in wanted if o in known}
    return _Read(
        now=uow.now(),
        entries=entries,
        steps=steps,
        closed=uow.books.closed_of(ids),
        agreements=agreements,
        partners={a: slugs[o] for a, o in providers.items() if o in slugs},
    )


def _credits_of(read: _Read, row: AgreementRow) -> dict[tuple[str, str], _Credit]:
    """(scheme, window) → the credit with its entries summed and its steps, oldest first."""
    credits: dict[tuple[str, str], _Credit] = {}
    for entry in read.entries.get(row.id, []):
        key = (entry.scheme, entry.window_label)
        credit = credits.get(key)
        if credit is None:
            credit = credits[key] = _Credit(entry.scheme, entry.window_label)
        credit.owed += entry.amount
        credit.currency = entry.currency
        credit.entries += 1
        if entry.adjustment_id is None:
            credit.clipped, credit.caps = entry.clipped, entry.caps
        else:
            credit.adjusted += entry.amount
    for step in read.steps.get(row.id, []):
        key = (step.scheme, step.window_label)
        if key in credits:
            credits[key].steps.append(step)
    return credits


def _standing(
    read: _Read, row: AgreementRow, credit: _Credit
) -> tuple[CreditState, dt.datetime | None]:
    """Where the credit stands, and its claim deadline once its window is final."""
    window_end = read.closed.get((row.id, credit.window))
    agreement = read.agreements.get(row.id)
    deadline = None
    if window_end is not None and agreement is not None and agreement.remedies is not None:
        deadline = add_duration(window_end, agreement.remedies.claim_window, agreement.timezone)
    last = credit.steps[-1] if credit.steps else None
    return _state(window_end is not None, last, deadline, read.now), deadline


def _claimed(credit: _Credit) -> Decimal | None:
    return next((s.amount for s in credit.steps if s.state == CreditState.CLAIMED), None)


def _shown(credit: _Credit) -> bool:
    return bool(credit.owed or credit.steps or credit.clipped)


def _lines(read: _Read, row: AgreementRow) -> Iterator[LedgerLine]:
    credits = _credits_of(read, row)
    for (scheme, window), credit in sorted(credits.items(), key=lambda item: item[0][::-1]):
        if not _shown(credit):
            continue
        state, deadline = _standing(read, row, credit)
        yield LedgerLine(
            agreement=row.slug,
            partner=read.partners.get(row.id),
            scheme=scheme,
            window=window,
            owed=credit.owed,
            currency=credit.currency,
            state=state.value,
            final=(row.id, window) in read.closed,
            claim_deadline=deadline,
            claimed=_claimed(credit),
            reference=next(
                (s.reference for s in credit.steps if s.state == CreditState.SETTLED), None
            ),
            entries=credit.entries,
            clipped=credit.clipped,
            caps=credit.caps,
            adjusted=credit.adjusted,
        )


def ledger_sums(
    uow: UnitOfWork, rows: list[AgreementRow], parties: Parties | None = None
) -> dict[str, dict[CreditState, dict[str, Decimal]]]:
    """Agreement → state → currency → the sum of its credits (what was claimed, once
    claimed): the ledger summed up over many agreements, without a line per credit.
    ``parties``: what the caller read already of every agreement's parties."""
    read = _read(uow, rows, parties)
    sums: dict[str, dict[CreditState, dict[str, Decimal]]] = {}
    for row in rows:
        for credit in _credits_of(read, row).values():
            if not _shown(credit):
                continue
            state, _ = _standing(read, row, credit)
            claimed = _claimed(credit) if credit.steps else None
            amount = credit.owed if claimed is None else claimed
            by_currency = sums.setdefault(row.slug, {}).setdefault(state, {})
            by_currency[credit.currency] = by_currency.get(credit.currency, Decimal(0)) + amount
    return sums


def _state(
    final: bool, last: CreditClaimRow | None, deadline: dt.datetime | None, now: dt.datetime
) -> CreditState:
    if last is not None:
        return CreditState(last.state)
    if not final:
        return CreditState.PROVISIONAL
    if deadline is not None and now > deadline:
        return CreditState.EXPIRED
    return CreditState.OWED


def _wanted(line: LedgerLine, query: LedgerQuery) -> bool:
    return (
        (query.partner is None or line.partner == query.partner)
        and (query.period is None or line.window.startswith(query.period))
        and (query.state is None or line.state == query.state)
    )


def _may_step(principal: Principal, command: LedgerStep) -> None:
    """The consumer (the company) claims and settles; the provider accepts or disputes."""
    if command.state in (CreditState.CLAIMED, CreditState.SETTLED):
        if not (principal.company and principal.can(Permission.CLAIM_CREDITS)):
            raise Forbidden(
                f"{principal.name} may not {command.state.value} credits: the company does, "
                f"with {Permission.CLAIM_CREDITS.value!r}"
            )
        if command.state is CreditState.SETTLED and not command.reference.strip():
            raise Invalid("a settled credit needs its reference, e.g. the credit note's number")
        return
    provider = not principal.company or principal.organisation_id is None
    if not (provider and principal.can(Permission.ANSWER_CLAIMS)):
        raise Forbidden(
            f"{principal.name} may not {command.state.value} a claim: the partner answers it, "
            f"with {Permission.ANSWER_CLAIMS.value!r}"
        )
    if command.state is CreditState.DISPUTED and not command.note.strip():
        raise Invalid("say why the claim is disputed (note)")
