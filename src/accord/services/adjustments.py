"""Manual adjustments of the credit ledger: never an edit, always a new entry with a reason.

A company user who may adjust credits asks for an adjustment of what is owed under a scheme
for a window (an amount, positive or negative, in the scheme's currency, a reason and
optionally a link such as ``dispute 12``). Without the four-eyes rule (``Limits``) it is
applied at once; with it, it counts only once another such user approves it. Applying books a
ledger entry that names the adjustment and has no run: evaluations leave it standing (they
book only the difference between what they find and what earlier evaluations booked). Every
step is in the audit trail, and the entry is sealed in it like every ledger entry.

``book_adjustment`` books an adjustment inside the caller's unit of work, for use cases that
settle an amount on their own authority (a resolved dispute, for one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from accord.core.periods import PeriodError, parse_period
from accord.core.units import CURRENCY_MINOR_UNITS
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement, parsed
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import AgreementRow, CreditAdjustmentRow, CreditEntryRow

__all__ = [
    "AdjustmentView",
    "Adjustments",
    "BookAdjustment",
    "book_adjustment",
]

REQUESTED: Final = "requested"
APPLIED: Final = "applied"
REJECTED: Final = "rejected"


@dataclass(frozen=True, kw_only=True)
class BookAdjustment:
    agreement: str
    scheme: str
    #: A window label, e.g. ``2026-10``.
    window: str
    #: Added to what is owed: negative to lower it.
    amount: Decimal
    currency: str
    reason: str
    #: What the adjustment follows from, e.g. ``dispute 12`` or a ticket's address.
    link: str = ""


@dataclass(frozen=True)
class AdjustmentView:
    id: int
    agreement: str
    scheme: str
    window: str
    amount: Decimal
    currency: str
    reason: str
    link: str | None
    state: str
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None
    #: The ledger entry that booked it, once applied.
    entry: int | None


def _view(uow: UnitOfWork, slug: str, row: CreditAdjustmentRow) -> AdjustmentView:
    entry = uow.credits.entry_of(row.id) if row.state == APPLIED else None
    return AdjustmentView(
        id=row.id,
        agreement=slug,
        scheme=row.scheme,
        window=row.window_label,
        amount=row.amount,
        currency=row.currency,
        reason=row.reason,
        link=row.link,
        state=row.state,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        entry=None if entry is None else entry.id,
    )


def _record(row: CreditAdjustmentRow) -> dict[str, object]:
    return {
        "id": row.id,
        "scheme": row.scheme,
        "window": row.window_label,
        "amount": str(row.amount),
        "currency": row.currency,
        "reason": row.reason,
        "link": row.link,
        "state": row.state,
        "requested_by": row.requested_by,
        "decided_by": row.decided_by,
    }


def _checked(uow: UnitOfWork, row: AgreementRow, command: BookAdjustment) -> Decimal:
    """The amount, once the scheme, window, currency and reason make sense."""
    version = uow.agreements.latest_version(row.id)
    agreement = parsed(version) if version is not None else None
    schemes = (
        {}
        if agreement is None or agreement.remedies is None
        else {scheme.id: scheme for scheme in agreement.remedies.credits}
    )
    scheme = schemes.get(command.scheme)
    if scheme is None:
        known = ", ".join(sorted(schemes)) or "none"
        raise Invalid(f"{row.slug!r} has no credit scheme {command.scheme!r}; schemes: {known}")
    try:
        parse_period(command.window, agreement.timezone if agreement else "UTC")
    except PeriodError as exc:
        raise Invalid(f"window {command.window!r}: {exc}") from None
    currency = command.currency.strip().upper()
    if currency != scheme.basis.currency:
        raise Invalid(
            f"scheme {scheme.id!r} pays in {scheme.basis.currency}, not {command.currency!r}"
        )
    try:
        amount = Decimal(command.amount)
    except InvalidOperation:
        raise Invalid(f"amount {command.amount!r} is not a number") from None
    digits = CURRENCY_MINOR_UNITS[currency]
    if not amount.is_finite() or amount == 0 or amount != round(amount, digits):
        raise Invalid(
            f"amount {command.amount} must be a non-zero amount of {currency} with at most "
            f"{digits} decimals"
        )
    if abs(amount) >= Decimal(10) ** 15:
        raise Invalid(f"amount {command.amount} is too large")
    if not command.reason.strip():
        raise Invalid("say why the ledger is adjusted (reason)")
    return amount


def book_adjustment(
    uow: UnitOfWork, row: AgreementRow, command: BookAdjustment
) -> CreditAdjustmentRow:
    """Book an adjustment at once, in the caller's unit of work and on its authority (no
    four-eyes step): the applied adjustment, its sealed ledger entry and the audit entry."""
    amount = _checked(uow, row, command)
    principal = uow.principal
    adjustment = uow.credits.add_adjustment(
        CreditAdjustmentRow(
            agreement_id=row.id,
            scheme=command.scheme,
            window_label=command.window,
            amount=amount,
            currency=command.currency.strip().upper(),
            reason=command.reason.strip(),
            link=command.link.strip() or None,
            state=APPLIED,
            requested_by=principal.name,
            requested_by_user=principal.user_id,
            requested_at=uow.now(),
            decided_by=principal.name,
            decided_at=uow.now(),
        )
    )
    uow.audit("credit_adjustment.applied", "agreement", row.slug, after=_record(adjustment))
    _book(uow, row, adjustment)
    return adjustment


def _book(uow: UnitOfWork, row: AgreementRow, adjustment: CreditAdjustmentRow) -> None:
    link = f" ({adjustment.link})" if adjustment.link else ""
    entry = uow.credits.add(
        CreditEntryRow(
            agreement_id=row.id,
            run_id=None,
            scheme=adjustment.scheme,
            objective="",
            scope_label="",
            window_label=adjustment.window_label,
            tier=0,
            amount=adjustment.amount,
            currency=adjustment.currency,
            recorded_at=uow.now(),
            reason=f"adjustment {adjustment.id}{link}: {adjustment.reason}",
            adjustment_id=adjustment.id,
        )
    )
    uow.seal(entry, "credit_entry.adjusted", agreement=row.slug, adjustment=adjustment.id)


class Adjustments:
    """Use cases on manual adjustments of the credit ledger."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def list(self, principal: Principal, agreement: str) -> list[AdjustmentView]:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            return [_view(uow, row.slug, a) for a in uow.credits.adjustments(row.id)]

    def request(self, principal: Principal, command: BookAdjustment) -> AdjustmentView:
        """Ask for an adjustment: applied at once without the four-eyes rule, else it waits
        for another user's approval and counts only then."""
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, command.agreement)
            _may_adjust(principal)
            uow.serialise("ledger", row.id)
            if not self._context.limits.four_eyes:
                applied = book_adjustment(uow, row, command)
                uow.commit()
                return _view(uow, row.slug, applied)
            amount = _checked(uow, row, command)
            adjustment = uow.credits.add_adjustment(
                CreditAdjustmentRow(
                    agreement_id=row.id,
                    scheme=command.scheme,
                    window_label=command.window,
                    amount=amount,
                    currency=command.currency.strip().upper(),
                    reason=command.reason.strip(),
                    link=command.link.strip() or None,
                    state=REQUESTED,
                    requested_by=principal.name,
                    requested_by_user=principal.user_id,
                    requested_at=uow.now(),
                )
            )
            uow.audit(
                "credit_adjustment.requested", "agreement", row.slug, after=_record(adjustment)
            )
            uow.commit()
            return _view(uow, row.slug, adjustment)

    def approve(
        self, principal: Principal, agreement: str, adjustment_id: int, note: str = ""
    ) -> AdjustmentView:
        """Apply a requested adjustment: booked as a sealed ledger entry. Under the four-eyes
        rule the approver is another user than the one who asked."""
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, agreement)
            _may_adjust(principal)
            uow.serialise("ledger", row.id)
            found = _pending(uow, row, adjustment_id)
            same = found.requested_by == principal.name or (
                found.requested_by_user is not None and found.requested_by_user == principal.user_id
            )
            if self._context.limits.four_eyes and same:
                raise Forbidden(
                    "four-eyes rule: an adjustment is approved by another user than the one "
                    "who asked for it"
                )
            self._decide(uow, found, APPLIED, note)
            _book(uow, row, found)
            uow.audit(
                "credit_adjustment.applied",
                "agreement",
                row.slug,
                before={"state": REQUESTED},
                after=_record(found),
            )
            uow.commit()
            return _view(uow, row.slug, found)

    def reject(
        self, principal: Principal, agreement: str, adjustment_id: int, note: str
    ) -> AdjustmentView:
        if not note.strip():
            raise Invalid("say why the adjustment is rejected (note)")
        with self._context.uow(principal, write=True) as uow:
            row = get_agreement(uow, agreement)
            _may_adjust(principal)
            found = _pending(uow, row, adjustment_id)
            self._decide(uow, found, REJECTED, note)
            uow.audit(
                "credit_adjustment.rejected",
                "agreement",
                row.slug,
                before={"state": REQUESTED},
                after=_record(found),
            )
            uow.commit()
            return _view(uow, row.slug, found)

    def _decide(self, uow: UnitOfWork, found: CreditAdjustmentRow, state: str, note: str) -> None:
        found.state = state
        found.decided_by = uow.principal.name
        found.decided_at = uow.now()
        found.decision_note = note.strip() or None


def _may_adjust(principal: Principal) -> None:
    if not (principal.company and principal.can(Permission.ADJUST_CREDITS)):
        raise Forbidden(
            f"{principal.name} may not adjust the credit ledger: a company role with "
            f"{Permission.ADJUST_CREDITS.value!r} does"
        )


def _pending(uow: UnitOfWork, row: AgreementRow, adjustment_id: int) -> CreditAdjustmentRow:
    found = uow.credits.find_adjustment(row.id, adjustment_id)
    if found is None:
        raise NotFound(f"agreement {row.slug!r} has no adjustment {adjustment_id}")
    if found.state != REQUESTED:
        raise Conflict(f"adjustment {adjustment_id} is {found.state} already")
    return found
