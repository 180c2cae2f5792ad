"""Sentences about the measurable part of an agreement: indicators, objectives, credits.

The executive summary, the body and the appendix all take their wording from here, so a
promise reads the same wherever it appears.
"""

from __future__ import annotations

from decimal import Decimal
from functools import singledispatch

from accord.core.model import Agreement
from accord.core.model.measurement import (
    BusinessDurationIndicator,
    BusinessGaugeIndicator,
    FirstContactResolutionIndicator,
    IndicatorBase,
    MeanTimeIndicator,
    PercentileIndicator,
    RatioIndicator,
    SurveyScoreIndicator,
    ThresholdIndicator,
    TimesliceIndicator,
)
from accord.core.model.objectives import Objective, WindowKind
from accord.core.remedies.spec import ChronicFailure, CreditScheme, CreditTier
from accord.core.units import Money, Percentage, format_decimal
from accord.reports.document import Code, Inline, Span, Strong
from accord.reports.phrasing import (
    band_of,
    calendar_name,
    indicator_of,
    join_words,
    show_measure,
)

__all__ = [
    "chronic_sentence",
    "claim_sentence",
    "credit_amount",
    "credit_sentence",
    "full_stop",
    "measured_as",
    "objective_sentence",
    "ordinal",
    "tier_condition",
    "window_phrase",
    "words_of",
]


def ordinal(number: Decimal) -> str:
    """99 → '99th', 1 → '1st', 99.9 → '99.9th'."""
    text = format_decimal(number)
    if "." in text:
        return f"{text}th"
    value = int(text)
    if value % 100 in (11, 12, 13):
        return f"{text}th"
    return text + {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")


@singledispatch
def measured_as(indicator: IndicatorBase, agreement: Agreement) -> Inline:
    """What an indicator measures, in words a non-engineer can follow: the kind's own words
    unless a more elaborate sentence is registered here."""
    return indicator.in_words()


@measured_as.register
def _ratio(indicator: RatioIndicator, agreement: Agreement) -> Inline:
    good = ("the share of events where ", Code(indicator.good.text), " among ")
    if indicator.valid is None:
        return (*good, "all events")
    return (*good, "events where ", Code(indicator.valid.text))


@measured_as.register
def _threshold(indicator: ThresholdIndicator, agreement: Agreement) -> str:
    limit = "at or below" if indicator.inclusive else "below"
    return f"the share of events whose {indicator.measure} is {limit} {indicator.threshold}"


@measured_as.register
def _percentile(indicator: PercentileIndicator, agreement: Agreement) -> str:
    return f"the {ordinal(indicator.percentile)} percentile of {indicator.measure}"


@measured_as.register
def _timeslice(indicator: TimesliceIndicator, agreement: Agreement) -> str:
    return (
        f"the share of periods of {indicator.slice} in which at least {indicator.slice_target} "
        f"of events succeed (periods without traffic count as {indicator.no_traffic})"
    )


@measured_as.register
def _business_duration(indicator: BusinessDurationIndicator, agreement: Agreement) -> str:
    clock = (
        f"the business time ({calendar_name(agreement, indicator.calendar)}) from "
        f"{indicator.start} to {indicator.end}"
    )
    if indicator.pauses:
        clock += f", not counting time in {join_words(indicator.pauses.states, 'or')}"
    if indicator.statistic == "within":
        return f"the share of tickets for which {clock} is at most {indicator.threshold}"
    if indicator.statistic == "percentile" and indicator.percentile is not None:
        return f"the {ordinal(indicator.percentile)} percentile of {clock}"
    return f"the {indicator.statistic} of {clock}"


@measured_as.register
def _mean_time(indicator: MeanTimeIndicator, agreement: Agreement) -> str:
    return f"the {indicator.statistic} time from {indicator.start} to {indicator.end}"


@measured_as.register
def _first_contact(indicator: FirstContactResolutionIndicator, agreement: Agreement) -> str:
    return "the share of resolved tickets that were resolved in the first contact"


@measured_as.register
def _survey(indicator: SurveyScoreIndicator, agreement: Agreement) -> str:
    scale = f"{format_decimal(indicator.scale_min)}–{format_decimal(indicator.scale_max)}"
    if indicator.method == "nps":
        return "the Net Promoter Score: % of responses scoring 9–10 minus % scoring 0–6"
    if indicator.method == "share_satisfied" and indicator.satisfied_at_least is not None:
        least = format_decimal(indicator.satisfied_at_least)
        return f"the share of survey responses scoring {least} or more on a {scale} scale"
    return f"the mean survey score on a {scale} scale"


@measured_as.register
def _gauge(indicator: BusinessGaugeIndicator, agreement: Agreement) -> str:
    better = "higher" if indicator.better == "higher" else "lower"
    return (
        f"the sum of {indicator.numerator} divided by the sum of {indicator.denominator} "
        f"({better} is better)"
    )


def words_of(identifier: str) -> str:
    """'order_intake' → 'order intake'."""
    return identifier.replace("_", " ")


def window_phrase(objective: Objective) -> str:
    """'each calendar month' or 'over any 7 consecutive days'."""
    if objective.window.kind is WindowKind.ROLLING:
        return f"over any {objective.window.days} consecutive days"
    return objective.window.describe()


def _spread(value: Percentage | object) -> str:
    if isinstance(value, Percentage):
        return f"{format_decimal(value.percent)} percentage points"
    return show_measure(value) if isinstance(value, Decimal) else str(value)


def objective_sentence(agreement: Agreement, objective: Objective) -> tuple[Span, ...]:
    """'Authorisation availability of at least 99.95% each calendar month per region;
    99.90% to below 99.95% is a deviation, below 99.90% a breach.'"""
    indicator = indicator_of(agreement, objective)
    band = band_of(objective, indicator.direction())
    head = f"{indicator.name} of {band.promise} {window_phrase(objective)}"
    if objective.scope:
        head += f" per {join_words(words_of(dimension) for dimension in objective.scope)}"
    if objective.during:
        peak = next((p for p in agreement.peak_periods if p.id == objective.during), None)
        head += f" during {(peak.name or peak.id) if peak else objective.during}"
    parts: list[Span] = [head]
    if objective.where is not None:
        parts += [", counting only events where ", Code(objective.where.text)]
    tail = f"; {band.sentence()}"
    if objective.consistency is not None:
        tail += (
            f"; the best and worst {words_of(objective.consistency.across)} may differ by at most "
            f"{_spread(objective.consistency.max_spread)}"
        )
    parts.append(tail + ".")
    return tuple(parts)


def tier_condition(tier: CreditTier) -> str:
    """'below 99.95%' or 'above 1500 milliseconds'."""
    side = "below" if tier.below is not None else "above"
    return f"{side} {show_measure(tier.threshold)}"


def credit_amount(scheme: CreditScheme, tier: CreditTier) -> str:
    """'5% (2,000.00 EUR)' for a share of the basis, '500.00 EUR' for a fixed amount."""
    if isinstance(tier.credit, Money):
        return str(tier.credit)
    return f"{tier.credit} ({scheme.tier_amount(tier)})"


def _cap(scheme: CreditScheme) -> str:
    if isinstance(scheme.cap, Money):
        return str(scheme.cap)
    return f"{scheme.cap} of the {scheme.basis_description} ({scheme.cap_amount()})"


def _objective_names(agreement: Agreement, objective_ids: list[str]) -> str:
    names = {objective.id: objective.name for objective in agreement.objectives}
    return join_words(names.get(objective_id, objective_id) for objective_id in objective_ids)


def credit_sentence(agreement: Agreement, scheme: CreditScheme) -> tuple[Span, ...]:
    """Who credits whom, how much for each tier, and the cap, in money."""
    tiers = join_words(
        f"{credit_amount(scheme, tier)} {tier_condition(tier)}" for tier in scheme.tiers
    )
    provider, consumer = agreement.provider().name, agreement.consumer().name
    shares = any(isinstance(tier.credit, Percentage) for tier in scheme.tiers)
    basis = f" a share of the {scheme.basis_description} ({scheme.basis})" if shares else ""
    return (
        Strong(_objective_names(agreement, scheme.objectives)),
        f": {provider} credits {consumer}{basis}: {tiers}. "
        f"The worst tier reached applies, and credits are capped at {_cap(scheme)} per window.",
    )


def chronic_sentence(agreement: Agreement, clause: ChronicFailure) -> tuple[Span, ...]:
    """'Chronic failure (3 breaches of … within 6 consecutive windows): <consequence>'."""
    names = _objective_names(agreement, clause.objectives)
    return (
        Strong("Chronic failure"),
        f" ({clause.breaches} breaches of {names} within {clause.within_windows} "
        f"consecutive windows): {full_stop(clause.consequence)}",
    )


def full_stop(text: str) -> str:
    """The text ending with a full stop (or the punctuation it already has)."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "!", "?")) else f"{stripped}."


_PAYMENT = {
    "invoice_deduction": "deducted from the next invoice",
    "refund": "refunded",
    "service_extension": "given as an extension of the service",
}


def claim_sentence(agreement: Agreement) -> str:
    """The claim window, how credits are paid and whether they are the sole remedy."""
    remedies = agreement.remedies
    if remedies is None:
        return "The agreement names no service credits."
    text = (
        f"{agreement.consumer().name} must claim credits within "
        f"{remedies.claim_window} after the window's report; credits are "
        f"{_PAYMENT[remedies.payment]}."
    )
    if remedies.sole_remedy:
        text += " Service credits are the sole remedy for missed objectives."
    return text
