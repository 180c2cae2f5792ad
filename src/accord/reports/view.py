"""The view model of a rendered agreement: one ``Document`` that every format lays out.

Markdown, HTML and PDF are all rendered from the ``Document`` built here, so they say the
same things in the same order. Building it reads nothing but the agreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from accord.core.amendments import SignOff
from accord.core.model import Agreement
from accord.reports.appendix import appendix
from accord.reports.document import Document, Section, Table
from accord.reports.operating_terms import (
    change_section,
    commitments_section,
    data_section,
    disputes_section,
    governance_section,
    incidents_section,
    support_section,
)
from accord.reports.service_terms import (
    exclusions_section,
    journey_section,
    parties_section,
    remedies_section,
    responsibilities_section,
    service_levels_section,
)
from accord.reports.summary import executive_summary

__all__ = ["build_document", "identity_line", "signoff_section"]


def identity_line(agreement: Agreement) -> str:
    """What ties a printed document to the exact file: id, version label and content hash."""
    meta = agreement.metadata
    return f"Agreement {meta.id}, version {meta.version}, sha256 {agreement.version_hash()}"


def signoff_section(agreement: Agreement, signoff: Sequence[SignOff]) -> Section | None:
    """Who approved this version and when: the amendment's approvals (``None``: the version
    was uploaded, not approved by amendment)."""
    if not signoff:
        return None
    rows = tuple(
        (
            item.party_name,
            item.approved_by,
            item.approved_at.astimezone(ZoneInfo(agreement.timezone)).strftime("%Y-%m-%d %H:%M %Z"),
        )
        for item in signoff
    )
    return Section(
        "signoff",
        "Sign-off",
        (
            Table(
                ("Party", "Approved by", "Approved at"), rows, caption="Approvals of this version"
            ),
        ),
    )


def _body(agreement: Agreement, signoff: Sequence[SignOff] = ()) -> tuple[Section, ...]:
    """The body sections in the seed's order, numbered; absent parts are left out."""
    sections = [
        parties_section(agreement),
        journey_section(agreement),
        service_levels_section(agreement),
        exclusions_section(agreement),
        remedies_section(agreement),
        responsibilities_section(agreement),
        incidents_section(agreement),
        data_section(agreement),
        governance_section(agreement),
        change_section(agreement),
        disputes_section(agreement),
        support_section(agreement),
        commitments_section(agreement),
        signoff_section(agreement, signoff),
    ]
    present = [section for section in sections if section is not None]
    return tuple(
        Section(section.key, f"{number}. {section.title}", section.blocks, section.sections)
        for number, section in enumerate(present, start=1)
    )


def build_document(agreement: Agreement, signoff: Sequence[SignOff] = ()) -> Document:
    """Everything the rendered agreement says, built from the agreement alone and, for a
    version approved by amendment, its sign-off (who approved it, when)."""
    consumer, provider = agreement.consumer(), agreement.provider()
    identity = identity_line(agreement)
    return Document(
        title=agreement.metadata.title,
        subtitle=f"Service level agreement between {consumer.name} and {provider.name}",
        identity=identity,
        summary=executive_summary(agreement),
        body=_body(agreement, signoff),
        appendix=appendix(agreement),
        footer=(
            f"{identity}. This document is rendered from the agreement file; the hash "
            "identifies its content exactly."
        ),
    )
