"""The executive summary: the agreement in plain language for leadership.

Who the parties are, the term and renewal, what is promised, how it is measured, what
happens on failure and whom to call, each a short subsection with the numbers in it.
"""

from __future__ import annotations

from collections.abc import Iterator

from accord.core.model import Agreement
from accord.core.model.incidents import EscalationLadder
from accord.core.model.parties import Contact, RenewalMode
from accord.reports.describe import (
    chronic_sentence,
    claim_sentence,
    credit_sentence,
    full_stop,
    measured_as,
    objective_sentence,
)
from accord.reports.document import (
    Block,
    Bullets,
    Code,
    Inline,
    Paragraph,
    Section,
    Strong,
    spans,
)
from accord.reports.phrasing import (
    calendar_name,
    join_words,
    party_name,
    show_date,
    term_end,
)

__all__ = [
    "contact_line",
    "executive_summary",
    "renewal_sentence",
    "severity_names",
    "term_sentence",
]


def executive_summary(agreement: Agreement) -> Section:
    parts = [
        Section("summary-parties", "Who", _who(agreement)),
        Section("summary-term", "Term and renewal", _term(agreement)),
        Section("summary-promises", "What is promised", _promises(agreement)),
        Section("summary-measurement", "How it is measured", _measurement(agreement)),
        Section("summary-failure", "What happens on failure", _failure(agreement)),
        Section("summary-contacts", "Whom to call", _whom_to_call(agreement)),
    ]
    lead: tuple[Block, ...] = (
        (Paragraph(agreement.metadata.summary),) if agreement.metadata.summary else ()
    )
    return Section("summary", "Executive summary", lead, tuple(p for p in parts if p.blocks))


def _who(agreement: Agreement) -> tuple[Block, ...]:
    consumer, provider = agreement.consumer(), agreement.provider()
    text = (
        f"This agreement binds {consumer.name} (the consumer, who receives the service) and "
        f"{provider.name} (the provider, who delivers it)."
    )
    others = [p for p in agreement.parties if p not in (consumer, provider)]
    if others:
        text += " " + full_stop("Also named: " + join_words(f"{p.name} ({p.role})" for p in others))
    return (Paragraph(text),)


def term_sentence(agreement: Agreement) -> str:
    term = agreement.term
    start = show_date(term.effective)
    if term.end is not None:
        return f"The agreement takes effect on {start} and runs until {show_date(term.end)}."
    assert term.duration is not None  # a term has a duration or an end
    end = term_end(term.effective, term.duration)
    until = f", until {show_date(end)}" if end else ""
    return f"The agreement takes effect on {start} and runs for {term.duration}{until}."


def renewal_sentence(agreement: Agreement) -> str:
    term = agreement.term
    renewal = term.renewal
    if renewal.mode is RenewalMode.AUTO:
        period = f" for {renewal.period} at a time" if renewal.period else ""
        text = (
            f"The agreement renews automatically{period} unless a party gives notice at least "
            f"{renewal.notice} before the end of the term."
        )
    else:
        period = f" for {renewal.period}" if renewal.period else ""
        text = (
            f"The agreement does not renew by itself: a party must request renewal{period} "
            f"at least {renewal.notice} before the end of the term."
        )
    return (
        f"{text} Either party may terminate for convenience with a notice period of "
        f"{term.termination_notice}."
    )


def _term(agreement: Agreement) -> tuple[Block, ...]:
    return (Paragraph(f"{term_sentence(agreement)} {renewal_sentence(agreement)}"),)


def _promises(agreement: Agreement) -> tuple[Block, ...]:
    if not agreement.objectives:
        return ()
    items: list[Inline] = [
        (Strong(objective.name), ": ", *objective_sentence(agreement, objective))
        for objective in agreement.objectives
    ]
    return (
        Paragraph(
            "Each objective is judged per window: met at or better than the target, a "
            "deviation inside the tolerance band, a breach beyond it."
        ),
        Bullets.of(items),
    )


def _measurement(agreement: Agreement) -> tuple[Block, ...]:
    used = {objective.indicator for objective in agreement.objectives}
    sources = {source.id: source for source in agreement.sources}
    items: list[Inline] = []
    for indicator in agreement.indicators:
        if indicator.id not in used:
            continue
        source = sources.get(indicator.source)
        supplier = (
            f", supplied by {party_name(agreement, source.owner)}"
            if source and (source.owner)
            else ""
        )
        items.append(
            (
                Strong(indicator.name),
                ": ",
                *spans(measured_as(indicator, agreement)),
                ", from the ",
                Code(indicator.source),
                full_stop(f" data{supplier}"),
            )
        )
    if not items:
        return ()
    blocks: list[Block] = [Bullets.of(items)]
    closing = (
        f"Calendar windows are cut in the {agreement.timezone} time zone. The exact formulas, "
        "data sources and column mappings are in the appendix."
    )
    if agreement.exclusions:
        kinds = join_words(_exclusion_word(str(e.kind)) for e in agreement.exclusions)
        closing += f" Not counted: {kinds} (see Exclusions)."
    blocks.append(Paragraph(closing))
    return tuple(blocks)


def _exclusion_word(kind: str) -> str:
    return {
        "maintenance": "announced maintenance within its limits",
        "force_majeure": "force majeure",
        "consumer_caused": "failures the consumer caused",
    }.get(kind, kind)


def _failure(agreement: Agreement) -> tuple[Block, ...]:
    remedies = agreement.remedies
    if remedies is None:
        return (Paragraph("The agreement names no service credits or other remedies."),)
    items: list[Inline] = [credit_sentence(agreement, scheme) for scheme in remedies.credits]
    items += [chronic_sentence(agreement, clause) for clause in remedies.chronic]
    blocks: list[Block] = [Bullets.of(items)] if items else []
    blocks.append(Paragraph(claim_sentence(agreement)))
    return tuple(blocks)


def _ladders(agreement: Agreement) -> Iterator[EscalationLadder]:
    """Escalation ladders, the incident ladder first."""
    first = agreement.incidents.escalation if agreement.incidents else None
    yield from (ladder for ladder in agreement.escalation if ladder.id == first)
    yield from (ladder for ladder in agreement.escalation if ladder.id != first)


def severity_names(agreement: Agreement, severity_ids: list[str]) -> list[str]:
    """Severity names ('Critical') for their identifiers, in the order given."""
    known = {s.id: s.name for s in agreement.incidents.severities} if agreement.incidents else {}
    return [known.get(severity_id, severity_id) for severity_id in severity_ids]


def contact_line(contact: Contact) -> str:
    """'PayCo NOC (operations), noc@payco.example, +44 20 7946 0000'."""
    parts = [contact.name + (f" ({contact.role})" if contact.role else "")]
    parts += [value for value in (contact.email, contact.phone) if value]
    return ", ".join(parts)


def _whom_to_call(agreement: Agreement) -> tuple[Block, ...]:
    items: list[Inline] = []
    policy = agreement.incidents
    if policy is not None:
        items.append((Strong("Incidents"), f": {policy.on_call}."))
    for ladder in _ladders(agreement):
        level = ladder.levels[0]
        reach = f", {level.contact}" if level.contact else ""
        items.append(
            (
                Strong(f"{ladder.name or ladder.id}, level 1"),
                f": {level.owner}, {party_name(agreement, level.party)}{reach}; "
                f"escalates after {level.within}.",
            )
        )
    if agreement.support is not None:
        for channel in agreement.support.channels:
            accepts = (
                f", for {join_words(severity_names(agreement, channel.severities))} incidents"
                if channel.severities
                else ""
            )
            items.append(
                (
                    Strong(f"Support {channel.channel}"),
                    f": {channel.address} ({calendar_name(agreement, channel.calendar)}{accepts}).",
                )
            )
    for party in agreement.parties:
        for contact in party.contacts:
            items.append((Strong(party.name), full_stop(f": {contact_line(contact)}")))
    if policy is not None:
        items.append(
            f"Security or personal-data breaches are reported to {agreement.consumer().name} "
            f"within {policy.security_breach_notification}."
        )
    return (Bullets.of(items),) if items else ()
