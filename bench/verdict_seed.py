"""Seeding the verdict-read benchmark: partners, their agreements and months of verdicts.

Organisations, users, tokens and agreements go through the services (a few hundred calls,
audited as usual); evaluation runs and verdicts are inserted set-based through the store's
tables (``INSERT … VALUES`` in batches), never one service call per verdict. Each agreement
gets one run per month; every tenth verdict also has an earlier verdict it supersedes, so
that the history and "current only" paths of the read queries have work to do.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from accord.bootstrap import build
from accord.services.container import Services
from accord.services.credentials import CreateToken
from accord.services.organisations import CreateOrganisation, CreateUser
from accord.services.permissions import Principal, Role
from accord.services.portfolio import UploadVersion
from accord.settings import Settings
from accord.store.repositories import evidence_figures
from accord.store.tables import AgreementRow, AgreementVersionRow, EvaluationRunRow, VerdictRow
from accord.store.tenancy import Tenant, TenantSession, bind_tenant

ZONE = zoneinfo.ZoneInfo("Europe/Berlin")
FIRST_MONTH = (2025, 1)
CONSOLE = Principal.console("bench")


@dataclass(frozen=True)
class Seeded:
    """What the read benchmark asks for: per partner its agreement, user, token and ids."""

    agreements: list[str]
    users: list[str]
    tokens: list[str]
    verdict_ids: list[list[int]]
    windows: list[str]
    current: int
    superseded: int

    @property
    def per_agreement(self) -> int:
        return len(self.verdict_ids[0]) if self.verdict_ids else 0


def reads_agreement(partner: str, objectives: int) -> str:
    """An agreement between acme and ``partner`` with ``objectives`` monthly objectives over
    one pushed source (JSON text, which is YAML)."""
    indicators = [
        {
            "id": f"indicator-{n:02d}",
            "name": f"Requests of operation {n} that succeed",
            "kind": "ratio",
            "source": "requests",
            "good": "status < 500",
            "valid": f"operation = 'op-{n:02d}'",
        }
        for n in range(objectives)
    ]
    document: dict[str, Any] = {
        "apiVersion": "accord/v1",
        "kind": "Agreement",
        "metadata": {"id": f"acme-{partner}", "title": f"Acme and {partner}", "version": "1"},
        "timezone": "Europe/Berlin",
        "parties": [
            {"id": "acme", "name": "Acme Retail GmbH", "role": "consumer"},
            {"id": partner, "name": partner.title(), "role": "provider"},
        ],
        "term": {
            "effective": "2025-01-01",
            "duration": "36 months",
            "renewal": {"mode": "auto", "period": "12 months", "notice": "3 months"},
            "termination_notice": "3 months",
        },
        "sources": [
            {
                "id": "requests",
                "kind": "events",
                "format": "push",
                "owner": partner,
                "key": "id",
                "columns": {
                    "timestamp": {"column": "ts", "type": "timestamp"},
                    "id": {"column": "request_id", "type": "string"},
                    "operation": {"column": "operation", "type": "string"},
                    "status": {"column": "http_status", "type": "integer"},
                },
            }
        ],
        "indicators": indicators,
        "objectives": [
            {
                "id": f"objective-{n:02d}",
                "name": f"Operation {n} availability",
                "indicator": f"indicator-{n:02d}",
                "target": "99.5%",
                "tolerance": "99%",
                "window": "month",
            }
            for n in range(objectives)
        ],
    }
    return json.dumps(document, indent=1)


def _months(count: int) -> list[tuple[str, dt.datetime, dt.datetime]]:
    year, month = FIRST_MONTH
    found = []
    for _ in range(count):
        start = dt.datetime(year, month, 1, tzinfo=ZONE)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = dt.datetime(year, month, 1, tzinfo=ZONE)
        found.append((start.strftime("%Y-%m"), start.astimezone(dt.UTC), end.astimezone(dt.UTC)))
    return found


def _people(services: Services, count: int) -> tuple[list[str], list[str], list[str]]:
    """Partner organisations, one partner user each with a token, and their agreements."""
    slugs, users, tokens = [], [], []
    for n in range(count):
        slug = f"partner-{n:03d}"
        email = f"reader@{slug}.example"
        services.organisations.create_organisation(
            CONSOLE, CreateOrganisation(slug=slug, name=slug)
        )
        services.organisations.create_user(
            CONSOLE,
            CreateUser(organisation=slug, email=email, name="Reader", roles=[Role.PARTNER]),
        )
        tokens.append(
            services.credentials.create_token(CONSOLE, CreateToken(name="bench", user=email)).secret
        )
        users.append(email)
        slugs.append(slug)
    return slugs, users, tokens


def _evidence(objective: str, label: str, value: Decimal, outcome: str) -> dict[str, Any]:
    """Evidence shaped like ``accord.core.records.VerdictRecord.to_json`` (about 1.5 KB)."""
    valid = 2_000_000 + int(value * 7_919_000) % 500_000
    good = int(valid * value)
    return {
        "objective": objective,
        "scope": {},
        "window": {"label": label},
        "outcome": outcome,
        "value": str(value),
        "value_display": f"{value * 100:.3f}%",
        "target": "0.995",
        "target_display": "99.5%",
        "tolerance": "0.99",
        "tolerance_display": "99%",
        "unit": "ratio",
        "direction": "at_least",
        "counts": {"good": good, "valid": valid, "excluded": 0},
        "formula": "count(status < 500) / count(operation = 'op-…') over the window",
        "computation": f"{good:,} good of {valid:,} valid events = {value * 100:.3f}%",
        "coverage": {"ratio": "1", "detail": "every day of the window has data"},
        "exclusions": [],
        "budget": {"allowed": int(valid * Decimal("0.005")), "spent": valid - good},
        "credit": None,
        "notes": [],
        "agreement_version": "0" * 64,
        "explanation": (
            f"{objective} was {outcome} in {label}: {value * 100:.3f}% of valid requests "
            "succeeded against a target of 99.5% (tolerance 99%). "
            f"{valid - good:,} of an error budget of {int(valid * Decimal('0.005')):,} "
            "failed requests were spent."
        ),
    }


def _verdict(
    context: dict[str, Any], objective: str, month: tuple[str, Any, Any]
) -> dict[str, Any]:
    chance: random.Random = context["chance"]
    value = Decimal(995_000 + chance.randrange(-8_000, 5_000)) / Decimal(1_000_000)
    outcome = (
        "met"
        if value >= Decimal("0.995")
        else "deviation"
        if value >= Decimal("0.99")
        else "breach"
    )
    evidence = _evidence(objective, month[0], value, outcome)
    return {
        "agreement_id": context["agreement_id"],
        "version_id": context["version_id"],
        "run_id": context["run_id"],
        "objective": objective,
        "scope_key": "{}",
        "scope_label": "all",
        "window_label": month[0],
        "window_start": month[1],
        "window_end": month[2],
        "outcome": outcome,
        "value": value,
        "evidence": json.dumps(evidence, sort_keys=True),
        "digest": f"{chance.getrandbits(256):064x}",
        "recorded_at": month[2] + dt.timedelta(hours=1),
        "supersedes_id": None,
        "reason": None,
        **dict(
            zip(("budget_left_ratio", "coverage_ratio"), evidence_figures(evidence), strict=True)
        ),
    }


def _runs(
    session: TenantSession, agreements: Sequence[tuple[int, int]], months: list[Any]
) -> list[int]:
    rows = [
        {
            "agreement_id": agreement_id,
            "version_id": version_id,
            "period": label,
            "as_of": end,
            "started_at": end + dt.timedelta(hours=1),
            "requested_by": "worker",
            "reason": "scheduled",
            "verdicts_recorded": 0,
            "verdicts_unchanged": 0,
        }
        for agreement_id, version_id in agreements
        for label, _start, end in months
    ]
    statement = insert(EvaluationRunRow).returning(
        EvaluationRunRow.id, sort_by_parameter_order=True
    )
    return list(session.scalars(statement, rows))


def _insert_verdicts(session: TenantSession, rows: list[dict[str, Any]]) -> list[int]:
    statement = insert(VerdictRow).returning(VerdictRow.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def _verdict_rows(
    session: TenantSession, slugs: list[str], objectives: int, months: list[Any]
) -> tuple[list[list[int]], int]:
    agreements = session.execute(
        select(AgreementRow.id, AgreementVersionRow.id)
        .join(AgreementVersionRow, AgreementVersionRow.agreement_id == AgreementRow.id)
        .where(AgreementRow.slug.in_(slugs))
        .order_by(AgreementRow.slug)
    ).all()
    run_ids = iter(_runs(session, [(a, v) for a, v in agreements], months))
    chance = random.Random(20261103)
    older, current = [], []
    for agreement_id, version_id in agreements:
        for month in months:
            context = {
                "chance": chance,
                "agreement_id": agreement_id,
                "version_id": version_id,
                "run_id": next(run_ids),
            }
            for n in range(objectives):
                row = _verdict(context, f"objective-{n:02d}", month)
                if chance.random() < 0.1:
                    earlier = _verdict(context, row["objective"], month)
                    earlier["recorded_at"] -= dt.timedelta(minutes=30)
                    older.append(earlier)
                    row["reason"] = "late data: value changed"
                current.append(row)
    earlier_ids = iter(_insert_verdicts(session, older))
    for row in current:
        if row["reason"] is not None:
            row["supersedes_id"] = next(earlier_ids)
    ids = _insert_verdicts(session, current)
    per_agreement = objectives * len(months)
    return [ids[i : i + per_agreement] for i in range(0, len(ids), per_agreement)], len(older)


def seed_verdicts(
    data_dir: Path, database_url: str, *, partners: int, objectives: int, months: int
) -> Seeded:
    services = build(Settings(data_dir=data_dir, database_url=database_url), migrate=False)
    try:
        slugs, users, tokens = _people(services, partners)
        for slug in slugs:
            services.portfolio.upload(
                CONSOLE, UploadVersion(text=reads_agreement(slug, objectives))
            )
        windows = _months(months)
        with services.context.sessions() as session:
            bind_tenant(session, Tenant.system())
            agreements = [f"acme-{slug}" for slug in slugs]
            verdict_ids, superseded = _verdict_rows(session, agreements, objectives, windows)
            session.commit()
    finally:
        services.close()
    return Seeded(
        agreements=agreements,
        users=users,
        tokens=tokens,
        verdict_ids=verdict_ids,
        windows=[label for label, _start, _end in windows],
        current=sum(len(ids) for ids in verdict_ids),
        superseded=superseded,
    )
