"""How remedies are written: credit schemes with tiers and caps, chronic-failure clauses."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from accord.core.spec import (
    DurationField,
    Identifier,
    MeasureField,
    MoneyField,
    PercentageField,
    Spec,
    problem,
)
from accord.core.units import Duration, Money, Percentage

__all__ = ["AggregateCaps", "ChronicFailure", "CreditScheme", "CreditTier", "Remedies"]


class CreditTier(Spec):
    """One step of a credit scheme: a credit owed when the value is worse than a threshold."""

    below: MeasureField | None = Field(
        default=None, description="Tier applies when the value is strictly below this."
    )
    above: MeasureField | None = Field(
        default=None, description="Tier applies when the value is strictly above this."
    )
    credit: PercentageField | MoneyField = Field(
        description="Credit as a share of the basis ('10%') or a fixed amount ('500 EUR')."
    )

    @model_validator(mode="after")
    def _one_threshold(self) -> CreditTier:
        if (self.below is None) == (self.above is None):
            raise problem(
                "tier",
                "a tier needs exactly one of 'below' or 'above'",
                "write e.g. {below: 99.9%, credit: 5%}, or {above: 500ms, credit: 5%} where "
                "lower values are better",
            )
        return self

    @property
    def threshold(self) -> Percentage | Duration | Decimal:
        value = self.below if self.below is not None else self.above
        assert value is not None  # guaranteed by _one_threshold
        return value


class CreditScheme(Spec):
    """Service credits owed for objectives, tiered and capped."""

    id: Identifier = Field(description="Identifier of the scheme.")
    objectives: list[Identifier] = Field(min_length=1, description="Objectives it covers.")
    basis: MoneyField = Field(description="Amount credits are a share of, e.g. the monthly fee.")
    basis_description: str = Field(
        default="monthly fee", description="What the basis is, e.g. 'monthly fee for the API'."
    )
    tiers: list[CreditTier] = Field(min_length=1, description="Tiers; the worst matching applies.")
    cap: PercentageField | MoneyField = Field(
        description="Most credit per window, as a share of the basis or an amount."
    )

    def cap_amount(self) -> Money:
        """The cap in money."""
        if isinstance(self.cap, Money):
            return self.cap
        return self.basis.times(self.cap.ratio)

    def tier_amount(self, tier: CreditTier) -> Money:
        """The credit of one tier in money."""
        if isinstance(tier.credit, Money):
            return tier.credit
        return self.basis.times(tier.credit.ratio)


class ChronicFailure(Spec):
    """Repeated failure: N breaches within M consecutive windows, and what follows."""

    id: Identifier = Field(description="Identifier of the clause.")
    objectives: list[Identifier] = Field(min_length=1, description="Objectives it watches.")
    breaches: int = Field(ge=1, description="Number of breaches that trigger it.")
    within_windows: int = Field(ge=1, description="Number of consecutive windows looked at.")
    consequence: str = Field(min_length=1, description="What follows, e.g. right to terminate.")
    credit: MoneyField | None = Field(
        default=None,
        description="A credit the ledger books for each breached window while the clause is "
        "triggered (the window that triggers it and every breached one after), e.g. 2000 EUR.",
    )

    @model_validator(mode="after")
    def _fits(self) -> ChronicFailure:
        if self.breaches > self.within_windows:
            raise problem(
                "chronic",
                f"{self.breaches} breaches cannot happen within {self.within_windows} windows",
                "breaches must be at most within_windows",
                ("breaches",),
            )
        return self


class AggregateCaps(Spec):
    """Caps on the credits of all schemes together: per period (the windows with the same
    label, e.g. the month 2026-10, whatever objectives and schemes earned them) and per year
    (the windows whose labels name the same year). Each scheme's own cap applies first."""

    per_period: MoneyField | None = Field(
        default=None,
        description="Most credit per period across all schemes and objectives, e.g. 20000 EUR.",
    )
    per_year: MoneyField | None = Field(
        default=None,
        description="Most credit per calendar year across all schemes, e.g. 100000 EUR.",
    )

    @model_validator(mode="after")
    def _some(self) -> AggregateCaps:
        if self.per_period is None and self.per_year is None:
            raise problem(
                "caps",
                "caps declares no cap",
                "write per_period, per_year or both, e.g. {per_period: 20000 EUR}",
            )
        if (
            self.per_period is not None
            and self.per_year is not None
            and self.per_period.currency != self.per_year.currency
        ):
            raise problem(
                "caps",
                f"per_period is in {self.per_period.currency}, per_year in "
                f"{self.per_year.currency}",
                "write both caps in the currency of the credit schemes' basis",
                ("per_year",),
            )
        return self

    def limits(self) -> list[tuple[str, Money]]:
        """The declared caps, per period first, as (name, amount)."""
        found = [("per_period", self.per_period), ("per_year", self.per_year)]
        return [(name, cap) for name, cap in found if cap is not None]


class Remedies(Spec):
    """What follows failure: credits, chronic-failure clauses, the claim window."""

    claim_window: DurationField = Field(
        description="Time after a window's report within which credits must be claimed."
    )
    credits: list[CreditScheme] = Field(default_factory=list, description="Credit schemes.")
    chronic: list[ChronicFailure] = Field(default_factory=list, description="Chronic clauses.")
    caps: AggregateCaps | None = Field(
        default=None,
        description="Caps on all credit schemes together, per period and per year; applied "
        "when credits are booked, after each scheme's own cap.",
    )
    sole_remedy: bool = Field(
        default=False, description="Whether credits are the consumer's only remedy."
    )
    payment: Literal["invoice_deduction", "refund", "service_extension"] = Field(
        default="invoice_deduction", description="How credits are paid."
    )
