"""Checks of responsibilities, escalation, incidents and the process sections."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from accord.core.model import Agreement
from accord.core.model.regimes import built_in_regimes
from accord.core.problems import DocPath
from accord.core.validation.refs import Finding, Refs, duplicates
from accord.core.validation.values import comparable, sort_key

__all__ = [
    "check_escalation",
    "check_incidents",
    "check_other_references",
    "check_responsibilities",
]


def check_responsibilities(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    for index, row in enumerate(agreement.responsibilities):
        path: DocPath = ("responsibilities", index)
        yield from refs.missing((*path, "stage"), "journey stage", row.stage, refs.stages)
        yield from refs.missing((*path, "accountable"), "party", row.accountable, refs.parties)
        for role in ("responsible", "consulted", "informed"):
            for position, party in enumerate(getattr(row, role)):
                yield from refs.missing((*path, role, position), "party", party, refs.parties)


def check_escalation(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    for index, ladder in enumerate(agreement.escalation):
        for position, level in enumerate(ladder.levels):
            level_path: DocPath = ("escalation", index, "levels", position)
            yield from refs.missing((*level_path, "party"), "party", level.party, refs.parties)
            if level.within.amount == 0:
                yield Finding(
                    (*level_path, "within"),
                    f"level {level.level} has no time to act ({level.within})",
                    "give it time before escalating, e.g. within: 30m",
                )


def check_incidents(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    policy = agreement.incidents
    if policy is None:
        return
    yield from refs.missing(
        ("incidents", "escalation"), "escalation ladder", policy.escalation, refs.ladders
    )
    yield from duplicates("incidents.severities", [s.id for s in policy.severities])
    for index, severity in enumerate(policy.severities):
        path: DocPath = ("incidents", "severities", index)
        yield from refs.missing((*path, "calendar"), "calendar", severity.calendar, refs.calendars)
        # On the severity's calendar: a business day is its working day, and on 24x7
        # business and wall-clock time are one.
        day = refs.days.get(severity.calendar)
        acknowledge = sort_key(severity.acknowledge, day)
        resolve = sort_key(severity.resolve, day)
        if comparable(acknowledge, resolve) and acknowledge > resolve:
            yield Finding(
                (*path, "acknowledge"),
                f"acknowledge ({severity.acknowledge}) is later than resolve ({severity.resolve})",
                "acknowledge within a shorter time than resolve",
            )
    for position, severity_id in enumerate(policy.review.required_for):
        yield from refs.missing(
            ("incidents", "review", "required_for", position),
            "severity",
            severity_id,
            refs.severities,
        )
    if policy.open_on is not None:
        yield from refs.missing(
            ("incidents", "open_on", "severity"),
            "severity",
            policy.open_on.severity,
            refs.severities,
        )
    yield from _regimes(agreement)


def _regimes(agreement: Agreement) -> Iterator[Finding]:
    policy = agreement.incidents
    assert policy is not None
    built_in = built_in_regimes()
    own = [regime.id for regime in policy.notice_regimes]
    yield from duplicates("incidents.notice_regimes", own)
    for index, regime_id in enumerate(own):
        if regime_id in built_in:
            yield Finding(
                ("incidents", "notice_regimes", index, "id"),
                f"{regime_id!r} is a built-in notice regime",
                "give the agreement's own regime another id",
            )
    known = [*built_in, *own]
    for index, regime_id in enumerate(policy.regimes):
        if regime_id not in known:
            yield Finding(
                ("incidents", "regimes", index),
                f"no notice regime {regime_id!r}",
                f"name one of {', '.join(known)}",
            )


def check_other_references(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
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
        party_lists.extend(
            (("change_management", "change_types", index, "approval"), kind.approval or [])
            for index, kind in enumerate(agreement.change_management.change_types)
        )
        yield from _change_types(agreement)
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
    if agreement.governance is not None:
        calendar = agreement.governance.calendar
        yield from refs.missing(("governance", "calendar"), "calendar", calendar, refs.calendars)


def _change_types(agreement: Agreement) -> Iterator[Finding]:
    changes = agreement.change_management
    assert changes is not None
    known = [kind.id for kind in changes.change_types]
    yield from duplicates("change_management.change_types", known)
    for index, freeze in enumerate(changes.freezes):
        for position, name in enumerate(freeze.change_types):
            if name not in known:
                yield Finding(
                    ("change_management", "freezes", index, "change_types", position),
                    f"no change type {name!r}",
                    f"change types: {', '.join(known) or 'none declared'}",
                )


def _support(agreement: Agreement, refs: Refs) -> Iterator[Finding]:
    if agreement.support is None:
        return
    for index, channel in enumerate(agreement.support.channels):
        path: DocPath = ("support", "channels", index)
        yield from refs.missing((*path, "calendar"), "calendar", channel.calendar, refs.calendars)
        for position, severity in enumerate(channel.severities):
            yield from refs.missing(
                (*path, "severities", position), "severity", severity, refs.severities
            )
