"""Aggregate caps: the most credit owed across all schemes, per period and per year.

Each scheme's own cap (``CreditScheme.cap``) applies first, to that scheme's credit for one
window. The agreement's ``remedies.caps`` then limit the credits of every scheme together:

- ``per_period``: the credits of all schemes for windows with the same label (the month
  ``2026-10``, whatever objectives earned them) add up to at most this amount;
- ``per_year``: the credits of all windows whose labels name the same calendar year
  (``2026-03``, ``2026-Q2``, ``2026-W14`` are all of 2026) add up to at most this amount.

Credits fill a cap in a fixed order, so the result is the same every time: windows in the
order of their labels, and within a window the schemes in the order the agreement declares
them. The credit that overflows a cap is clipped to what the cap has left (possibly
nothing), and says which cap clipped it and by how much. Windows whose credits are already
booked and are not judged again (``fixed``) count against the year's cap as booked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from accord.core.remedies.spec import Remedies
from accord.core.units import Money
from accord.core.verdicts import SCHEME_CAP, CreditOwed

__all__ = ["apply_caps"]


def _year_of(window: str) -> str:
    """The calendar year a window's label names (every label starts with it)."""
    return window[:4]


def _base(remedies: Remedies, credit: CreditOwed) -> tuple[Money, tuple[str, ...]]:
    """The credit after its scheme's cap only, and that cap if it clipped: caps may be
    applied again (by the service, with the ledger's booked windows) to the same credits."""
    own = tuple(cap for cap in credit.clipped_by if cap.startswith(SCHEME_CAP))
    if credit.uncapped is None:
        return credit.amount, own
    scheme = next((s for s in remedies.credits if s.id == credit.scheme), None)
    if scheme is None or not own:
        return credit.uncapped, own
    cap = scheme.cap_amount().rounded()
    return (cap if credit.uncapped.amount > cap.amount else credit.uncapped), own


def apply_caps(
    remedies: Remedies,
    owed: Sequence[tuple[str, CreditOwed]],
    fixed: Mapping[str, Decimal] | None = None,
) -> list[tuple[str, CreditOwed]]:
    """``owed`` ((window label, credit) pairs) with the aggregate caps applied; ``fixed``:
    window label → credit booked for it (all schemes), for windows not in ``owed``."""
    caps = remedies.caps
    if caps is None:
        return list(owed)
    judged = {window for window, _ in owed}
    used_by_year: dict[str, Decimal] = {}
    for window, booked in (fixed or {}).items():
        if window not in judged:
            year = _year_of(window)
            used_by_year[year] = used_by_year.get(year, Decimal(0)) + booked
    rank = {scheme.id: index for index, scheme in enumerate(remedies.credits)}
    ordered = sorted(owed, key=lambda item: (item[0], rank.get(item[1].scheme, len(rank))))
    used_by_period: dict[str, Decimal] = {}
    capped: list[tuple[str, CreditOwed]] = []
    for window, credit in ordered:
        amount, clipped_by = _base(remedies, credit)
        uncapped = credit.uncapped or credit.amount
        year = _year_of(window)
        used = {"per_period": used_by_period.get(window, Decimal(0))}
        used["per_year"] = used_by_year.get(year, Decimal(0))
        for name, cap in caps.limits():
            room = max(cap.amount - used[name], Decimal(0))
            if amount.amount > room:
                amount = Money(room, amount.currency).rounded()
                clipped_by = (*clipped_by, f"{name} cap {cap}")
        used_by_period[window] = used["per_period"] + amount.amount
        used_by_year[year] = used["per_year"] + amount.amount
        capped.append(
            (
                window,
                replace(
                    credit,
                    amount=amount,
                    capped=bool(clipped_by),
                    uncapped=uncapped if clipped_by else None,
                    clipped_by=clipped_by,
                ),
            )
        )
    return capped
