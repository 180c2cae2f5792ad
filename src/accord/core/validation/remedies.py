"""Checks of credit schemes, tiers and chronic-failure clauses."""

from __future__ import annotations

from collections.abc import Iterator

from accord.core.model import Agreement
from accord.core.model.measurement import Direction, Indicator
from accord.core.model.objectives import Objective
from accord.core.problems import DocPath
from accord.core.remedies.spec import CreditScheme, CreditTier
from accord.core.units import Money
from accord.core.validation.refs import Finding, Refs
from accord.core.validation.values import (
    comparable,
    kind_mismatch,
    measure_kind,
    sort_key,
    value_kind_of,
)

__all__ = ["check_remedies"]


def check_remedies(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    remedies = agreement.remedies
    if remedies is None:
        return
    for index, scheme in enumerate(remedies.credits):
        path: DocPath = ("remedies", "credits", index)
        for position, objective_id in enumerate(scheme.objectives):
            yield from refs.missing(
                (*path, "objectives", position), "objective", objective_id, refs.objectives
            )
        yield from _tiers(scheme, path, refs)
    yield from _caps(agreement)
    for index, clause in enumerate(remedies.chronic):
        for position, objective_id in enumerate(clause.objectives):
            yield from refs.missing(
                ("remedies", "chronic", index, "objectives", position),
                "objective",
                objective_id,
                refs.objectives,
            )


def _caps(agreement: Agreement) -> Iterator[Finding]:
    """Caps across schemes add up credits: they and every scheme's basis share a currency."""
    remedies = agreement.remedies
    if remedies is None or remedies.caps is None:
        return
    paying = [(f"scheme {s.id!r}", s.basis) for s in remedies.credits]
    paying += [(f"chronic clause {c.id!r}", c.credit) for c in remedies.chronic if c.credit]
    paying += [
        (f"the consistency rule of {o.id!r}", o.consistency.credit)
        for o in agreement.objectives
        if o.consistency is not None and o.consistency.credit is not None
    ]
    for name, cap in remedies.caps.limits():
        for what, money in paying:
            if money.currency != cap.currency:
                yield Finding(
                    ("remedies", "caps", name),
                    f"cap {cap} is in {cap.currency}, {what} pays in {money.currency}",
                    "caps add up every credit: write them all in the cap's currency",
                )
                return


def _tiers(scheme: CreditScheme, path: DocPath, refs: Refs) -> Iterator[Finding]:
    if isinstance(scheme.cap, Money) and scheme.cap.currency != scheme.basis.currency:
        yield Finding(
            (*path, "cap"),
            f"cap {scheme.cap} is in {scheme.cap.currency}, basis in {scheme.basis.currency}",
            "write the cap in the basis currency, or as a percentage of the basis",
        )
        return
    previous: CreditTier | None = None
    for index, tier in enumerate(scheme.tiers):
        tier_path = (*path, "tiers", index)
        if isinstance(tier.credit, Money) and tier.credit.currency != scheme.basis.currency:
            yield Finding(
                (*tier_path, "credit"),
                f"credit {tier.credit} is in {tier.credit.currency}, basis in "
                f"{scheme.basis.currency}",
                "write the credit in the basis currency, or as a percentage of the basis",
            )
            continue
        # A tier above the cap is valid: the cap clips it (10% / 30% / 100% tiers under a
        # negotiated 50% cap are common).
        amount = scheme.tier_amount(tier)
        if previous is not None and amount.amount <= scheme.tier_amount(previous).amount:
            yield Finding(
                (*tier_path, "credit"),
                f"tier {index + 1} credit {tier.credit} is not more than tier {index} credit "
                f"{previous.credit}; credits must grow as performance worsens",
                "order tiers from the mildest failure to the worst, with rising credits",
            )
        previous = tier
    for objective_id in dict.fromkeys(scheme.objectives):
        objective = refs.objectives.get(objective_id)
        indicator = refs.indicators.get(objective.indicator) if objective else None
        if objective is not None and indicator is not None:
            yield from _tiers_against(scheme, objective, indicator, refs, path)


def _tiers_against(
    scheme: CreditScheme,
    objective: Objective,
    indicator: Indicator,
    refs: Refs,
    path: DocPath,
) -> Iterator[Finding]:
    kind = value_kind_of(indicator, refs.sources.get(indicator.source))
    day = refs.day_of(indicator)
    side = "below" if indicator.direction() is Direction.HIGHER_IS_BETTER else "above"
    keys = []
    for index, tier in enumerate(scheme.tiers):
        tier_path = (*path, "tiers", index)
        if getattr(tier, side) is None:
            better = "higher" if side == "below" else "lower"
            yield Finding(
                tier_path,
                f"objective {objective.id!r} needs tiers written with {side!r}",
                f"for it {better} values are better: write e.g. {{{side}: "
                f"{objective.target}, credit: 5%}}",
            )
            return
        if measure_kind(tier.threshold) is not kind:
            yield kind_mismatch((*tier_path, side), side, tier.threshold, objective.indicator, kind)
            return
        keys.append(sort_key(tier.threshold, day))
    if not comparable(*keys):
        return  # business against wall-clock time: the clock check says which to write
    yield from _tier_order(scheme, side, keys, path)
    target = sort_key(objective.target, day)
    matching = measure_kind(objective.target) is kind and comparable(target, keys[0])
    if matching and _worse(side, target, keys[0]):
        yield Finding(
            (*path, "tiers", 0, side),
            f"tier threshold {scheme.tiers[0].threshold} is better than the target "
            f"{objective.target} of {objective.id!r}: a met objective would earn credits",
            f"start the first tier at the target: {side}: {objective.target}",
        )


def _worse(side: str, a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Whether ``a`` is a worse value than ``b`` for tiers written with ``side``."""
    return a < b if side == "below" else a > b


def _tier_order(
    scheme: CreditScheme, side: str, keys: list[tuple[object, ...]], path: DocPath
) -> Iterator[Finding]:
    tiers = scheme.tiers
    for index in range(1, len(keys)):
        if not _worse(side, keys[index], keys[index - 1]):
            yield Finding(
                (*path, "tiers", index, side),
                f"tier {index + 1} threshold {tiers[index].threshold} is not worse than tier "
                f"{index} threshold {tiers[index - 1].threshold}",
                "order tiers from the mildest failure to the worst, each threshold further "
                "from the target",
            )
