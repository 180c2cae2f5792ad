"""The demo's store: the example ecosystem loaded into the embedded database through the
services, as an operator would: the company, one partner organisation per provider, a user
per role with a printed password, every example agreement uploaded with its parties linked,
its sample data in place and six months evaluated, and on each agreement with an incident
policy an incident run to its end with its review and two preventive actions; then the
provider of the cloud-hosting agreement proposes an amendment the company approves, and
disputes a verdict."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from accord.bootstrap import build
from accord.core.model import Agreement
from accord.core.model.parties import PartyRole
from accord.demo.governance import amend_and_dispute, amended_text
from accord.services.container import Services
from accord.services.incident_reviews import NewAction, ReviewDraft
from accord.services.incidents import OpenIncident
from accord.services.organisations import CreateOrganisation, CreateUser, OrganisationKind
from accord.services.permissions import Principal, Role
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from accord.settings import Settings

__all__ = [
    "COMPANY",
    "DemoStore",
    "DemoUser",
    "clear",
    "incident_story",
    "load_store",
    "months_ending",
]

COMPANY: Final = "acme"
_MONTH: Final = re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII)
_CONSOLE: Final = Principal.console("demo")
_COMPANY_USERS: Final = (
    ("admin", Role.ADMIN),
    ("manager", Role.AGREEMENT_MANAGER),
    ("auditor", Role.AUDITOR),
    ("viewer", Role.VIEWER),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: Role
    organisation: str
    password: str


@dataclass(frozen=True)
class DemoStore:
    services: Services
    settings: Settings
    users: list[DemoUser]
    #: What the governance story did (an amendment and a dispute), one line each.
    governance: list[str] = field(default_factory=list)


def _password() -> str:
    return secrets.token_urlsafe(12)


def _user(services: Services, organisation: str, name: str, role: Role) -> DemoUser:
    user = DemoUser(f"{name}@{organisation}.example", role, organisation, _password())
    services.organisations.create_user(
        _CONSOLE,
        CreateUser(
            organisation=organisation,
            email=user.email,
            name=f"{name.title()} ({organisation})",
            roles=[role],
            password=user.password,
        ),
    )
    return user


def _providers(agreement: Agreement) -> list[str]:
    return [p.id for p in agreement.parties if p.role is PartyRole.PROVIDER]


def load_store(
    folder: Path, agreements: list[tuple[str, Agreement]], periods: list[str]
) -> DemoStore:
    """A fresh store in ``folder`` (what was there is replaced) with ``agreements`` (their
    YAML text and model), their sample data already under ``folder/files``, evaluated for
    each of ``periods``."""
    settings = Settings.for_data_dir(folder)
    services = build(settings)
    organisations = services.organisations
    organisations.create_organisation(
        _CONSOLE,
        CreateOrganisation(slug=COMPANY, name="Acme Group", kind=OrganisationKind.COMPANY),
    )
    users = [_user(services, COMPANY, name, role) for name, role in _COMPANY_USERS]
    manager = services.credentials.authenticate_session(
        services.credentials.login(users[1].email, users[1].password).secret
    )
    created: set[str] = set()
    for text, agreement in agreements:
        links = {p.id: COMPANY for p in agreement.parties if p.role is PartyRole.CONSUMER}
        for partner in _providers(agreement):
            if partner not in created:
                name = next(p.name for p in agreement.parties if p.id == partner)
                organisations.create_organisation(
                    _CONSOLE, CreateOrganisation(slug=partner, name=name)
                )
                users.append(_user(services, partner, "partner", Role.PARTNER))
                created.add(partner)
            links[partner] = partner
        services.portfolio.upload(
            manager,
            UploadVersion(text=text, parties=links, name=f"{agreement.metadata.id}.yaml"),
        )
        for period in periods:
            services.verdicts.evaluate(
                manager,
                RunEvaluation(agreement=agreement.metadata.id, period=period, reason="demo"),
            )
        if agreement.incidents is not None:
            incident_story(services, manager, agreement)
    store = DemoStore(services, settings, users)
    story = _governance(store, agreements, manager)
    return DemoStore(services, settings, users, story)


#: The amendment the demo's provider proposes to the cloud-hosting agreement.
_AMENDMENT: Final = {
    'version: "5.0"': 'version: "5.1"',
    "emergency_notice: 1h": "emergency_notice: 2h",
}


def _governance(
    store: DemoStore, agreements: list[tuple[str, Agreement]], manager: Principal
) -> list[str]:
    """An amendment and a dispute of the first agreement that declares both procedures."""
    for text, agreement in agreements:
        proposal = amended_text(text, _AMENDMENT)
        if agreement.disputes is None or agreement.change_management is None or not proposal:
            continue
        partner = next(u for u in store.users if u.organisation == _providers(agreement)[0])
        credentials = store.services.credentials
        principal = credentials.authenticate_session(
            credentials.login(partner.email, partner.password).secret
        )
        parties = (principal, manager)
        return amend_and_dispute(store.services, parties, agreement.metadata.id, proposal).lines
    return []


def incident_story(services: Services, manager: Principal, agreement: Agreement) -> int:
    """An incident run to its end on the agreement, so that a new user sees one: opened,
    acknowledged, updated, resolved, its review written and filed, with two preventive actions
    (one done, one open); the incident's id."""
    assert agreement.incidents is not None
    severity = agreement.incidents.severities[-1].id
    slug = agreement.metadata.id
    incidents, reviews = services.incidents, services.incident_reviews
    opened = incidents.open(
        manager,
        OpenIncident(
            agreement=slug,
            title="Elevated errors after a release",
            severity=severity,
            source="demo",
        ),
    )
    incidents.acknowledge(manager, opened.id)
    incidents.post_update(manager, opened.id, "Release rolled back; error rate falling.")
    incidents.resolve(manager, opened.id)
    reviews.write(
        manager,
        opened.id,
        ReviewDraft(
            summary="A release changed a timeout; retries piled up until it was rolled back.",
            customer_impact={"customers affected": 420, "failed requests": 1870},
            root_cause="A configuration default changed in a library upgrade.",
            contributing_factors=["no canary stage", "alerting on latency only"],
            went_well="The rollback took four minutes.",
            went_wrong="The first page went to a retired rota.",
        ),
    )
    today = _today(services)
    canary, alert = (
        reviews.add_action(
            manager,
            opened.id,
            NewAction(title=title, owner=owner, due_on=today + dt.timedelta(days=days)),
        )
        for title, owner, days in (
            ("Add a canary stage to releases", "Release engineering", 14),
            ("Alert on the error ratio, not only latency", "Operations", 30),
        )
    )
    reviews.complete_action(manager, canary.id, "Canary stage live.")
    reviews.comment(manager, opened.id, f"Action {alert.id} is tracked to its due date.")
    reviews.file(manager, opened.id)
    return opened.id


def _today(services: Services) -> dt.date:
    """Today in UTC by the services' clock."""
    return services.context.clock.now().astimezone(dt.UTC).date()


def clear(folder: Path) -> None:
    """Remove a previous demo store."""
    if folder.exists():
        shutil.rmtree(folder)


def months_ending(period: str, count: int = 6) -> list[str]:
    """``count`` calendar months ending with ``period`` (``YYYY-MM``), oldest first; any
    other period alone."""
    found = _MONTH.fullmatch(period)
    if found is None:
        return [period]
    index = int(found[1]) * 12 + int(found[2]) - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]
