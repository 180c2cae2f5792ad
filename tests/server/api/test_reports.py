"""Kept period reports over the API: each with links to its files; a partner lists and
fetches its own organisation's only (another's file is the same 404 as none); the HTML is
shown inline under a strict policy, the rest saved; names outside the pattern are 422."""

from __future__ import annotations

import pytest

from accord.reports.period import render_files
from accord.services.reports import ReportQuery
from tests.server.conftest import Api
from tests.services.world import CONSOLE

REPORTS = "/api/v1/reports"


@pytest.fixture
def kept(api: Api) -> Api:
    """October's reports of bravo, of charlie and of the portfolio, kept."""
    reports = api.world.services.reports
    for partner in ("bravo", "charlie", None):
        content = reports.content(CONSOLE, ReportQuery(period="2026-10", partner=partner))
        reports.store(CONSOLE, content, render_files(content))
    return api


def test_a_partner_lists_and_fetches_only_its_own_reports(kept: Api) -> None:
    partner = "partner@bravo.example"
    [report] = kept.get(REPORTS, partner).json()
    assert (report["scope"], report["period"]) == ("bravo", "2026-10")
    assert set(report["links"]) == set(report["files"])
    page = kept.get(report["links"]["report.html"], partner)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-disposition"] == 'inline; filename="bravo-2026-10-report.html"'
    assert "default-src" in page.headers["content-security-policy"]
    pdf = kept.get(report["links"]["report.pdf"], partner)
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment;")
    other = kept.get(f"{REPORTS}/charlie/2026-10/report.html", partner)
    missing = kept.get(f"{REPORTS}/bravo/2026-11/report.html", partner)
    assert other.status_code == missing.status_code == 404


def test_the_company_lists_every_report(kept: Api) -> None:
    scopes = {r["scope"] for r in kept.get(REPORTS, "viewer@acme.example").json()}
    assert scopes == {"bravo", "charlie", "portfolio"}


def test_addresses_outside_the_pattern_are_422(api: Api) -> None:
    for path in ("bravo/october/report.html", "Bravo/2026-10/report.html", "bravo/2026-10/x.exe"):
        response = api.get(f"{REPORTS}/{path}", "viewer@acme.example")
        assert response.status_code == 422, path
