"""The second half of the body: incidents and escalation, data security, governance, change
management and renewal, disputes, support and commitments. Each section says what the
agreement declares and is left out when the agreement declares nothing of it."""

from __future__ import annotations

import pytest

from accord.core.model import Agreement
from accord.reports import operating_terms
from accord.reports.agreement import render_markdown
from tests.reports.examples import MINIMAL, example, parse, section

SECTIONS = (
    operating_terms.incidents_section,
    operating_terms.data_section,
    operating_terms.governance_section,
    operating_terms.change_section,
    operating_terms.disputes_section,
    operating_terms.support_section,
    operating_terms.commitments_section,
)


@pytest.fixture(scope="module")
def cloud_md() -> str:
    return render_markdown(example("cloud-hosting"))


def test_an_agreement_that_declares_none_of_it_has_none_of_these_sections() -> None:
    minimal = parse(MINIMAL)
    assert [build(minimal) for build in SECTIONS] == [None] * len(SECTIONS)


def test_only_the_declared_sections_are_built(payments: Agreement) -> None:
    built = [s.title for build in SECTIONS if (s := build(payments)) is not None]
    assert built == [
        "Incident management and escalation",
        "Support",
        "Qualitative commitments",
    ]


def test_incidents_give_each_severity_s_clocks_and_the_escalation_ladder(
    payments_md: str,
) -> None:
    incidents = section(payments_md, "7. Incident management and escalation")
    assert (
        "| Major | Elevated errors or latency affecting less than 5% of authorisations | "
        "30 business minutes | 2 business hours | 1 business day | PayCo partner-support hours |"
    ) in incidents
    assert "- **Security breach notification:** within 24 hours" in incidents
    assert "### Operational escalation" in incidents
    assert (
        "- **Level 2**: Head of Operations, PayCo Payments Ltd; 2 hours at this level; "
        "may decide: Emergency changes, third-party escalation."
    ) in incidents
    assert "due within 5 business days of resolution for Critical and Major incidents" in (
        incidents
    )


def test_support_lists_channels_with_hours_by_calendar_name(payments_md: str) -> None:
    support = section(payments_md, "8. Support")
    assert "| phone | +44 20 7946 0000 | around the clock | Critical |" in support
    assert "| portal | https://support.payco.example | PayCo partner-support hours | all |" in (
        support
    )
    assert "- **Languages:** English (en) and German (de)" in support


def test_data_security_names_locations_and_retention(cloud_md: str) -> None:
    data = section(cloud_md, "8. Data security and compliance")
    assert (
        "- **Locations:** Frankfurt, Germany (region eu-central) and Amsterdam, Netherlands "
        "(region eu-west)"
    ) in data
    assert "| customer data after termination | 30 days |" in data


def test_governance_lists_each_report_with_schedule_and_recipients(cloud_md: str) -> None:
    governance = section(cloud_md, "9. Governance and reporting")
    assert "- **Performance review:** quarterly, jointly" in governance
    assert (
        "| Yearly control attestation | yearly | PDF | "
        "Lumen Analytics GmbH and Kessler IT-Audit GmbH |"
    ) in governance


def test_change_management_ends_with_the_renewal_terms(cloud_md: str) -> None:
    change = section(cloud_md, "10. Change management and renewal")
    assert "- **Emergency change notice:** 1 hour" in change
    assert "- **Approval by:** Stratus Cloud SE and Lumen Analytics GmbH" in change
    assert (
        "renews automatically for 12 months at a time unless a party gives notice at least "
        "3 months before the end of the term"
    ) in change


def test_disputes_give_the_ladder_and_mediation(cloud_md: str) -> None:
    disputes = section(cloud_md, "11. Dispute resolution")
    assert "raises a dispute within 60 days of the report it challenges" in disputes
    assert "| 2 | Executive meeting | 20 business days | Lumen CTO and Stratus CEO |" in disputes
    assert "mediation by German Institution of Arbitration (DIS) mediation rules, Frankfurt" in (
        disputes
    )
