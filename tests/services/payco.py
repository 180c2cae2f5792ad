"""The services world (acme, bravo, charlie) with PayCo's payments-api agreement added: its
incident policy runs sev2 clocks in London support hours (08:00-18:00, Monday to Friday,
English holidays) and sev1 clocks on the wall clock; PayCo's NOC signs in as a partner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from accord.services.credentials import CreateToken
from accord.services.incidents import IncidentView, OpenIncident
from accord.services.organisations import CreateOrganisation, CreateUser
from accord.services.permissions import Principal, Role
from accord.services.portfolio import UploadVersion
from tests.services.world import CONSOLE, World

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
AGREEMENT = "payments-api"
NOC = "noc@payco.example"
#: A Friday: 17:50 in London (GMT), ten business minutes before the support hours end.
FRIDAY_EVENING = dt.datetime(2026, 11, 6, 17, 50, tzinfo=dt.UTC)
WORKER = Principal.console("worker")


def add_payco(world: World) -> None:
    """PayCo, its NOC user (token in ``world.tokens``) and the payments-api agreement."""
    organisations = world.services.organisations
    organisations.create_organisation(
        CONSOLE, CreateOrganisation(slug="payco", name="PayCo Payments Ltd")
    )
    organisations.create_user(
        CONSOLE, CreateUser(organisation="payco", email=NOC, name="NOC", roles=[Role.PARTNER])
    )
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=EXAMPLE.read_text()))
    world.tokens[NOC] = world.services.credentials.create_token(
        CONSOLE, CreateToken(name="noc", user=NOC)
    ).secret


def open_at(
    world: World,
    at: dt.datetime,
    severity: str = "sev2",
    *,
    security: bool = False,
    source_key: str | None = None,
    detected_at: dt.datetime | None = None,
) -> IncidentView:
    """An incident on payments-api opened by PayCo's NOC at ``at``."""
    world.clock.at = at
    command = OpenIncident(
        agreement=AGREEMENT,
        title="Authorisation errors",
        severity=severity,
        security=security,
        source="webhook:tests" if source_key else "api",
        source_key=source_key,
        detected_at=detected_at,
    )
    return world.services.incidents.open(world.principal(NOC), command)
