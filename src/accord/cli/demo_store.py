"""The demo's store: the example ecosystem loaded into the embedded database through the
services, as an operator would: the company, one partner organisation per provider, a user
per role with a printed password, every example agreement uploaded with its parties linked,
its sample data in place and six months evaluated."""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from accord.bootstrap import build
from accord.core.model import Agreement
from accord.core.model.parties import PartyRole
from accord.services.container import Services
from accord.services.organisations import CreateOrganisation, CreateUser, OrganisationKind
from accord.services.permissions import Principal, Role
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from accord.settings import Settings

__all__ = ["COMPANY", "DemoStore", "DemoUser", "clear", "load_store", "months_ending"]

COMPANY: Final = "acme"
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
    return DemoStore(services, settings, users)


def clear(folder: Path) -> None:
    """Remove a previous demo store."""
    if folder.exists():
        shutil.rmtree(folder)


def months_ending(period: str, count: int = 6) -> list[str]:
    """``count`` calendar months ending with ``period`` (``YYYY-MM``), oldest first; any
    other period alone."""
    year, dash, month = period.partition("-")
    if not (dash and year.isdigit() and month.isdigit() and len(month) == 2):
        return [period]
    index = int(year) * 12 + int(month) - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]
