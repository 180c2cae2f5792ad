"""The verdict page's drill-down through an in-process client: the items as CSV for those who
may see the verdict, the same 404 for a partner who may not, and the table on the page."""

from __future__ import annotations

import csv
import io

import pytest
from starlette.testclient import TestClient

from accord.services.verdicts import VerdictQuery
from tests.server.web.test_auth import _sign_in
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
    assert "2026-10-01 03:00 (UTC+0200)" in html
    assert f'href="/agreements/acme-bravo/verdicts/{verdict}/items.csv"' in html
