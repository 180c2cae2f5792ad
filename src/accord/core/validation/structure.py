"""Checks of parties, term, sources, indicators, objectives and exclusions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from accord.core.calendars.spec import ALWAYS
from accord.core.expressions import Predicate
from accord.core.model import Agreement
from accord.core.model.measurement import (
    BusinessDurationIndicator,
    ColumnType,
    Direction,
    Indicator,
    PercentileIndicator,
    Source,
    SourceKind,
    ThresholdIndicator,
)
from accord.core.model.objectives import Objective
from accord.core.problems import DocPath, Severity
from accord.core.units import Duration
from accord.core.validation.refs import DayLength, Finding, Refs, a_or_an, duplicates
from accord.core.validation.values import (
    comparable,
    kind_mismatch,
    measure_kind,
    sort_key,
    value_kind_of,
)

__all__ = [
    "check_exclusions",
    "check_indicators",
    "check_objectives",
    "check_parties",
    "check_sources",
    "check_term",
    "check_unique_ids",
]


def check_unique_ids(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
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
        yield from duplicates(section, ids)
    for index, calendar in enumerate(agreement.calendars):
        if calendar.id == ALWAYS:
            yield Finding(
                ("calendars", index, "id"),
                f"calendar id {ALWAYS!r} is built in (every minute counts)",
                "choose another id",
            )
    if agreement.remedies:
        yield from duplicates("remedies.credits", [c.id for c in agreement.remedies.credits])
    del refs


def check_parties(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    roles = [str(party.role) for party in agreement.parties]
    consumers = [index for index, role in enumerate(roles) if role == "consumer"]
    if not consumers:
        yield Finding(
            ("parties",),
            "an agreement has exactly one consumer; found none",
            "set role: consumer on the party that receives the service",
        )
    for index in consumers[1:]:
        first, again = agreement.parties[consumers[0]].id, agreement.parties[index].id
        yield Finding(
            ("parties", index, "role"),
            f"party {again!r} is a second consumer (after {first!r}); "
            "an agreement has exactly one consumer",
            f"give {again!r} another role: provider, subcontractor, auditor or other",
        )
    if "provider" not in roles:
        yield Finding(
            ("parties",),
            "an agreement needs a provider; no party has role provider",
            "set role: provider on the party that delivers the service",
        )
    del refs


def check_term(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    term = agreement.term
    if term.end is not None and term.end <= term.effective:
        yield Finding(
            ("term", "end"),
            f"the term ends ({term.end}) on or before it starts ({term.effective})",
            "set 'end' to the last day of the initial term, after 'effective'",
        )
    if term.duration is not None and term.duration.amount == 0:
        yield Finding(
            ("term", "duration"),
            f"the term has no length ({term.duration})",
            "e.g. duration: 24 months",
        )
    renewal = term.renewal
    if renewal.mode == "auto" and renewal.period is None:
        yield Finding(
            ("term", "renewal"), "automatic renewal needs a 'period'", "add e.g. period: 12 months"
        )
    if term.duration is not None and renewal.notice.comparable_key > term.duration.comparable_key:
        yield Finding(
            ("term", "renewal", "notice"),
            f"renewal notice ({renewal.notice}) is longer than the term ({term.duration})",
            "shorten the notice so that it can be given during the term",
            severity=Severity.WARNING,
        )
    del refs


_DENSE = {SourceKind.EVENTS, SourceKind.PROBES}


def check_sources(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    for index, source in enumerate(agreement.sources):
        path: DocPath = ("sources", index)
        yield from refs.missing((*path, "owner"), "party", source.owner, refs.parties)
        if source.expected_on is None:
            continue
        if source.kind not in _DENSE:
            yield Finding(
                (*path, "expected_on"),
                f"expected_on applies to events and probes, not to {a_or_an(source.kind)} source",
                "every row of a sparse source counts; remove expected_on",
            )
        yield from refs.missing(
            (*path, "expected_on"), "calendar", source.expected_on, refs.calendars
        )


_NUMERIC = {ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.DURATION}


def check_indicators(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    for index, indicator in enumerate(agreement.indicators):
        path: DocPath = ("indicators", index)
        source = refs.sources.get(indicator.source)
        if source is None:
            yield from refs.missing((*path, "source"), "source", indicator.source, refs.sources)
            continue
        for name, column in _column_references(indicator):
            if column not in source.columns:
                yield Finding(
                    (*path, name),
                    f"column {column!r} is not in source {source.id!r}",
                    f"columns of {source.id}: {', '.join(sorted(source.columns))}",
                )
        yield from _indicator_kind_checks(indicator, source, path, refs)


def _column_references(indicator: Indicator) -> Iterator[tuple[str, str]]:
    """Each field of an indicator that names columns, with every column it names."""
    for name in type(indicator).model_fields:
        value = getattr(indicator, name)
        if isinstance(value, Predicate):
            for column in sorted(value.columns):
                yield name, column
        elif name in _COLUMN_FIELDS and isinstance(value, str):
            yield name, value


#: Indicator fields whose value is the logical name of one column of the source.
_COLUMN_FIELDS = frozenset(
    {"measure", "start", "end", "contacts", "score", "numerator", "denominator"}
)


def _indicator_kind_checks(
    indicator: Indicator, source: Source, path: DocPath, refs: Refs
) -> Iterator[Finding]:
    if isinstance(indicator, (ThresholdIndicator, PercentileIndicator)):
        column = source.columns.get(indicator.measure)
        if column is not None and column.type not in _NUMERIC:
            yield Finding(
                (*path, "measure"),
                f"measure {indicator.measure!r} is {a_or_an(column.type)} column, not a number",
                "measure a column of type integer, number or duration",
            )
        if isinstance(indicator, ThresholdIndicator) and column is not None:
            is_duration = column.type is ColumnType.DURATION
            if is_duration != isinstance(indicator.threshold, Duration):
                wanted = "a duration such as '300ms'" if is_duration else "a plain number"
                yield Finding(
                    (*path, "threshold"),
                    f"threshold {indicator.threshold} must be {wanted}, like its measure "
                    f"{indicator.measure!r}",
                    f"write it as {wanted}",
                )
    if isinstance(indicator, BusinessDurationIndicator):
        yield from refs.missing((*path, "calendar"), "calendar", indicator.calendar, refs.calendars)
        for name in ("start", "end"):
            column = source.columns.get(getattr(indicator, name))
            if column is not None and column.type is not ColumnType.TIMESTAMP:
                yield Finding(
                    (*path, name),
                    f"{name} column {getattr(indicator, name)!r} is {a_or_an(column.type)} column, "
                    "not a timestamp",
                    "name a column of type timestamp",
                )
        if indicator.pauses is not None:
            yield from _pause_checks(indicator, source, path, refs)


def _pause_checks(
    indicator: BusinessDurationIndicator, source: Source, path: DocPath, refs: Refs
) -> Iterator[Finding]:
    assert indicator.pauses is not None
    pause_path = (*path, "pauses", "source")
    pauses = refs.sources.get(indicator.pauses.source)
    if pauses is None:
        yield from refs.missing(pause_path, "source", indicator.pauses.source, refs.sources)
        return
    if pauses.kind is not SourceKind.STATUS_CHANGES:
        yield Finding(
            pause_path,
            f"source {pauses.id!r} is {a_or_an(pauses.kind)} source, not status_changes",
            "pause the clock from a source of kind status_changes",
        )
    if source.key is None or pauses.key is None:
        yield Finding(
            pause_path,
            "pauses need a 'key' on both the ticket source and the status source",
            "e.g. key: ticket_id on both sources",
        )
    if indicator.pauses.status not in pauses.columns:
        yield Finding(
            (*path, "pauses", "status"),
            f"column {indicator.pauses.status!r} is not in source {pauses.id!r}",
            f"columns of {pauses.id}: {', '.join(sorted(pauses.columns))}",
        )


def check_objectives(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
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
    objective: Objective, indicator: Indicator, path: DocPath, refs: Refs
) -> Iterator[Finding]:
    source = refs.sources.get(indicator.source)
    kind = value_kind_of(indicator, source)
    mismatched = [
        kind_mismatch((*path, name), name, getattr(objective, name), indicator.id, kind)
        for name in ("target", "tolerance")
        if measure_kind(getattr(objective, name)) is not kind
    ]
    if mismatched:
        yield from mismatched
        return
    yield from _band(objective, indicator.direction(), path, refs.day_of(indicator))
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
            yield Finding(
                (*path, "where"),
                f"column {column!r} is not in source {source.id!r}",
                f"columns of {source.id}: {', '.join(sorted(known))}",
            )
    if objective.consistency is not None:
        if objective.consistency.across not in objective.scope:
            yield Finding(
                (*path, "consistency", "across"),
                f"consistency across {objective.consistency.across!r} needs it in the scope",
                f"add {objective.consistency.across!r} to scope",
            )
        if measure_kind(objective.consistency.max_spread) is not kind:
            yield kind_mismatch(
                (*path, "consistency", "max_spread"),
                "max_spread",
                objective.consistency.max_spread,
                indicator.id,
                kind,
            )


def _band(
    objective: Objective, direction: Direction, path: DocPath, day: DayLength | None
) -> Iterator[Finding]:
    target, tolerance = sort_key(objective.target, day), sort_key(objective.tolerance, day)
    if not comparable(target, tolerance):
        return  # business against wall-clock time: the clock check says which to write
    if direction is Direction.HIGHER_IS_BETTER and tolerance > target:
        yield Finding(
            (*path, "tolerance"),
            f"tolerance {objective.tolerance} is above the target {objective.target}; for an "
            "indicator where higher is better the tolerance must be at or below the target",
            f"set the tolerance at or below {objective.target}: it is the worst value still "
            "counted as a deviation rather than a breach",
        )
    if direction is Direction.LOWER_IS_BETTER and tolerance < target:
        yield Finding(
            (*path, "tolerance"),
            f"tolerance {objective.tolerance} is below the target {objective.target}; for an "
            "indicator where lower is better the tolerance must be at or above the target",
            f"set the tolerance at or above {objective.target}: it is the worst value still "
            "counted as a deviation rather than a breach",
        )


def check_exclusions(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    for index, exclusion in enumerate(agreement.exclusions):
        path: DocPath = ("exclusions", index)
        yield from refs.missing((*path, "source"), "source", exclusion.source, refs.sources)
        source = refs.sources.get(exclusion.source or "")
        if source is None:
            continue
        known = set(source.columns)
        named: list[tuple[DocPath, str]] = [
            ((*path, "where"), column)
            for column in sorted(exclusion.where.columns if exclusion.where else ())
        ]
        if exclusion.ends is not None:
            named.append(((*path, "ends"), exclusion.ends))
        named += [((*path, "match", i), column) for i, column in enumerate(exclusion.match)]
        for at, column in named:
            if column not in known:
                yield Finding(
                    at,
                    f"column {column!r} is not in source {source.id!r}",
                    f"columns of {source.id}: {', '.join(sorted(known))}",
                )
