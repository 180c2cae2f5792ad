"""The body of the document, second half: incident management and escalation, data security
and compliance, governance and reporting, change management and renewal, dispute
resolution, support and qualitative commitments.

Each function returns a section, or ``None`` when the agreement has nothing for it.
"""

from __future__ import annotations

from accord.core.model import Agreement
from accord.core.model.incidents import EscalationLadder, IncidentPolicy
from accord.core.obligations import regimes_of
from accord.reports.describe import full_stop, words_of
from accord.reports.document import (
    Block,
    Bullets,
    Facts,
    Inline,
    Paragraph,
    Section,
    Strong,
    Table,
)
from accord.reports.phrasing import calendar_name, join_words, party_name, party_names
from accord.reports.summary import renewal_sentence, severity_names

__all__ = [
    "change_section",
    "commitments_section",
    "data_section",
    "disputes_section",
    "governance_section",
    "incidents_section",
    "ladder_name",
    "support_section",
]

#: Names of the languages agreements most often name; other tags are shown as written.
_LANGUAGES = {
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "sv": "Swedish",
    "zh": "Chinese",
}


def ladder_name(agreement: Agreement, ladder_id: str) -> str:
    found = next((ladder for ladder in agreement.escalation if ladder.id == ladder_id), None)
    return (found.name or found.id) if found else ladder_id


def _severities(agreement: Agreement, policy: IncidentPolicy) -> Table:
    rows = tuple(
        (
            severity.name,
            severity.classification,
            str(severity.acknowledge),
            str(severity.update_every),
            str(severity.resolve),
            calendar_name(agreement, severity.calendar),
        )
        for severity in policy.severities
    )
    headers = ("Severity", "Classification", "Acknowledge", "Update every", "Resolve", "Clock")
    return Table(headers, rows)


def _review(agreement: Agreement, policy: IncidentPolicy) -> Paragraph:
    review = policy.review
    names = join_words(severity_names(agreement, review.required_for))
    text = (
        f"A written post-incident review is due within {review.deadline} of resolution for "
        f"{names} incidents, covering {join_words(review.contents)}."
    )
    if review.actions_tracked:
        text += " Preventive actions are tracked to completion."
    return Paragraph(text)


def _ladder(agreement: Agreement, ladder: EscalationLadder) -> Section:
    items: list[Inline] = [
        (
            Strong(f"Level {level.level}"),
            f": {level.owner}, {party_name(agreement, level.party)}"
            + (f" ({level.contact})" if level.contact else "")
            + f"; {level.within} at this level; may decide: {full_stop(level.authority)}",
        )
        for level in ladder.levels
    ]
    return Section(f"ladder-{ladder.id}", ladder.name or ladder.id, (Bullets.of(items),))


def incidents_section(agreement: Agreement) -> Section | None:
    policy = agreement.incidents
    if policy is None and not agreement.escalation:
        return None
    blocks: list[Block] = []
    if policy is not None:
        blocks += [
            Paragraph(
                "Incidents are classified by severity; each severity sets the time to "
                "acknowledge, the interval between status updates and the time to resolve."
            ),
            _severities(agreement, policy),
            Facts.of(
                [
                    ("On call", policy.on_call),
                    ("Escalation", ladder_name(agreement, policy.escalation)),
                    (
                        "Security breach notification",
                        f"within {policy.security_breach_notification}",
                    ),
                    ("Regulatory cooperation", policy.regulatory_cooperation),
                    (
                        "Notice regimes a security incident starts",
                        "; ".join(
                            f"{regime.name}: "
                            + ", ".join(step.name.lower() for step in regime.notices)
                            for regime in regimes_of(agreement)
                        ),
                    ),
                ]
            ),
            _review(agreement, policy),
        ]
    ladders = tuple(_ladder(agreement, ladder) for ladder in agreement.escalation)
    return Section("incidents", "Incident management and escalation", tuple(blocks), ladders)


def data_section(agreement: Agreement) -> Section | None:
    data = agreement.data_handling
    if data is None:
        return None
    facts = Facts.of(
        [
            ("Processor", party_name(agreement, data.processor)),
            ("Locations", join_words(data.locations)),
            ("Allowed regions", join_words(data.allowed_regions) or None),
            (
                "Notice of a new location",
                str(data.location_change_notice) if data.location_change_notice else None,
            ),
            ("Encryption at rest", data.encryption.at_rest),
            ("Encryption in transit", data.encryption.in_transit),
            ("Access", data.access),
            ("Certifications", join_words(data.certifications)),
            ("Risk assessment", data.risk_assessment),
        ]
    )
    blocks: list[Block] = [facts]
    if data.retention:
        rows = tuple((item.data, str(item.period)) for item in data.retention)
        blocks.append(Table(("Data", "Retention period"), rows))
    return Section("data", "Data security and compliance", tuple(blocks))


def governance_section(agreement: Agreement) -> Section | None:
    governance = agreement.governance
    if governance is None:
        return None
    facts = Facts.of(
        [
            ("Performance review", f"{words_of(governance.review_cadence)}, jointly"),
            ("Participants", party_names(agreement, governance.participants)),
            ("Data sharing", governance.data_sharing),
            ("Audit rights", governance.audit_rights),
        ]
    )
    blocks: list[Block] = [facts]
    if governance.reports:
        rows = tuple(
            (
                report.name,
                report.schedule,
                ", ".join(fmt.upper() for fmt in report.formats),
                party_names(agreement, report.recipients),
            )
            for report in governance.reports
        )
        blocks.append(Table(("Report", "Schedule", "Formats", "Recipients"), rows))
    return Section("governance", "Governance and reporting", tuple(blocks))


def _optional(value: object | None) -> str | None:
    return None if value is None else str(value)


def change_section(agreement: Agreement) -> Section | None:
    change = agreement.change_management
    if change is None:
        return None
    facts = Facts.of(
        [
            ("Notice of a change", str(change.notice)),
            ("Emergency change notice", _optional(change.emergency_notice)),
            ("Approval by", party_names(agreement, change.approval)),
            ("Testing", change.testing),
            ("Rollback", change.rollback),
            ("Deprecation notice", _optional(change.deprecation_notice)),
            ("Migration support", change.migration_support),
        ]
    )
    return Section(
        "change", "Change management and renewal", (facts, Paragraph(renewal_sentence(agreement)))
    )


def disputes_section(agreement: Agreement) -> Section | None:
    disputes = agreement.disputes
    if disputes is None:
        return None
    lead = f"A party raises a dispute within {disputes.raise_within} of the report it challenges"
    if disputes.escalation:
        lead += f", along the {ladder_name(agreement, disputes.escalation)} ladder"
    blocks: list[Block] = [
        Paragraph(f"{lead}. Evidence: {full_stop(disputes.evidence)}"),
        Table(
            ("Step", "Name", "Time allowed", "Decided by"),
            tuple(
                (str(number), step.name, str(step.within), step.decided_by)
                for number, step in enumerate(disputes.steps, start=1)
            ),
        ),
    ]
    if disputes.mediation:
        blocks.append(
            Paragraph(
                f"If the steps fail, the dispute goes to mediation by "
                f"{disputes.mediation.provider}; costs: {full_stop(disputes.mediation.costs)}"
            )
        )
    return Section("disputes", "Dispute resolution", tuple(blocks))


def support_section(agreement: Agreement) -> Section | None:
    support = agreement.support
    if support is None:
        return None
    rows = tuple(
        (
            channel.channel,
            channel.address,
            calendar_name(agreement, channel.calendar),
            join_words(severity_names(agreement, channel.severities)) or "all",
        )
        for channel in support.channels
    )
    languages = [
        f"{_LANGUAGES[tag]} ({tag})" if tag in _LANGUAGES else tag for tag in support.languages
    ]
    blocks: list[Block] = [
        Table(("Channel", "Address", "Hours", "Severities"), rows),
        Facts.of([("Languages", join_words(languages))]),
    ]
    if support.accessibility:
        blocks += [Paragraph("Accessibility:"), Bullets.of(support.accessibility)]
    return Section("support", "Support", tuple(blocks))


def commitments_section(agreement: Agreement) -> Section | None:
    if not agreement.commitments:
        return None
    items: list[Inline] = [
        (
            Strong(party_name(agreement, item.party)),
            f": {full_stop(item.behaviour)}"
            + (f" Evidence: {full_stop(item.evidence)}" if item.evidence else ""),
        )
        for item in agreement.commitments
    ]
    lead = Paragraph("Expected behaviours beyond the numbers, judged in the governance reviews:")
    return Section("commitments", "Qualitative commitments", (lead, Bullets.of(items)))
