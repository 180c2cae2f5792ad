"""Page server time of the web app: a partner with a portfolio of 100 agreements.

One partner organisation is party to ``--agreements`` agreements (five monthly objectives
each, 24 months of verdicts, every tenth superseded once, credits owed), seeded as the
verdict-read benchmark seeds (``bench.verdict_seed``). Each page is then asked for
``--requests`` times in-process (no network), signed in as the partner and as the company's
manager, and the server time's median and 95th percentile printed against the 200 ms
target, with the ratio to ``/healthz`` measured in the same run (the framework's floor) and
the median CPU time (on a shared machine the wall clock measures the machine's load too).
The pages timed: the portfolio, the agreement, a verdict, the agreement's governance pages
(amendments, disputes, governance reviews), reports and the sign-in form.

    .venv/bin/python -m bench.web_pages [--agreements 100] [--requests 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from accord.bootstrap import build
from accord.server.app import create_app, settle_heap
from accord.services.organisations import CreateOrganisation, CreateUser, OrganisationKind
from accord.services.permissions import Role
from accord.services.portfolio import UploadVersion
from accord.settings import Settings
from accord.store.tables import CreditEntryRow
from accord.store.tenancy import Tenant, bind_tenant
from bench import verdict_seed
from bench.verdict_seed import CONSOLE, reads_agreement

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASSWORD = "bench password 2026"
TARGET_MS = 200.0
_OBJECTIVES = 5
_MONTHS = 24
_EVIDENCE = verdict_seed._evidence
#: The agreement's governance pages: amendments, disputes, governance reviews.
_GOVERNANCE = ("amendments", "disputes", "reviews")


def _with_budget(objective: str, label: str, value: Decimal, outcome: str) -> dict[str, Any]:
    """The seed's evidence with the budget consumed, as the portfolio's sparkline reads it."""
    evidence = _EVIDENCE(objective, label, value, outcome)
    evidence["budget"]["consumed_ratio"] = float((1 - value) / Decimal("0.005"))
    return evidence


def seed(folder: Path, agreements: int) -> tuple[Any, list[str]]:
    settings = Settings.for_data_dir(folder)
    services = build(settings)
    organisations = services.organisations
    organisations.create_organisation(
        CONSOLE, CreateOrganisation(slug="acme", name="Acme", kind=OrganisationKind.COMPANY)
    )
    organisations.create_organisation(CONSOLE, CreateOrganisation(slug="bigco", name="BigCo"))
    for email, organisation, role in (
        ("manager@acme.example", "acme", Role.AGREEMENT_MANAGER),
        ("partner@bigco.example", "bigco", Role.PARTNER),
    ):
        organisations.create_user(
            CONSOLE,
            CreateUser(
                organisation=organisation,
                email=email,
                name=email,
                roles=[role],
                password=PASSWORD,
            ),
        )
    slugs = []
    for n in range(agreements):
        party = f"svc{n:03d}"
        text = reads_agreement(party, _OBJECTIVES)
        services.portfolio.upload(
            CONSOLE, UploadVersion(text=text, parties={"acme": "acme", party: "bigco"})
        )
        slugs.append(f"acme-{party}")
    verdict_seed._evidence = _with_budget  # type: ignore[assignment]
    with services.context.sessions() as session:
        bind_tenant(session, Tenant.system())
        ids, _ = verdict_seed._verdict_rows(
            session, slugs, _OBJECTIVES, verdict_seed._months(_MONTHS)
        )
        session.execute(insert(CreditEntryRow), _credits(session, slugs))
        session.commit()
    return services, [f"/agreements/{slugs[0]}/verdicts/{ids[0][-1]}", f"/agreements/{slugs[0]}"]


def _credits(session: Any, slugs: list[str]) -> list[dict[str, Any]]:
    from sqlalchemy import select  # noqa: PLC0415 - bench only

    from accord.store.tables import AgreementRow, EvaluationRunRow  # noqa: PLC0415

    rows = session.execute(
        select(AgreementRow.id, EvaluationRunRow.id, EvaluationRunRow.period)
        .join(EvaluationRunRow, EvaluationRunRow.agreement_id == AgreementRow.id)
        .where(AgreementRow.slug.in_(slugs))
    ).all()
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return [
        {
            "agreement_id": agreement_id,
            "run_id": run_id,
            "scheme": "availability-credits",
            "objective": "objective-00",
            "scope_label": "all",
            "window_label": period,
            "tier": 1,
            "amount": Decimal("250"),
            "currency": "EUR",
            "recorded_at": now,
            "reason": "bench",
        }
        for agreement_id, run_id, period in rows
    ]


def _sign_in(client: TestClient, email: str) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text)
    assert token is not None
    response = client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 200, response.text[:300]


def _time(client: TestClient, path: str, requests: int) -> tuple[list[float], list[float]]:
    """Server time per request: wall clock, and the process's CPU time (what the page costs
    whatever else the machine runs; on a loaded machine the wall clock is mostly waiting)."""
    client.get(path)  # warm the caches once
    found, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        found.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return found, cpu


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95 + 0.5) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=100)
    parser.add_argument("--requests", type=int, default=50)
    options = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
        f", {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="accord-bench-web-") as folder:
        started = time.perf_counter()
        services, (verdict, agreement) = seed(Path(folder), options.agreements)
        print(f"seeded {options.agreements} agreements in {time.perf_counter() - started:.1f} s")
        try:
            for email in ("partner@bigco.example", "manager@acme.example"):
                app = create_app(services)
                settle_heap()  # as `accord serve` does before it serves
                with TestClient(app) as client:
                    _sign_in(client, email)
                    floor = statistics.median(_time(client, "/healthz", options.requests)[0])
                    print(f"\n{email} (floor: /healthz median {floor:.1f} ms)")
                    print(
                        f"{'page':<40} {'median ms':>10} {'p95 ms':>8} "
                        f"{'p95/target':>11} {'median/floor':>13} {'cpu ms':>7}"
                    )
                    governance = [f"{agreement}/{part}" for part in _GOVERNANCE]
                    for path in ("/", agreement, verdict, *governance, "/reports", "/sign-in"):
                        times, cpu = _time(client, path, options.requests)
                        median, p95 = statistics.median(times), _p95(times)
                        print(
                            f"{path[:40]:<40} {median:>10.1f} {p95:>8.1f} "
                            f"{p95 / TARGET_MS:>10.2f}× {median / floor:>12.1f}× "
                            f"{statistics.median(cpu):>7.1f}"
                        )
        finally:
            services.close()


if __name__ == "__main__":
    main()
