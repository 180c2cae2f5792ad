"""A company (acme) with two partners (bravo, charlie), their users and one agreement each,
built through the services as an operator would. Agreements are JSON (which is YAML)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from accord.bootstrap import build
from accord.services.container import Services
from accord.services.credentials import CreateToken
from accord.services.organisations import CreateOrganisation, CreateUser, OrganisationKind
from accord.services.permissions import Principal, Role
from accord.services.portfolio import UploadVersion
from accord.services.ports import FixedClock
from accord.settings import Settings
from tests.migrated import at_head

NOW = dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
CONSOLE = Principal.console()
#: Cheap hashes: the tests check behaviour, not argon2's cost.
FAST_HASHES = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def agreement_document(partner: str, *, target: str = "99%", version: str = "1") -> dict[str, Any]:
    return {
        "apiVersion": "accord/v1",
        "kind": "Agreement",
        "metadata": {"id": f"acme-{partner}", "title": f"Acme and {partner}", "version": version},
        "timezone": "Europe/Berlin",
        "parties": [
            {"id": "acme", "name": "Acme Retail", "role": "consumer"},
            {"id": partner, "name": partner.title(), "role": "provider"},
        ],
        "term": {
            "effective": "2026-01-01",
            "duration": "24 months",
            "renewal": {"mode": "auto", "period": "12 months", "notice": "3 months"},
            "termination_notice": "3 months",
        },
        "sources": [
            {
                "id": "requests",
                "kind": "events",
                "format": "push",
                "owner": partner,
                # The pushed test data covers a few days of a month on purpose.
                "min_coverage": "0%",
                "timestamp": "at",
                "key": "id",
                "columns": {
                    "at": {"column": "ts", "type": "timestamp"},
                    "id": {"column": "request_id", "type": "string"},
                    "status": {"column": "http_status", "type": "integer"},
                },
            },
            {
                "id": "surveys",
                "kind": "events",
                "format": "push",
                "owner": "acme",
                "columns": {"timestamp": {"column": "ts", "type": "timestamp"}},
            },
        ],
        "indicators": [
            {
                "id": "success",
                "name": "Successful requests",
                "kind": "ratio",
                "source": "requests",
                "good": "status < 500",
            }
        ],
        "objectives": [
            {
                "id": "availability",
                "name": "Availability",
                "indicator": "success",
                "target": target,
                "tolerance": "90%",
                "window": "month",
            }
        ],
        "remedies": {
            "claim_window": "30 days",
            "credits": [
                {
                    "id": "availability-credits",
                    "objectives": ["availability"],
                    "basis": "1000 EUR",
                    "tiers": [{"below": target, "credit": "10%"}],
                    "cap": "10%",
                }
            ],
        },
    }


def data_handling(**fields: object) -> dict[str, object]:
    """A ``data_handling`` section for the partner ``bravo`` as processor, with ``fields``."""
    return {
        "processor": "bravo",
        "locations": ["Frankfurt, Germany"],
        "encryption": {"at_rest": "AES-256", "in_transit": "TLS 1.3"},
        "access": "Named staff only.",
        **fields,
    }


def incident_policy(partner: str) -> dict[str, object]:
    """``escalation`` and ``incidents`` sections: one severity, sev1 (acknowledge within 15
    minutes, update every hour, resolve within 4 hours), escalated to the partner's duty
    manager."""
    return {
        "escalation": [
            {
                "id": "operational",
                "levels": [
                    {"level": 1, "party": partner, "owner": "Duty manager", "within": "30m",
                     "authority": "Roll back"},
                ],
            }
        ],
        "incidents": {
            "escalation": "operational",
            "on_call": f"{partner.title()} NOC, 24x7",
            "severities": [
                {"id": "sev1", "name": "Critical", "classification": "Payments failing",
                 "acknowledge": "15m", "update_every": "1h", "resolve": "4h"}
            ],
            "review": {"required_for": ["sev1"], "deadline": "5 business days"},
            "security_breach_notification": "24h",
        },
    }  # fmt: skip


def agreement_text(partner: str, **changes: str) -> str:
    return json.dumps(agreement_document(partner, **changes), indent=2)


def events(
    count: int, *, failing_every: int = 0, prefix: str = "r", step_minutes: int = 37
) -> list[dict[str, object]]:
    """Requests from 2 October 2026 on, one in ``failing_every`` failing."""
    start = dt.datetime(2026, 10, 2, tzinfo=dt.UTC)
    return [
        {
            "ts": (start + dt.timedelta(minutes=step_minutes * i)).isoformat(),
            "request_id": f"{prefix}{i}",
            "http_status": 503 if failing_every and i % failing_every == 0 else 200,
        }
        for i in range(count)
    ]


@dataclass
class World:
    services: Services
    clock: FixedClock
    tokens: dict[str, str]

    def principal(self, email: str) -> Principal:
        return self.services.credentials.authenticate_token(self.tokens[email])


USERS = {
    "admin@acme.example": ("acme", Role.ADMIN),
    "manager@acme.example": ("acme", Role.AGREEMENT_MANAGER),
    "auditor@acme.example": ("acme", Role.AUDITOR),
    "viewer@acme.example": ("acme", Role.VIEWER),
    "partner@bravo.example": ("bravo", Role.PARTNER),
    "admin@bravo.example": ("bravo", Role.ADMIN),
    "auditor@bravo.example": ("bravo", Role.AUDITOR),
    "partner@charlie.example": ("charlie", Role.PARTNER),
}


def make_services(data_dir: Path, database_url: str, clock: FixedClock) -> Services:
    at_head(database_url)
    settings = Settings(data_dir=data_dir, database_url=database_url)
    return build(settings, clock=clock, passwords=FAST_HASHES)


def populate(services: Services, clock: FixedClock) -> World:
    organisations = services.organisations
    organisations.create_organisation(
        CONSOLE, CreateOrganisation(slug="acme", name="Acme Retail", kind=OrganisationKind.COMPANY)
    )
    for slug in ("bravo", "charlie"):
        organisations.create_organisation(CONSOLE, CreateOrganisation(slug=slug, name=slug.title()))
    tokens = {}
    for email, (organisation, role) in USERS.items():
        organisations.create_user(
            CONSOLE,
            CreateUser(
                organisation=organisation,
                email=email,
                name=email.split("@")[0],
                roles=[role],
                password=PASSWORD,
            ),
        )
        tokens[email] = services.credentials.create_token(
            CONSOLE, CreateToken(name="tests", user=email)
        ).secret
    world = World(services, clock, tokens)
    manager = world.principal("manager@acme.example")
    for partner in ("bravo", "charlie"):
        services.portfolio.upload(manager, UploadVersion(text=agreement_text(partner)))
    return world
