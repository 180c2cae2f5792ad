"""``accord report``: monthly and quarterly reports from the stored verdicts, per partner and
for the whole portfolio, rendered (HTML, PDF, CSV, JSON), kept with their hash and listed in
the web app."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from accord.cli.output import console
from accord.cli.runtime import open_services
from accord.reports.period import render_files
from accord.services.container import Services
from accord.services.organisations import OrganisationKind
from accord.services.permissions import Principal
from accord.services.reports import ReportQuery, StoredReport

__all__ = ["generate_reports", "register"]

_CONSOLE = Principal.console("report")


def generate_reports(
    services: Services, period: str, partners: list[str | None]
) -> list[StoredReport]:
    """Render and keep the report of ``period`` for each partner (``None``: the portfolio).

    Every report's content is read before any is kept, so that an unknown partner among
    several keeps none of them rather than the ones before it."""
    contents = [
        services.reports.content(_CONSOLE, ReportQuery(period=period, partner=partner))
        for partner in partners
    ]
    return [services.reports.store(_CONSOLE, c, render_files(c)) for c in contents]


def report(
    period: Annotated[str, typer.Argument(help="A month (2026-10) or a quarter (2026-Q4).")],
    partner: Annotated[
        list[str] | None,
        typer.Option("--partner", help="A partner organisation's id (repeatable)."),
    ] = None,
    every_partner: Annotated[
        bool, typer.Option("--all", help="Every partner, and the portfolio report.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also copy the files to this folder.")
    ] = None,
) -> None:
    """Write the period's report (the portfolio's unless --partner or --all), keep it with
    its hash, and print where it is."""
    with open_services() as services:
        chosen: list[str | None] = list(partner or []) or [None]
        if every_partner:
            chosen = [
                o.slug
                for o in services.organisations.organisations(_CONSOLE)
                if o.kind is OrganisationKind.PARTNER
            ] + [None]
        folder = services.context.data_dir / "reports"
        for kept in generate_reports(services, period, chosen):
            console.print(
                f"{kept.scope} {kept.period}: sha256 {kept.report_hash} → "
                f"{folder / kept.scope / kept.period}",
                highlight=False,
            )
            if out is not None:
                target = out / kept.scope / kept.period
                target.mkdir(parents=True, exist_ok=True)
                for name in kept.files:
                    shutil.copyfile(folder / kept.scope / kept.period / name, target / name)


def register(app: typer.Typer) -> None:
    app.command()(report)
