"""Period reports: kept with a hash the same verdicts reproduce, listed in the web app, the
partner's PDF downloaded by the partner, another partner's report out of reach."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from accord.reports.period import render_files
from accord.services.permissions import Principal
from accord.services.reports import ReportQuery, StoredReport
from tests.server.web.conftest import screenshot, sign_in
from tests.services.world import CONSOLE, World


def _keep(world: World, period: str, partner: str | None) -> StoredReport:
    reports = world.services.reports
    content = reports.content(CONSOLE, ReportQuery(period=period, partner=partner))
    return reports.store(CONSOLE, content, render_files(content))


def test_a_closed_periods_report_is_reproduced_with_the_same_hash(
    evaluated_world: World,
) -> None:
    first = _keep(evaluated_world, "2026-10", "bravo")
    again = _keep(evaluated_world, "2026-10", "bravo")
    assert first.report_hash == again.report_hash
    assert set(first.files) == {
        "report.html",
        "report.pdf",
        "report.json",
        "verdicts.csv",
        "credits.csv",
    }


def test_the_summary_says_what_breached_and_the_trend(evaluated_world: World) -> None:
    content = evaluated_world.services.reports.content(
        CONSOLE, ReportQuery(period="2026-10", partner="bravo")
    )
    html = render_files(content)["report.html"].decode()
    assert "Acme and bravo breached availability (all) at 79.9615% against 99%." in html
    assert "100.00 EUR" in html
    assert "That is worse than 2026-09, which had 0 missed objectives." in html


def test_a_partner_downloads_its_pdf_report_and_sees_no_other(
    evaluated_world: World, page: Page, tmp_path: Path
) -> None:
    for partner in ("bravo", "charlie", None):
        _keep(evaluated_world, "2026-10", partner)
    sign_in(page, "manager@acme.example")
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("tbody tr")).to_have_count(3)
    screenshot(page, "reports")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "partner@bravo.example")
    page.goto("/reports")
    expect(page.locator("tbody tr")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of the bravo report 2026-10").click()
    pdf = tmp_path / "bravo.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    other = page.goto("/reports/charlie/2026-10/report.pdf")
    assert other is not None
    assert other.status == 404


def test_the_reports_generated_once_september_closed_are_listed_as_such(
    evaluated_world: World, page: Page
) -> None:
    generated = evaluated_world.services.scheduled_reports.generate_due(Principal.console("worker"))
    # September is the last month of the third quarter: its report follows.
    assert [(r.scope, r.period) for r in generated] == [
        ("bravo", "2026-09"),
        ("charlie", "2026-09"),
        ("portfolio", "2026-09"),
        ("bravo", "2026-Q3"),
        ("charlie", "2026-Q3"),
        ("portfolio", "2026-Q3"),
    ]
    sign_in(page, "partner@charlie.example")
    page.goto("/reports")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    for row in (rows.nth(0), rows.nth(1)):
        expect(row).to_contain_text("on schedule, once the period closed")
        expect(row).to_contain_text("charlie")
    screenshot(page, "reports-scheduled")
