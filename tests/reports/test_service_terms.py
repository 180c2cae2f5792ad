"""The first half of the body: parties and term, the journey, service levels grouped by
journey stage, exclusions, remedies and responsibilities."""

from __future__ import annotations

import re

from tests.reports.examples import section


def test_body_follows_the_seed_structure_and_groups_objectives_by_journey_stage(
    payments_md: str,
) -> None:
    headings = re.findall(r"^## (.+)$", payments_md, flags=re.MULTILINE)
    assert headings == [
        "Executive summary",
        "1. Parties and term",
        "2. Customer journey",
        "3. Service levels",
        "4. Exclusions",
        "5. Remedies",
        "6. Responsibilities",
        "7. Incident management and escalation",
        "8. Support",
        "9. Qualitative commitments",
        "Appendix: technical definitions",
    ]
    levels = section(payments_md, "3. Service levels")
    checkout, api = levels.index("### Checkout payment"), levels.index("### Authorisation API")
    assert checkout < levels.index("**Fast authorisations**") < api
    assert api < levels.index("**Monthly authorisation availability**")
