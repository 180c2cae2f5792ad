"""The body of the document, first half: parties and term, the customer journey, service
levels by journey stage, exclusions, remedies and responsibilities.

Each function returns a section, or ``None`` when the agreement has nothing for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from accord.core.calendars.spec import WEEKDAYS, Calendar, PeakPeriod
from accord.core.exclusions.spec import Exclusion, ExclusionKind
from accord.core.model import Agreement
from accord.core.model.governance import Responsibility
from accord.core.model.objectives import Objective
from accord.core.model.parties import RenewalMode, StageKind
from accord.reports.describe import (
    chronic_sentence,
    claim_sentence,
    credit_sentence,
    full_stop,
    objective_sentence,
    words_of,
)
from accord.reports.document import (
    Block,
    Bullets,
    Code,
    Facts,
    Inline,
    Paragraph,
    Section,
    Strong,
    Table,
)
from accord.reports.phrasing import join_words, party_name, party_names, show_date, term_end
from accord.reports.summary import contact_line, renewal_sentence, term_sentence

__all__ = [
    "exclusions_section",
    "journey_section",
    "parties_section",
    "remedies_section",
    "responsibilities_section",
    "service_levels_section",
]


_STAGE_KINDS = {
    StageKind.ORDER_INTAKE: "order intake",
    StageKind.INTEGRATION: "integration",
    StageKind.DELIVERY: "delivery",
    StageKind.INCIDENT_HANDLING: "incident handling",
    StageKind.FOLLOW_UP: "follow-up",
}


_RENEWAL = {RenewalMode.AUTO: "automatic", RenewalMode.MANUAL: "on request"}

_EXCLUSION_KINDS = {
    ExclusionKind.MAINTENANCE: "Announced maintenance",
    ExclusionKind.FORCE_MAJEURE: "Force majeure",
    ExclusionKind.CONSUMER_CAUSED: "Caused by the consumer",
}


def parties_section(agreement: Agreement) -> Section:
    parties = Table(
        ("Party", "Role", "Contacts"),
        tuple(
            (
                party.name + (f" (LEI {party.lei})" if party.lei else ""),
                str(party.role),
                "; ".join(contact_line(contact) for contact in party.contacts) or "—",
            )
            for party in agreement.parties
        ),
    )
    term = agreement.term
    end = term.end or (term_end(term.effective, term.duration) if term.duration else None)
    renewal = term.renewal
    facts = Facts.of(
        [
            ("Agreement", Code(agreement.metadata.id)),
            ("Version", agreement.metadata.version),
            ("Effective", show_date(term.effective)),
            ("Initial term", str(term.duration) if term.duration else None),
            ("End of initial term", show_date(end) if end else None),
            ("Renewal", _RENEWAL[renewal.mode] + (f", {renewal.period}" if renewal.period else "")),
            ("Renewal notice", str(renewal.notice)),
            ("Termination notice", str(term.termination_notice)),
            ("Governing law", term.governing_law),
            ("Time zone", agreement.timezone),
            *(
                (words_of(key).capitalize(), value)
                for key, value in sorted(agreement.metadata.labels.items())
            ),
        ]
    )
    return Section(
        "parties",
        "Parties and term",
        (parties, facts, Paragraph(f"{term_sentence(agreement)} {renewal_sentence(agreement)}")),
    )


def journey_section(agreement: Agreement) -> Section | None:
    if not agreement.journey:
        return None
    items: list[Inline] = []
    for stage in agreement.journey:
        kind = _STAGE_KINDS.get(stage.kind)
        text = f" ({kind})" if kind else ""
        if stage.description:
            text += f": {full_stop(stage.description)}"
        if stage.customer_outcome:
            text += f" Customer outcome: {full_stop(stage.customer_outcome)}"
        items.append((Strong(stage.name), text))
    lead = Paragraph("The agreement covers these stages of the customer journey:")
    return Section("journey", "Customer journey", (lead, Bullets.of(items)))


def _objective_item(agreement: Agreement, objective: Objective) -> Inline:
    parts: list[str | Code | Strong] = [
        Strong(objective.name),
        ": ",
        *objective_sentence(agreement, objective),
    ]
    if objective.description:
        parts.append(f" {full_stop(objective.description)}")
    if objective.exclusions is not None:
        names = {e.id: e.description for e in agreement.exclusions}
        applied = [names.get(e, e) for e in objective.exclusions]
        parts.append(
            f" Only these exclusions apply: {join_words(applied)}"
            if applied
            else " No exclusions apply."
        )
    if objective.minimum_events != 1:
        parts.append(
            f" A window with fewer than {objective.minimum_events} events is reported as "
            "insufficient data."
        )
    return tuple(parts)


def service_levels_section(agreement: Agreement) -> Section | None:
    if not agreement.objectives:
        return None
    groups: list[Section] = []
    for stage in agreement.journey:
        objectives = [o for o in agreement.objectives if o.stage == stage.id]
        if objectives:
            items = [_objective_item(agreement, o) for o in objectives]
            groups.append(Section(f"levels-{stage.id}", stage.name, (Bullets.of(items),)))
    known = {stage.id for stage in agreement.journey}
    rest = [o for o in agreement.objectives if o.stage not in known]
    if rest:
        items = [_objective_item(agreement, o) for o in rest]
        title = "Other objectives" if groups else "Objectives"
        groups.append(Section("levels-other", title, (Bullets.of(items),)))
    if agreement.calendars:
        groups.append(_calendars(agreement.calendars))
    if agreement.peak_periods:
        groups.append(_peak_periods(agreement.peak_periods))
    lead = Paragraph(
        "Objectives are grouped by the journey stage they serve. Definitions of each "
        "indicator, threshold and tolerance band are in the appendix."
    )
    return Section("service-levels", "Service levels", (lead,), tuple(groups))


def _hours(hours: Mapping[str, Sequence[object]]) -> str:
    """Working hours with runs of days that share their hours joined: 'mon–fri 09:00-17:00'."""
    runs: list[tuple[str, str, str]] = []
    previous = ""
    for day in WEEKDAYS:
        if day not in hours:
            previous = ""
            continue
        shown = ", ".join(str(item) for item in hours[day])
        if runs and previous == runs[-1][0] and runs[-1][2] == shown:
            runs[-1] = (day, runs[-1][1], shown)
        else:
            runs.append((day, day, shown))
        previous = day
    return "; ".join(
        f"{first}–{last} {shown}" if first != last else f"{first} {shown}"
        for last, first, shown in runs
    )


def _calendars(calendars: list[Calendar]) -> Section:
    rows = []
    for item in calendars:
        closed = []
        if item.holidays.country:
            region = item.holidays.country + (
                f"-{item.holidays.subdivision}" if item.holidays.subdivision else ""
            )
            closed.append(f"public holidays in {region}")
        closed += [show_date(day) for day in item.holidays.dates]
        rows.append(
            (
                item.name or item.id,
                item.timezone,
                _hours(item.hours),
                ", ".join(closed) or "—",
            )
        )
    table = Table(("Calendar", "Time zone", "Working hours", "Closed"), tuple(rows))
    lead = Paragraph(
        "Business hours are the working hours of a calendar in its time zone, without its "
        "closed days; business durations count only that time."
    )
    return Section("calendars", "Business calendars", (lead, table))


def _peak_periods(periods: list[PeakPeriod]) -> Section:
    rows = []
    for period in periods:
        dates = ", ".join(
            f"{show_date(r.start)} to {show_date(r.end)}"
            if r.end != r.start
            else show_date(r.start)
            for r in period.dates
        )
        hours = _hours(period.hours) if period.hours else "all day"
        rows.append((period.name or period.id, dates or "every day", hours, period.timezone))
    table = Table(("Peak period", "Dates", "Hours", "Time zone"), tuple(rows))
    return Section("peak-periods", "Peak periods", (table,))


def _exclusion_item(agreement: Agreement, exclusion: Exclusion) -> Inline:
    parts: list[str | Code | Strong] = [
        Strong(_EXCLUSION_KINDS[exclusion.kind]),
        f": {full_stop(exclusion.description)}",
    ]
    rules = [
        f"notice of at least {exclusion.notice}" if exclusion.notice else None,
        f"at most {exclusion.monthly_cap} per calendar month" if exclusion.monthly_cap else None,
        f"within {exclusion.window}" if exclusion.window else None,
    ]
    shown = [rule for rule in rules if rule]
    if shown:
        parts.append(f" Conditions: {'; '.join(shown)}.")
    if exclusion.source:
        parts += [" Recorded in the ", Code(exclusion.source), " data"]
        parts += [" where ", Code(exclusion.where.text), "."] if exclusion.where else ["."]
    return tuple(parts)


def exclusions_section(agreement: Agreement) -> Section | None:
    if not agreement.exclusions:
        return None
    lead = Paragraph(
        "Time and events covered by an exclusion do not count against the objectives, unless "
        "an objective lists the exclusions that apply to it."
    )
    items = [_exclusion_item(agreement, exclusion) for exclusion in agreement.exclusions]
    return Section("exclusions", "Exclusions", (lead, Bullets.of(items)))


def remedies_section(agreement: Agreement) -> Section | None:
    remedies = agreement.remedies
    if remedies is None:
        return None
    blocks: list[Block] = []
    items: list[Inline] = [credit_sentence(agreement, scheme) for scheme in remedies.credits]
    items += [chronic_sentence(agreement, clause) for clause in remedies.chronic]
    if items:
        blocks.append(Bullets.of(items))
    blocks.append(Paragraph(claim_sentence(agreement)))
    if remedies.credits:
        blocks.append(
            Paragraph(
                "A credit applies when the objective's value for the window is strictly worse "
                "than a tier's threshold; the credit tiers are tabulated in the appendix."
            )
        )
    return Section("remedies", "Remedies", tuple(blocks))


def _raci_item(agreement: Agreement, row: Responsibility) -> Inline:
    stages = {stage.id: stage.name for stage in agreement.journey}
    stage = f" ({stages.get(row.stage, row.stage)})" if row.stage else ""
    duties = [
        f"responsible: {party_names(agreement, row.responsible)}",
        f"accountable: {party_name(agreement, row.accountable)}",
    ]
    if row.consulted:
        duties.append(f"consulted: {party_names(agreement, row.consulted)}")
    if row.informed:
        duties.append(f"informed: {party_names(agreement, row.informed)}")
    return (Strong(row.element), full_stop(f"{stage}: {'; '.join(duties)}"))


def responsibilities_section(agreement: Agreement) -> Section | None:
    if not agreement.responsibilities:
        return None
    items = [_raci_item(agreement, row) for row in agreement.responsibilities]
    lead = Paragraph(
        "Who does the work (responsible), who answers for it (accountable), who is consulted "
        "and who is kept informed, for each service element. The matrix is in the appendix."
    )
    return Section("responsibilities", "Responsibilities", (lead, Bullets.of(items)))
