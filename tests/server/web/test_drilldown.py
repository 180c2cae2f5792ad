"""The verdict page's drill-down through an in-process client: the items as CSV for those who
may see the verdict, the same 404 for a partner who may not, and the table on the page (a
ticket verdict's late tickets first, in Chromium)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from playwright.sync_api import Page, expect
from starlette.testclient import TestClient

from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.server.web.conftest import screenshot, sign_in
from tests.server.web.test_auth import _sign_in
from tests.services.test_external import ZENDESK, _upload_support
from tests.services.world import CONSOLE, World


@pytest.fixture
def verdict(evaluated_world: World) -> int:
    """Bravo's October breach (a request every 43 minutes, one in five failing)."""
    page = evaluated_world.services.verdicts.verdicts(
        CONSOLE, "acme-bravo", VerdictQuery(window="2026-10")
    )
    return page.items[0].id


def test_the_partner_downloads_its_verdict_s_worst_hours_as_csv(
    client: TestClient, verdict: int
) -> None:
    _sign_in(client, "partner@bravo.example")
    response = client.get(f"/agreements/acme-bravo/verdicts/{verdict}/items.csv")

    assert response.status_code == 200
    assert "worst_hours.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 10
    assert rows[0]["hour"] == "2026-10-01T03:00:00+02:00"


def test_another_partner_gets_the_same_404_as_for_no_verdict(
    client: TestClient, verdict: int
) -> None:
    _sign_in(client, "partner@charlie.example")
    theirs = client.get(f"/agreements/acme-bravo/verdicts/{verdict}/items.csv")
    none = client.get("/agreements/acme-nobody/verdicts/1/items.csv")

    assert theirs.status_code == none.status_code == 404
    assert "text/html" in theirs.headers["content-type"]


def test_the_verdict_page_shows_the_first_items_beside_the_explanation(
    client: TestClient, verdict: int
) -> None:
    _sign_in(client)
    html = client.get(f"/agreements/acme-bravo/verdicts/{verdict}").text

    explanation, drill = html.index('id="explanation"'), html.index('id="drill-down"')
    assert explanation < drill
    assert "Drill-down: worst hours" in html
    assert "2026-10-01 03:00 +0200" in html
    assert f'href="/agreements/acme-bravo/verdicts/{verdict}/items.csv"' in html


def test_a_ticket_verdict_lists_its_late_tickets_first_in_a_browser(
    evaluated_world: World, page: Page
) -> None:
    data_dir = evaluated_world.services.context.data_dir
    shutil.copytree(ZENDESK, data_dir / "files" / "exports" / "zendesk")
    _upload_support(evaluated_world, "exports/zendesk")
    evaluated_world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    found = evaluated_world.services.verdicts.verdicts(
        CONSOLE, "acme-bravo", VerdictQuery(objective="first-response")
    )
    verdict = found.items[0]
    sign_in(page, "manager@acme.example")
    page.goto(f"/agreements/acme-bravo/verdicts/{verdict.id}")

    drill = page.locator("section.drill-down")
    expect(drill.get_by_role("heading")).to_have_text("Drill-down: tickets")
    statuses = drill.locator("tbody tr td:last-child").all_inner_texts()
    late = [s for s in statuses if s in ("late", "overdue")]
    assert late, statuses
    assert statuses[: len(late)] == late  # the late tickets come first
    expect(drill.locator("tbody tr").first.locator("td").nth(2)).to_contain_text(" +0")
    screenshot(page, "verdict-tickets")
