"""Checks of meaning that types alone cannot express: references, bands, tiers, clocks.

Each check yields ``Finding``s with a path inside the document; the loader places them
at a line and column. Checks never stop at the first finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accord.core.model import Agreement
from accord.core.model.calendars import ALWAYS
from accord.core.model.measurement import (
    BusinessDurationIndicator,
    ColumnType,
    Direction,
    Indicator,
    PercentileIndicator,
    Source,
    SourceKind,
    ThresholdIndicator,
    ValueKind,
)
from accord.core.model.objectives import CreditScheme, Objective
from accord.core.problems import DocPath, Severity
from accord.core.units import Duration, Money, Percentage

__all__ = ["Finding", "check_agreement", "value_kind_of"]


@dataclass(frozen=True)
class Finding:
    path: DocPath
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR


class _Refs:
    """The identifiers defined in an agreement, for reference checks."""

    def __init__(self, agreement: Agreement, tolerated: frozenset[str]) -> None:
        self.tolerated = tolerated
        self.parties = {party.id for party in agreement.parties}
        self.stages = {stage.id for stage in agreement.journey}
        self.calendars = {calendar.id for calendar in agreement.calendars} | {ALWAYS}
        self.peaks = {peak.id for peak in agreement.peak_periods}
        self.sources = {source.id: source for source in agreement.sources}
        self.indicators = {indicator.id: indicator for indicator in agreement.indicators}
        self.objectives = {objective.id: objective for objective in agreement.objectives}
        self.exclusions = {exclusion.id for exclusion in agreement.exclusions}
        self.ladders = {ladder.id for ladder in agreement.escalation}
        self.severities = (
            {severity.id for severity in agreement.incidents.severities}
            if agreement.incidents
            else set()
        )

    def missing(
        self, path: DocPath, kind: str, ref: str | None, known: Iterable[str]
    ) -> Iterator[Finding]:
        """A finding when ``ref`` names nothing of ``kind`` (tolerating broken definitions)."""
        names = set(known)
        if ref is None or ref in names or ref in self.tolerated:
            return
        hint = f"known {kind}s: {', '.join(sorted(names))}" if names else f"define the {kind} first"
        yield Finding(path, f"unknown {kind} {ref!r}", hint)


def check_agreement(
    agreement: Agreement, *, tolerated_ids: frozenset[str] = frozenset()
) -> list[Finding]:
    """All meaning problems of an agreement."""
    refs = _Refs(agreement, tolerated_ids)
    checks = (
        _unique_ids,
        _parties,
        _term,
        _sources,
        _indicators,
        _objectives,
        _exclusions,
        _remedies,
        _responsibilities,
        _escalation,
        _incidents,
        _other_references,
    )
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check(agreement, refs))
    return findings


def _duplicates(section: str, ids: Sequence[str]) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            yield Finding((section, index, "id"), f"duplicate id {item_id!r} in {section}")
        seen.add(item_id)


def _unique_ids(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    sections: dict[str, Sequence[str]] = {
        "parties": [p.id for p in agreement.parties],
        "journey": [s.id for s in agreement.journey],
        "calendars": [c.id for c in agreement.calendars],
        "peak_periods": [p.id for p in agreement.peak_periods],
        "sources": [s.id for s in agreement.sources],
        "indicators": [i.id for i in agreement.indicators],
        "objectives": [o.id for o in agreement.objectives],
        "exclusions": [e.id for e in agreement.exclusions],
        "escalation": [e.id for e in agreement.escalation],
        "commitments": [c.id for c in agreement.commitments],
    }
    for section, ids in sections.items():
        yield from _duplicates(section, ids)
    for index, calendar in enumerate(agreement.calendars):
        if calendar.id == ALWAYS:
            yield Finding(
                ("calendars", index, "id"), f"{ALWAYS!r} is built in", "choose another id"
            )
    if agreement.remedies:
        yield from _duplicates("remedies.credits", [c.id for c in agreement.remedies.credits])
    del refs


def _parties(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    roles = [str(party.role) for party in agreement.parties]
    if roles.count("consumer") != 1:
        yield Finding(
            ("parties",),
            f"an agreement has exactly one consumer; found {roles.count('consumer')}",
            "set role: consumer on the party that receives the service",
        )
    if "provider" not in roles:
        yield Finding(("parties",), "an agreement needs a provider", "set role: provider")
    del refs


def _term(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    term = agreement.term
    if term.end is not None and term.end <= term.effective:
        yield Finding(
            ("term", "end"),
            f"the term ends ({term.end}) on or before it starts ({term.effective})",
        )
    if term.duration is not None and term.duration.amount == 0:
        yield Finding(("term", "duration"), "the term has no length")
    renewal = term.renewal
    if renewal.mode == "auto" and renewal.period is None:
        yield Finding(
            ("term", "renewal"), "automatic renewal needs a 'period'", "e.g. period: 12 months"
        )
    if term.duration is not None and renewal.notice.comparable_key > term.duration.comparable_key:
        yield Finding(
            ("term", "renewal", "notice"),
            f"renewal notice ({renewal.notice}) is longer than the term ({term.duration})",
            severity=Severity.WARNING,
        )
    del refs


def _sources(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for index, source in enumerate(agreement.sources):
        yield from refs.missing(("sources", index, "owner"), "party", source.owner, refs.parties)


_NUMERIC = {ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.DURATION}


def _indicators(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for index, indicator in enumerate(agreement.indicators):
        path: DocPath = ("indicators", index)
        source = refs.sources.get(indicator.source)
        if source is None:
            yield from refs.missing((*path, "source"), "source", indicator.source, refs.sources)
            continue
        for column in sorted(indicator.columns_used() - set(source.columns)):
            yield Finding(
                path,
                f"column {column!r} is not in source {source.id!r}",
                f"columns of {source.id}: {', '.join(sorted(source.columns))}",
            )
        yield from _indicator_kind_checks(indicator, source, path, refs)


def _indicator_kind_checks(
    indicator: Indicator, source: Source, path: DocPath, refs: _Refs
) -> Iterator[Finding]:
    if isinstance(indicator, (ThresholdIndicator, PercentileIndicator)):
        column = source.columns.get(indicator.measure)
        if column is not None and column.type not in _NUMERIC:
            yield Finding((*path, "measure"), f"measure {indicator.measure!r} is not numeric")
        if isinstance(indicator, ThresholdIndicator) and column is not None:
            is_duration = column.type is ColumnType.DURATION
            if is_duration != isinstance(indicator.threshold, Duration):
                wanted = "a duration such as '300ms'" if is_duration else "a plain number"
                yield Finding((*path, "threshold"), f"the threshold must be {wanted}")
    if isinstance(indicator, BusinessDurationIndicator):
        yield from refs.missing((*path, "calendar"), "calendar", indicator.calendar, refs.calendars)
        for name in ("start", "end"):
            column = source.columns.get(getattr(indicator, name))
            if column is not None and column.type is not ColumnType.TIMESTAMP:
                yield Finding((*path, name), f"{name} column must be a timestamp")
        if indicator.pauses is not None:
            yield from _pause_checks(indicator, source, path, refs)


def _pause_checks(
    indicator: BusinessDurationIndicator, source: Source, path: DocPath, refs: _Refs
) -> Iterator[Finding]:
    assert indicator.pauses is not None
    pause_path = (*path, "pauses", "source")
    pauses = refs.sources.get(indicator.pauses.source)
    if pauses is None:
        yield from refs.missing(pause_path, "source", indicator.pauses.source, refs.sources)
        return
    if pauses.kind is not SourceKind.STATUS_CHANGES:
        yield Finding(pause_path, f"source {pauses.id!r} is not a status_changes source")
    if source.key is None or pauses.key is None:
        yield Finding(
            pause_path,
            "pauses need a 'key' on both the ticket source and the status source",
            "e.g. key: ticket_id on both sources",
        )
    if indicator.pauses.status not in pauses.columns:
        yield Finding(
            (*path, "pauses", "status"),
            f"column {indicator.pauses.status!r} is not in {pauses.id!r}",
        )


def value_kind_of(indicator: Indicator, source: Source | None) -> ValueKind:
    """What the indicator's values are; a percentile of a plain number is a number."""
    if isinstance(indicator, PercentileIndicator) and source is not None:
        column = source.columns.get(indicator.measure)
        if column is not None and column.type is not ColumnType.DURATION:
            return ValueKind.NUMBER
    return indicator.value_kind


_KIND_OF_VALUE = {
    Percentage: ValueKind.RATIO,
    Duration: ValueKind.DURATION,
    Decimal: ValueKind.NUMBER,
}
_EXAMPLES = {ValueKind.RATIO: "'99.9%'", ValueKind.DURATION: "'300ms'", ValueKind.NUMBER: "'4.2'"}


def _measure_kind(value: Percentage | Duration | Decimal) -> ValueKind:
    return _KIND_OF_VALUE[type(value)]


def _sort_key(value: Percentage | Duration | Decimal) -> tuple[object, ...]:
    if isinstance(value, Percentage):
        return (value.ratio,)
    if isinstance(value, Duration):
        return value.comparable_key
    return (value,)


def _objectives(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for index, objective in enumerate(agreement.objectives):
        path: DocPath = ("objectives", index)
        yield from refs.missing((*path, "stage"), "journey stage", objective.stage, refs.stages)
        yield from refs.missing((*path, "during"), "peak period", objective.during, refs.peaks)
        for position, exclusion in enumerate(objective.exclusions or []):
            yield from refs.missing(
                (*path, "exclusions", position), "exclusion", exclusion, refs.exclusions
            )
        indicator = refs.indicators.get(objective.indicator)
        if indicator is None:
            yield from refs.missing(
                (*path, "indicator"), "indicator", objective.indicator, refs.indicators
            )
            continue
        yield from _objective_against_indicator(objective, indicator, path, refs)


def _objective_against_indicator(
    objective: Objective, indicator: Indicator, path: DocPath, refs: _Refs
) -> Iterator[Finding]:
    source = refs.sources.get(indicator.source)
    kind = value_kind_of(indicator, source)
    for name in ("target", "tolerance"):
        value = getattr(objective, name)
        if _measure_kind(value) is not kind:
            yield Finding(
                (*path, name),
                f"{name} {value} is a {_measure_kind(value)}, but indicator "
                f"{indicator.id!r} measures a {kind}",
                f"write it like {_EXAMPLES[kind]}",
            )
            return
    yield from _band(objective, indicator.direction(), path)
    if source is not None:
        known = set(source.columns)
        for position, dimension in enumerate(objective.scope):
            if dimension not in known:
                yield Finding(
                    (*path, "scope", position),
                    f"scope {dimension!r} is not a column of source {source.id!r}",
                    f"columns: {', '.join(sorted(known))}",
                )
        for column in sorted((objective.where.columns if objective.where else set()) - known):
            yield Finding((*path, "where"), f"column {column!r} is not in source {source.id!r}")
    if objective.consistency is not None:
        if objective.consistency.across not in objective.scope:
            yield Finding(
                (*path, "consistency", "across"),
                f"consistency across {objective.consistency.across!r} needs it in the scope",
                f"add {objective.consistency.across!r} to scope",
            )
        if _measure_kind(objective.consistency.max_spread) is not kind:
            yield Finding(
                (*path, "consistency", "max_spread"),
                f"max_spread must be written like {_EXAMPLES[kind]}",
            )


def _band(objective: Objective, direction: Direction, path: DocPath) -> Iterator[Finding]:
    target, tolerance = _sort_key(objective.target), _sort_key(objective.tolerance)
    if direction is Direction.HIGHER_IS_BETTER and tolerance > target:
        yield Finding(
            (*path, "tolerance"),
            f"tolerance {objective.tolerance} is above the target {objective.target}; for an "
            "indicator where higher is better the tolerance must be at or below the target",
            "the tolerance is the worst value that is still only a deviation",
        )
    if direction is Direction.LOWER_IS_BETTER and tolerance < target:
        yield Finding(
            (*path, "tolerance"),
            f"tolerance {objective.tolerance} is below the target {objective.target}; for an "
            "indicator where lower is better the tolerance must be at or above the target",
            "the tolerance is the worst value that is still only a deviation",
        )


def _exclusions(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for index, exclusion in enumerate(agreement.exclusions):
        path: DocPath = ("exclusions", index)
        yield from refs.missing((*path, "source"), "source", exclusion.source, refs.sources)
        source = refs.sources.get(exclusion.source or "")
        if exclusion.where is not None and source is not None:
            for column in sorted(exclusion.where.columns - set(source.columns)):
                yield Finding((*path, "where"), f"column {column!r} is not in source {source.id!r}")


def _remedies(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
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
    for index, clause in enumerate(remedies.chronic):
        for position, objective_id in enumerate(clause.objectives):
            yield from refs.missing(
                ("remedies", "chronic", index, "objectives", position),
                "objective",
                objective_id,
                refs.objectives,
            )


def _tiers(scheme: CreditScheme, path: DocPath, refs: _Refs) -> Iterator[Finding]:
    cap = scheme.cap_amount()
    if isinstance(scheme.cap, Money) and scheme.cap.currency != scheme.basis.currency:
        yield Finding(
            (*path, "cap"), f"cap is in {scheme.cap.currency}, basis in {scheme.basis.currency}"
        )
        return
    previous: Money | None = None
    for index, tier in enumerate(scheme.tiers):
        tier_path = (*path, "tiers", index)
        if isinstance(tier.credit, Money) and tier.credit.currency != scheme.basis.currency:
            yield Finding((*tier_path, "credit"), "a tier's currency must match the basis")
            continue
        amount = scheme.tier_amount(tier)
        if amount.amount > cap.amount:
            yield Finding(
                (*tier_path, "credit"),
                f"credit {tier.credit} ({amount}) exceeds the cap {scheme.cap} ({cap})",
                "lower the tier or raise the cap",
            )
        if previous is not None and amount.amount <= previous.amount:
            yield Finding(
                (*tier_path, "credit"),
                f"credits must grow as performance worsens: tier {index + 1} ({tier.credit}) "
                f"is not more than tier {index} ",
                "order tiers from the mildest failure to the worst, with rising credits",
            )
        previous = amount
    for objective_id in scheme.objectives:
        objective = refs.objectives.get(objective_id)
        indicator = refs.indicators.get(objective.indicator) if objective else None
        if objective is not None and indicator is not None:
            yield from _tiers_against(scheme, objective, indicator.direction(), path)


def _tiers_against(
    scheme: CreditScheme, objective: Objective, direction: Direction, path: DocPath
) -> Iterator[Finding]:
    side = "below" if direction is Direction.HIGHER_IS_BETTER else "above"
    target_kind = _measure_kind(objective.target)
    keys = []
    for index, tier in enumerate(scheme.tiers):
        tier_path = (*path, "tiers", index)
        if getattr(tier, side) is None:
            yield Finding(
                tier_path,
                f"objective {objective.id!r} needs tiers written with {side!r}",
                f"for it {'higher' if side == 'below' else 'lower'} values are better",
            )
            return
        if _measure_kind(tier.threshold) is not target_kind:
            yield Finding(
                (*tier_path, side), f"tier threshold must be like the target {objective.target}"
            )
            return
        keys.append(_sort_key(tier.threshold))

    def worse(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
        return a < b if side == "below" else a > b

    for index in range(1, len(keys)):
        if not worse(keys[index], keys[index - 1]):
            yield Finding(
                (*path, "tiers", index, side),
                "tier thresholds must worsen from one tier to the next",
                "order tiers from the mildest failure to the worst",
            )
    if worse(_sort_key(objective.target), keys[0]):
        yield Finding(
            (*path, "tiers", 0, side),
            f"tier threshold {scheme.tiers[0].threshold} is better than the target "
            f"{objective.target} of {objective.id!r}: a met objective would earn credits",
        )


def _responsibilities(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for index, row in enumerate(agreement.responsibilities):
        path: DocPath = ("responsibilities", index)
        yield from refs.missing((*path, "stage"), "journey stage", row.stage, refs.stages)
        yield from refs.missing((*path, "accountable"), "party", row.accountable, refs.parties)
        for role in ("responsible", "consulted", "informed"):
            for position, party in enumerate(getattr(row, role)):
                yield from refs.missing((*path, role, position), "party", party, refs.parties)


def _escalation(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    for index, ladder in enumerate(agreement.escalation):
        for position, level in enumerate(ladder.levels):
            level_path: DocPath = ("escalation", index, "levels", position)
            yield from refs.missing((*level_path, "party"), "party", level.party, refs.parties)
            if level.within.amount == 0:
                yield Finding((*level_path, "within"), "a level needs time to act")


def _incidents(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    policy = agreement.incidents
    if policy is None:
        return
    yield from refs.missing(
        ("incidents", "escalation"), "escalation ladder", policy.escalation, refs.ladders
    )
    yield from _duplicates("incidents.severities", [s.id for s in policy.severities])
    for index, severity in enumerate(policy.severities):
        path: DocPath = ("incidents", "severities", index)
        yield from refs.missing((*path, "calendar"), "calendar", severity.calendar, refs.calendars)
        same_kind = severity.acknowledge.business == severity.resolve.business
        if same_kind and severity.acknowledge.comparable_key > severity.resolve.comparable_key:
            yield Finding(
                (*path, "acknowledge"),
                f"acknowledge ({severity.acknowledge}) is later than resolve ({severity.resolve})",
            )
    for position, severity_id in enumerate(policy.review.required_for):
        yield from refs.missing(
            ("incidents", "review", "required_for", position),
            "severity",
            severity_id,
            refs.severities,
        )


def _other_references(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    parties = refs.parties
    party_lists: list[tuple[DocPath, Sequence[str]]] = []
    if agreement.governance:
        party_lists.append((("governance", "participants"), agreement.governance.participants))
        party_lists.extend(
            (("governance", "reports", index, "recipients"), report.recipients)
            for index, report in enumerate(agreement.governance.reports)
        )
    if agreement.change_management:
        party_lists.append(
            (("change_management", "approval"), agreement.change_management.approval)
        )
    for path, names in party_lists:
        for position, party in enumerate(names):
            yield from refs.missing((*path, position), "party", party, parties)
    if agreement.data_handling:
        yield from refs.missing(
            ("data_handling", "processor"), "party", agreement.data_handling.processor, parties
        )
    if agreement.disputes:
        yield from refs.missing(
            ("disputes", "escalation"),
            "escalation ladder",
            agreement.disputes.escalation,
            refs.ladders,
        )
    for index, commitment in enumerate(agreement.commitments):
        yield from refs.missing(("commitments", index, "party"), "party", commitment.party, parties)
    yield from _support(agreement, refs)


def _support(agreement: Agreement, refs: _Refs) -> Iterator[Finding]:
    if agreement.support is None:
        return
    for index, channel in enumerate(agreement.support.channels):
        path: DocPath = ("support", "channels", index)
        yield from refs.missing((*path, "calendar"), "calendar", channel.calendar, refs.calendars)
        for position, severity in enumerate(channel.severities):
            yield from refs.missing(
                (*path, "severities", position), "severity", severity, refs.severities
            )
